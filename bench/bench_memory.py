"""Worker memory over a long build: `python bench/bench_memory.py [PACKS] [--jobs 2]`.

Generates a portfolio of PACKS partnerships (default 150), runs `reportgen build --jobs N` on
it in a fresh process and, twice a second, reads each worker's memory from /proc: its resident
set (RSS, which counts the pages it shares with the parent, as `bench/run.py`'s max RSS does),
its peak (VmHWM) and its private memory (`Private_Clean + Private_Dirty` of smaps_rollup: what
it holds on its own). Prints each worker's peak and its memory after every tenth of the run,
so growth with the number of packs shows apart from a high but flat plateau.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from portfolio import write_portfolio  # noqa: E402

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1759311000"}


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the pool's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def memory_kib(pid: int) -> tuple[int, int, int] | None:
    """(peak RSS so far, RSS, private) of `pid` in KiB, or None once it has exited."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            values = {line.split(":")[0]: int(line.split()[1]) for line in rollup
                      if line.split(":")[0] in ("Rss", "Private_Clean", "Private_Dirty")}
        with open(f"/proc/{pid}/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return peak, values["Rss"], values["Private_Clean"] + values["Private_Dirty"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packs", type=int, nargs="?", default=150)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reportgen-mem-") as folder:
        work = Path(folder)
        source = write_portfolio(work / f"portfolio-{args.packs}.xlsx", args.packs)
        log = (work / "build.log").open("w")
        start = time.perf_counter()
        build = subprocess.Popen(
            [sys.executable, "-m", "reportgen.cli", "build", str(source), "--out",
             str(work / "out"), "--jobs", str(args.jobs)],
            env=ENV, stdout=log, stderr=subprocess.DEVNULL)
        # worker → (packs built so far, peak RSS, RSS, private)
        samples: dict[int, list[tuple[int, int, int, int]]] = {}
        while build.poll() is None:
            done = (work / "build.log").read_text().count("\nbuilt") + 1
            for worker in children(build.pid):
                measured = memory_kib(worker)
                if measured is not None:
                    samples.setdefault(worker, []).append((done, *measured))
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
        log.close()
        built = (work / "build.log").read_text().count("built ")
    print(f"{built} packs built in {elapsed:.0f} s with --jobs {args.jobs}")
    for worker, series in sorted(samples.items()):
        if len(series) < 4:
            continue  # a short-lived helper, not a pool worker
        peak_rss = max(s[1] for s in series) / 1024
        peak_private = max(s[3] for s in series) / 1024
        marks = []
        for tenth in range(1, 11):
            wanted = built * tenth // 10
            at = next((s for s in series if s[0] >= wanted), series[-1])
            marks.append(f"{at[2] / 1024:.0f}/{at[3] / 1024:.0f}")
        print(f"worker {worker}: peak RSS (VmHWM) {peak_rss:.0f} MiB, peak private "
              f"{peak_private:.0f} MiB; RSS/private (MiB) at each tenth of the packs: "
              f"{' '.join(marks)}")


if __name__ == "__main__":
    main()
