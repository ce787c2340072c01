"""Benchmark: read + validate + score a portfolio workbook of 1,000 partnerships.

    .venv/bin/python bench/bench_read.py [PARTNERSHIPS] [RUNS]

6,000 KPI rows and 4,000 risk rows by default, in two files with the same content: text in a
shared-strings table (as Excel and LibreOffice save it) and openpyxl's inline strings. Each run
does what `reportgen score` does (`load_or_raise`, then `score_reviews`); the two
files are run in turn (A, B, A, B, ...) after one warm-up, so machine noise hits both alike.
Prints medians and spreads, the share spent reading, and openpyxl's read-only reader on the same
file for scale. Target: ≤ 1 s on a 2-core machine.
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
from reportgen.domain.scoring import score_reviews
from reportgen.gctune import LOADING, fewer_collections
from reportgen.intake.scanner import read_workbook
from reportgen.intake.schema import SHEETS
from reportgen.intake.validation import load_or_raise


def read_validate_score(path: Path, settings: Settings) -> int:
    """What `reportgen score` runs."""
    reviews, _ = load_or_raise(path)
    with fewer_collections(LOADING):
        return len(score_reviews(reviews, settings.scoring.rules, settings.risk_bands.rules))


def reading_only(path: Path) -> None:
    with fewer_collections(LOADING):  # as `load` reads it
        read_workbook(path, SHEETS)


def openpyxl_read_only(path: Path) -> None:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def spread(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s (min {min(values):.3f}, "
            f"max {max(values):.3f}, n={len(values)})")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "shared strings (as Excel saves)": write_portfolio(
                Path(folder) / "shared.xlsx", count),
            "inline strings (as openpyxl writes)": write_portfolio(
                Path(folder) / "inline.xlsx", count, shared_strings=False),
        }
        scored = {label: read_validate_score(path, settings) for label, path in files.items()}
        totals: dict[str, list[float]] = {label: [] for label in files}
        reads: dict[str, list[float]] = {label: [] for label in files}
        for _ in range(runs):
            for label, path in files.items():
                totals[label].append(timed(read_validate_score, path, settings))
                reads[label].append(timed(reading_only, path))
        baseline = [timed(openpyxl_read_only, files["shared strings (as Excel saves)"])
                    for _ in range(3)]
        print(f"portfolio: {count} partnerships, {count * 6} KPI rows, {count * 4} risk rows")
        for label, path in files.items():
            print(f"\n{label}: {path.stat().st_size / 1024:.0f} KiB, "
                  f"{scored[label]} reviews scored")
            print(f"  read + validate + score: {spread(totals[label])}")
            print(f"  of which reading: median {statistics.median(reads[label]):.3f} s")
        print(f"\nopenpyxl read-only, values only, shared-strings file: {spread(baseline)}")


if __name__ == "__main__":
    main()
