"""One cold pack against bare WeasyPrint: `python bench/bench_cold.py [--runs 15] [--formats pdf]`.

Each pair is two fresh processes, run one after the other (interleaved, so machine noise hits
both alike): `reportgen build` of the example's Q3 workbook into a copy of an outputs folder
whose archive already holds Q2 (what a user has the quarter after the first: an archive at the
current schema, history for the trend), then the floor, a bare script that imports WeasyPrint
and writes the same pack's HTML to PDF. It prints each side's median and range, the ratio of
the medians (the issue's measure, target ≤ 1.10×) and the spread of the pairs' own ratios.

`--archive new` builds into an empty folder instead (a new archive: its migrations run),
`--archive none` with `--no-archive`. `--code DIR` (repeatable) runs another checkout's
`DIR/src` as well, one more process in each round, for A/B comparisons of changes.
Ours keeps its fonts' widths and compiled templates in the user's cache folder
(`render.diskcache`), filled by the set-up; `--fresh-cache` gives every build an empty one, as
on the first build after installing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import ENV, FLOOR, PYTHON, timed  # noqa: E402

SOURCE = "fincorp-techdrive-2025-Q3.xlsx"


def prepare(work: Path) -> None:
    """The example workbooks, an outputs folder `base` with Q2 built (the archive's history),
    and the Q3 pack's HTML for the floor: as the build renders it there (`pack.html`, with the
    trend and the changes since Q2) and as it renders it without history (`pack-alone.html`:
    into a new archive, or with --no-archive)."""
    from reportgen.archive import Archive
    from reportgen.build.pipeline import score_against
    from reportgen.build.renderer import Renderer
    from reportgen.cli import main
    from reportgen.clock import build_time
    from reportgen.config import Settings
    from reportgen.intake.validation import load
    from reportgen.render.html import render_html

    main(["init", str(work / "ex")])
    base = work / "base"
    main(["build", str(work / "ex" / SOURCE.replace("Q3", "Q2")), "--out", str(base),
          "--format", "pdf"])
    settings = Settings()
    review = load(work / "ex" / SOURCE).reviews[0]
    renderer = Renderer(settings)
    with Archive.open(f"sqlite:///{base / 'archive.sqlite'}") as archive:
        for name, against in (("pack.html", archive), ("pack-alone.html", None)):
            scored, history = score_against(review, settings, against)
            (work / name).write_text(render_html(renderer.view(scored, history, build_time()),
                                                 renderer.environment()), encoding="utf-8")


def spread(values: list[float]) -> str:
    quartiles = statistics.quantiles(values, n=4)
    return (f"median {statistics.median(values):.3f}, quartiles {quartiles[0]:.3f}–"
            f"{quartiles[2]:.3f}, range {min(values):.3f}–{max(values):.3f}")


@dataclass(frozen=True)
class Setup:
    """What the rounds build: `--format`, which archive, and whether each build gets an empty
    cache folder."""

    formats: str = "pdf"
    archive: str = "existing"
    fresh_cache: bool = False


def rounds(work: Path, runs: int, setup: Setup,
           sides: dict[str, dict[str, str]]) -> dict[str, list[float]]:
    """Each side's build, then the floor, `runs` times over (`work` from `prepare`); the
    seconds of every process, by side ("floor" too)."""
    base, html, base_url = prepared(work)
    if setup.archive != "existing":
        html = html.with_name("pack-alone.html")  # the same pack as ours: no history
    times: dict[str, list[float]] = {name: [] for name in (*sides, "floor")}
    for i in range(runs):
        for name, env in sides.items():
            out = work / f"{name}-{setup.formats}-{i}"
            extra = ["--no-archive"] if setup.archive == "none" else []
            if setup.archive == "existing":
                shutil.copytree(base, out)
            if setup.fresh_cache:
                env = {**env, "XDG_CACHE_HOME": str(work / f"cache-{name}-{i}")}
            times[name].append(timed(
                [PYTHON, "-m", "reportgen.cli", "build", str(work / "ex" / SOURCE), "--out",
                 str(out), "--format", setup.formats, *extra], work, env))
        times["floor"].append(timed([PYTHON, "-c", FLOOR, str(html), base_url,
                                     str(work / f"floor-{i}.pdf")], work, ENV))
    return times


def prepared(work: Path) -> tuple[Path, Path, str]:
    """`prepare(work)`, once per folder, quietly."""
    if not (work / "pack.html").exists():
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            prepare(work)
    from reportgen.render.html import TEMPLATES

    return work / "base", work / "pack.html", TEMPLATES.as_uri() + "/"


def report(times: dict[str, list[float]]) -> list[str]:
    """Each side's times and its ratio to the floor: the ratio of the medians, and the spread of
    the pairs' own ratios."""
    floor = statistics.median(times["floor"])
    lines = [f"  floor (bare WeasyPrint): {spread(times['floor'])} s"]
    for name, seconds in times.items():
        if name != "floor":
            ratios = [a / b for a, b in zip(seconds, times["floor"], strict=True)]
            ratio = statistics.median(seconds) / floor
            lines += [f"  {name}: {spread(seconds)} s",
                      f"  {name} / floor: ratio of medians **{ratio:.3f}×**; pairs' ratios "
                      f"{spread(ratios)}"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="pairs (default 15)")
    parser.add_argument("--formats", default="pdf")
    parser.add_argument("--archive", choices=("existing", "new", "none"), default="existing")
    parser.add_argument("--code", type=Path, action="append", default=[],
                        help="another checkout to time as well, named by its folder (A/B; "
                        "repeatable)")
    parser.add_argument("--fresh-cache", action="store_true",
                        help="an empty cache folder for every build")
    args = parser.parse_args()
    sides = {"ours": ENV}
    sides.update({code.name: {**ENV, "PYTHONPATH": str(code.resolve() / "src")}
                  for code in args.code})
    setup = Setup(args.formats, args.archive, args.fresh_cache)
    with tempfile.TemporaryDirectory(prefix="reportgen-cold-") as folder:
        times = rounds(Path(folder), args.runs, setup, sides)
    print(f"{platform.node()}: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{args.runs} interleaved rounds; build --format {setup.formats}, archive "
          f"{setup.archive}{', fresh cache' * setup.fresh_cache}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print("\n".join(report(times)))


if __name__ == "__main__":
    main()
