"""Generate a portfolio workbook of N partnerships (6 KPIs and 4 risks each) for benchmarks.

    python bench/portfolio.py 1000 /tmp/portfolio-1000.xlsx

The figures vary per partnership (seeded, so the file is the same every run) around the
example's, so statuses, scores and risk ratings spread across every band.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook

from reportgen import example

PARTNERSHIP_COLUMNS = ("Partnership", "Partner", "Quarter", "Executive Sponsor",
                       "Partner Sponsor", "Alliance Manager", "Governance Model",
                       "Confidentiality")


def write_portfolio(path: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    partnerships = wb.create_sheet("Partnerships")
    kpis = wb.create_sheet("KPIs")
    risks = wb.create_sheet("Risks")
    partnerships.append(PARTNERSHIP_COLUMNS)
    kpis.append(("Partnership", *example.KPI_HEADER))
    risks.append(("Partnership", *example.RISK_HEADER))
    models = ("Direct Sponsorship", "Joint Steering Committee", "Three-Tiered Governance")
    for n in range(1, count + 1):
        name = f"Alliance {n:04d} — Partner {n:04d} Co-Sell"
        partnerships.append((name, f"Partner {n:04d} Ltd", "2025-Q3", f"Sponsor {n}",
                             f"Counterpart {n}", f"Manager {n}", models[n % 3], "Confidential"))
        for row in example.kpi_rows(3):
            cells = [c.value for c in row]
            target = cells[3]
            cells[4] = round(target * rng.uniform(0.8, 1.15), 4)  # actual around target
            kpis.append((name, *cells))
        for row in example.risk_rows(3):
            cells = [c.value for c in row]
            cells[3], cells[4] = rng.randint(1, 5), rng.randint(1, 5)
            risks.append((name, *cells))
    wb.save(path)
    return path


if __name__ == "__main__":
    write_portfolio(Path(sys.argv[2]), int(sys.argv[1]))
