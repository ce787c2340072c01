"""Build the stress workbooks' packs in chosen page set-ups and turn every page into a PNG, for
looking at: `tests/stress.py`'s workbooks (many scripts, long text, 40 KPIs) → PDF and Word
packs → `<out>/<workbook>-<size>-<orientation>/{pdf,word}-NN.png`.

    python scripts/stress_packs.py OUT [A4:portrait Letter:landscape ...]

The default set-ups are A4 portrait and Letter landscape. Needs pdftoppm (poppler-utils) and,
for the Word pack's pages, LibreOffice (`soffice`), as `scripts/install-system-packages
--tests` installs them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from reportgen.cli import main as reportgen
from stress import first_quarter_sheets, many_kpis_sheets, write_quiet, write_stress

SETUPS = ("A4:portrait", "Letter:landscape")


def workbooks(folder: Path) -> list[Path]:
    """The stress workbook, its first quarter, one of 200 KPIs, and the example without risks
    or decisions."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_stress(folder / "stress.xlsx"),
            write_stress(folder / "stress-q1.xlsx", first_quarter_sheets()),
            write_stress(folder / "stress-200.xlsx", many_kpis_sheets()),
            write_quiet(folder / "quiet.xlsx")]


def build(book: Path, size: str, orientation: str, out: Path) -> Path:
    """`reportgen build` of `book` on that paper, into `out`; the folder of the pack's files."""
    config = out / "reportgen.toml"
    out.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[page]\nsize = "{size}"\norientation = "{orientation}"\n',
                      encoding="utf-8")
    status = reportgen(["build", str(book), "--out", str(out / "packs"), "--no-archive",
                        "--config", str(config)])
    if status:
        raise SystemExit(f"{book.name} ({size} {orientation}): reportgen build exited {status}")
    return next((out / "packs").rglob("*.pdf")).parent


def pages(pack: Path, out: Path) -> None:
    """Every page of the pack's PDF, and of LibreOffice's view of its Word file, as PNGs."""
    pdf = next(pack.glob("*.pdf"))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / "pdf")], check=True)
    if shutil.which("soffice"):
        docx = next(pack.glob("*.docx"))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                        str(out / "word"), str(docx)], check=True, capture_output=True)
        converted = next((out / "word").glob("*.pdf"))
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(converted), str(out / "word")],
                       check=True)


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    out = Path(argv[0])
    for book in workbooks(out / "workbooks"):
        for setup in argv[1:] or SETUPS:
            size, _, orientation = setup.partition(":")
            folder = out / f"{book.stem}-{size}-{orientation}"
            if folder.exists():
                shutil.rmtree(folder)
            pages(build(book, size, orientation, folder), folder)
            print(f"{folder}: {len(list(folder.glob('*.png')))} pages")


if __name__ == "__main__":
    main(sys.argv[1:])
