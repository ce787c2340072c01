"""The reproducible benchmark: `python bench/run.py [--packs 100] [--runs 5]`.

Prints medians and ratios measured in this one run (Markdown tables, ready for the README):

1. one example pack (PDF, then PDF + Word) as a cold `reportgen build` process into an archive
   that holds the quarter before, against the floor: a bare script that imports WeasyPrint and
   writes the same HTML to PDF, in interleaved pairs (`bench_cold.py`; target ≤ 1.10× for the
   PDF); and warm, in-process: our PDF render against bare WeasyPrint on the same HTML
   (target ≤ 0.8×), and the Word pack alone (target ≤ 0.15 s); `reportgen --version` and
   `--help` (≤ 0.15 s);
2. a generated portfolio of N packs built with --jobs 1 and --jobs 2 (target speedup ≥ 2×)
   and the peak memory of a worker (target ≤ 150 MiB);
3. the unchanged rebuild of the same N (target ≤ 2% of the first build);
4. the same content through LibreOffice (`soffice --convert-to pdf` of our Word pack), cold for
   one pack and batched for N, when LibreOffice is installed (target: ours ≤ 0.8×).

Each build runs in a fresh process with SOURCE_DATE_EPOCH set; timings are wall-clock.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cold import Setup, report, rounds  # noqa: E402
from common import ENV, PYTHON, timed  # noqa: E402
from portfolio import write_portfolio  # noqa: E402

REPORTGEN = [PYTHON, "-m", "reportgen.cli"]
BUILD_MEASURED = """
import re, resource, sys
from reportgen.cli import main
code = main(sys.argv[1:])
own = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("PEAK", own, workers)
sys.exit(code)
"""


def measured_build(args: list[str], cwd: Path) -> tuple[float, int, int]:
    """Wall seconds of `reportgen ARGS` in a fresh process, its own peak RSS and its workers'
    (KiB; a forked worker's peak counts the pages it shares with the parent)."""
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", BUILD_MEASURED, *args], cwd=cwd, env=ENV, check=True,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    own, workers = done.stdout.rsplit("PEAK", 1)[1].split()
    return elapsed, int(own), int(workers)


def median(values: list[float]) -> float:
    return statistics.median(values)


def example_pack(work: Path, runs: int) -> tuple[list[tuple[str, str, str]], float]:
    """The cold rows (`bench_cold.rounds`: the example's Q3 into an archive holding Q2, against
    bare WeasyPrint on the same HTML), the warm ones, and the cold PDF + Word median."""
    rows = []
    for formats, target in (("pdf", "1.10"), ("pdf,docx", "1.15")):
        times = rounds(work, runs, Setup(formats), {"ours": ENV})
        ours, floor = median(times["ours"]), median(times["floor"])
        ratios = sorted(a / b for a, b in zip(times["ours"], times["floor"], strict=True))
        rows.append((f"one pack, {formats.upper().replace(',DOCX', ' + Word')}, cold process",
                     f"{ours:.2f} s", f"floor {floor:.2f} s → **{ours / floor:.2f}×** (pairs "
                     f"{ratios[0]:.2f}–{ratios[-1]:.2f}×; ≤ {target}×)"))
        print("\n".join([f"cold, --format {formats}:", *report(times)]), file=sys.stderr)
    for flag in ("--version", "--help"):
        start = median([timed([*REPORTGEN, flag], work) for _ in range(runs)])
        rows.append((f"`reportgen {flag}`", f"{start:.3f} s", "≤ 0.15 s"))
    source = work / "ex" / "fincorp-techdrive-2025-Q3.xlsx"
    warm = warm_renders(source, runs)
    rows += [
        ("one pack, PDF, warm in-process", f"{warm['pdf']:.3f} s",
         f"bare WeasyPrint {warm['bare']:.3f} s → **{warm['pdf'] / warm['bare']:.2f}×** "
         "(≤ 0.8×)"),
        ("one pack, Word only, warm", f"{warm['docx'] * 1000:.0f} ms", "≤ 150 ms"),
    ]
    return rows, median(times["ours"])


def warm_renders(source: Path, runs: int) -> dict[str, float]:
    from weasyprint import HTML

    from reportgen.build.renderer import Renderer
    from reportgen.clock import build_time
    from reportgen.config import Settings
    from reportgen.domain.scoring import score_review
    from reportgen.intake.validation import load
    from reportgen.render.html import TEMPLATES, render_html
    from reportgen.render.pdf import render_pdf
    from reportgen.render.word.pack import render_docx

    settings = Settings()
    review = score_review(load(source).reviews[0], settings.scoring.rules,
                          settings.risk_bands.rules)
    renderer = Renderer(settings)
    attachments = renderer.attachments(review, source.read_bytes())
    times: dict[str, list[float]] = {"pdf": [], "bare": [], "docx": []}
    for i in range(runs + 1):
        start = time.perf_counter()
        view = renderer.view(review, (), build_time())
        html = render_html(view, renderer.environment())
        render_pdf(view, html, attachments=attachments)
        pdf = time.perf_counter() - start
        start = time.perf_counter()
        HTML(string=html, base_url=TEMPLATES.as_uri() + "/").write_pdf()
        bare = time.perf_counter() - start
        start = time.perf_counter()
        render_docx(view)
        docx = time.perf_counter() - start
        if i:  # the first round warms caches and is not counted
            times["pdf"].append(pdf)
            times["bare"].append(bare)
            times["docx"].append(docx)
    return {k: median(v) for k, v in times.items()}


def batch(work: Path, packs: int) -> tuple[list[tuple[str, str, str]], Path]:
    source = write_portfolio(work / f"portfolio-{packs}.xlsx", packs)
    results = {}
    for jobs in (1, 2):
        out = work / f"batch-j{jobs}"
        results[jobs] = measured_build(["build", str(source), "--out", str(out), "--jobs",
                                        str(jobs)], work)
    unchanged = timed([*REPORTGEN, "build", str(source), "--out", str(work / "batch-j2"),
                       "--jobs", "2"], work)
    one, two = results[1][0], results[2][0]
    sequential_peak, peak = results[1][1] / 1024, results[2][2] / 1024
    rows = [
        (f"{packs} packs (PDF + Word), --jobs 1", f"{one:.1f} s", f"{one / packs:.2f} s/pack"),
        (f"{packs} packs (PDF + Word), --jobs 2", f"{two:.1f} s",
         f"speedup **{one / two:.2f}×** (≥ 2×)"),
        ("peak memory of one worker (max RSS)", f"{peak:.0f} MiB",
         f"≤ 150 MiB (one process, --jobs 1: {sequential_peak:.0f} MiB)"),
        (f"unchanged rebuild of the {packs}", f"{unchanged:.2f} s",
         f"**{100 * unchanged / two:.1f}%** of the first build (≤ 2%)"),
    ]
    return rows, work / "batch-j2"


def libreoffice(work: Path, built: Path, packs: int, ours_one: float,
                ours_batch: float) -> list[tuple[str, str, str]]:
    soffice = shutil.which("soffice")
    if soffice is None:
        return [("LibreOffice comparison", "skipped", "soffice is not installed")]
    documents = sorted(built.glob("*/2025-Q3/r1/*.docx"))[:packs]
    profile = f"-env:UserInstallation=file://{work}/lo-profile"
    convert = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir"]
    timed([*convert, str(work / "lo-warmup"), str(documents[0])], work)  # first-run profile
    one = median([timed([*convert, str(work / f"lo-{i}"), str(documents[0])], work)
                  for i in range(3)])
    many = timed([*convert, str(work / "lo-batch"), *map(str, documents)], work)
    return [
        ("Word pack → PDF by LibreOffice, one document (cold soffice)", f"{one:.2f} s",
         f"ours (PDF + Word) {ours_one:.2f} s → **{ours_one / one:.2f}×** (≤ 0.8×)"),
        (f"the same for {len(documents)} documents in one soffice call", f"{many:.1f} s",
         f"ours --jobs 2 {ours_batch:.1f} s → **{ours_batch / many:.2f}×** (≤ 0.8×)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as folder:
        work = Path(folder)
        single, ours_one = example_pack(work, args.runs)
        batched, built = batch(work, args.packs)
        ours_batch = float(batched[1][1].split()[0])
        lo = libreoffice(work, built, args.packs, ours_one, ours_batch)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}; "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("| measurement | result | against |\n|---|---|---|")
    for row in (*single, *batched, *lo):
        print(f"| {' | '.join(row)} |")


if __name__ == "__main__":
    main()
