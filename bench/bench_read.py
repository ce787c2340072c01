"""Benchmark: read + validate + score a portfolio workbook of 1,000 partnerships.

    .venv/bin/python bench/bench_read.py [PARTNERSHIPS] [RUNS]

6,000 KPI rows and 4,000 risk rows by default. Prints the median and spread of RUNS runs (after
one warm-up), the share spent reading the file, and openpyxl's read-only reader on the same
file in the same run, for scale. Target: ≤ 1 s on a 2-core machine.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import openpyxl
from portfolio import write_portfolio

from reportgen.config import Settings
from reportgen.scoring import score_review
from reportgen.validation import SHEETS, load
from reportgen.workbook import read_workbook


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        path = write_portfolio(Path(folder) / "portfolio.xlsx", count)
        size = path.stat().st_size

        def once() -> tuple[float, float, int, float]:
            start = time.perf_counter()
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for sheet in book.worksheets:
                for _ in sheet.iter_rows(values_only=True):
                    pass
            book.close()
            baseline = time.perf_counter() - start
            start = time.perf_counter()
            read_workbook(path, SHEETS)
            read = time.perf_counter() - start
            start = time.perf_counter()
            loaded = load(path)
            scored = [score_review(r, settings.scoring, settings.risk_bands)
                      for r in loaded.reviews]
            return time.perf_counter() - start, read, len(scored), baseline

        once()
        results = [once() for _ in range(runs)]
    totals = [r[0] for r in results]
    reads = [r[1] for r in results]
    print(f"portfolio: {count} partnerships, {count * 6} KPI rows, {count * 4} risk rows, "
          f"{size / 1024:.0f} KiB; {results[0][2]} reviews scored")
    print(f"read + validate + score: median {statistics.median(totals):.3f} s "
          f"(min {min(totals):.3f}, max {max(totals):.3f}, n={runs})")
    print(f"  of which reading the workbook: median {statistics.median(reads):.3f} s; "
          f"openpyxl's read-only reader on the same file, same run: "
          f"{statistics.median(r[3] for r in results):.3f} s")


if __name__ == "__main__":
    main()
