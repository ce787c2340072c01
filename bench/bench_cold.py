"""One cold pack against bare WeasyPrint: `python bench/bench_cold.py [--runs 15] [--formats pdf]`.

Each pair is two fresh processes, run one after the other (interleaved, so machine noise hits
both alike): `reportgen build` of the example's Q3 workbook into a copy of an outputs folder
whose archive already holds Q2 (what a user has the quarter after the first: an archive at the
current schema, history for the trend), then the floor, a bare script that imports WeasyPrint
and writes the same pack's HTML to PDF. It prints each side's median and range, the ratio of
the medians (the issue's measure, target ≤ 1.10×) and the spread of the pairs' own ratios.

`--archive new` builds into an empty folder instead (a new archive: its migrations run),
`--archive none` with `--no-archive`. `--code DIR` runs another checkout's `DIR/src` as
"ours" too, interleaved as a third process of each round, for A/B comparisons of changes.
Ours keeps its fonts' widths and compiled templates in the user's cache folder
(`render.diskcache`), filled by the set-up; `--fresh-cache` gives every build an empty one, as
on the first build after installing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ENV, FLOOR, PYTHON  # noqa: E402

SOURCE = "fincorp-techdrive-2025-Q3.xlsx"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of one command in a fresh process (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def prepare(work: Path) -> tuple[Path, Path, str]:
    """The example workbooks, an outputs folder with Q2 built (the archive's history), and the
    Q3 pack's HTML as the build renders it there, for the floor."""
    from reportgen.archive import Archive
    from reportgen.build.pipeline import score_against
    from reportgen.build.renderer import Renderer
    from reportgen.cli import main
    from reportgen.clock import build_time
    from reportgen.config import Settings
    from reportgen.intake.validation import load
    from reportgen.render.html import TEMPLATES, render_html

    main(["init", str(work / "ex")])
    base = work / "base"
    main(["build", str(work / "ex" / SOURCE.replace("Q3", "Q2")), "--out", str(base),
          "--format", "pdf"])
    settings = Settings()
    with Archive.open(f"sqlite:///{base / 'archive.sqlite'}") as archive:
        scored, history = score_against(load(work / "ex" / SOURCE).reviews[0], settings, archive)
    renderer = Renderer(settings)
    html = work / "pack.html"
    html.write_text(render_html(renderer.view(scored, history, build_time()),
                                renderer.environment()), encoding="utf-8")
    return base, html, TEMPLATES.as_uri() + "/"


def spread(values: list[float]) -> str:
    quartiles = statistics.quantiles(values, n=4)
    return (f"median {statistics.median(values):.3f}, quartiles {quartiles[0]:.3f}–"
            f"{quartiles[2]:.3f}, range {min(values):.3f}–{max(values):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="pairs (default 15)")
    parser.add_argument("--formats", default="pdf")
    parser.add_argument("--archive", choices=("existing", "new", "none"), default="existing")
    parser.add_argument("--code", type=Path, help="another checkout to time as well (A/B)")
    parser.add_argument("--fresh-cache", action="store_true",
                        help="an empty cache folder for every build")
    args = parser.parse_args()
    sides = {"ours": ENV}
    if args.code:
        sides["other"] = {**ENV, "PYTHONPATH": str(args.code.resolve() / "src")}
    with tempfile.TemporaryDirectory(prefix="reportgen-cold-") as folder:
        work = Path(folder)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            base, html, base_url = prepare(work)
        times: dict[str, list[float]] = {name: [] for name in (*sides, "floor")}
        for i in range(args.runs):
            for name, env in sides.items():
                out = work / f"{name}-{i}"
                extra = ["--no-archive"] if args.archive == "none" else []
                if args.archive == "existing":
                    shutil.copytree(base, out)
                if args.fresh_cache:
                    env = {**env, "XDG_CACHE_HOME": str(work / f"cache-{name}-{i}")}
                times[name].append(timed(
                    [PYTHON, "-m", "reportgen.cli", "build", str(work / "ex" / SOURCE), "--out",
                     str(out), "--format", args.formats, *extra], work, env))
            times["floor"].append(timed([PYTHON, "-c", FLOOR, str(html), base_url,
                                         str(work / f"floor-{i}.pdf")], work, ENV))
    floor = statistics.median(times["floor"])
    print(f"{os.uname().nodename}: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{args.runs} interleaved rounds; build --format {args.formats}, archive "
          f"{args.archive}{', fresh cache' * args.fresh_cache}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"  floor (bare WeasyPrint): {spread(times['floor'])} s")
    for name in sides:
        ratios = [a / b for a, b in zip(times[name], times["floor"], strict=True)]
        print(f"  {name}: {spread(times[name])} s")
        ratio = statistics.median(times[name]) / floor
        print(f"  {name} / floor: ratio of medians **{ratio:.3f}×**; pairs' ratios "
              f"{spread(ratios)}")


if __name__ == "__main__":
    main()
