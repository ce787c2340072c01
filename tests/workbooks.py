"""Build test workbooks in code: the example's rows, changed cell by cell where a test needs it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.examples import workbooks as example

Rows = list[list[Any]]


def example_sheets(quarter: int = 3) -> dict[str, Rows]:
    """The example workbook as plain values (number formats applied by `write`)."""
    return {
        "Partnership": [[k, c.value] for k, c in example.partnership_rows(quarter)],
        "KPIs": [list(example.KPI_HEADER)] + [[c.value for c in row]
                                              for row in example.kpi_rows(quarter)],
        "Risks": [list(example.RISK_HEADER)] + [[c.value for c in row]
                                                for row in example.risk_rows(quarter)],
        "Decisions": [list(example.DECISION_HEADER)] + [[c.value for c in row]
                                                        for row in example.decision_rows(quarter)],
        "Actions": [list(example.ACTION_HEADER)] + [[c.value for c in row]
                                                    for row in example.action_rows(quarter)],
    }


def _formats(quarter: int) -> dict[str, dict[tuple[int, int], str]]:
    out: dict[str, dict[tuple[int, int], str]] = {}
    for title, rows in (("KPIs", example.kpi_rows(quarter)),
                        ("Decisions", example.decision_rows(quarter))):
        out[title] = {(r, c): cell.number_format
                      for r, row in enumerate(rows, start=2)
                      for c, cell in enumerate(row, start=1) if cell.number_format}
    return out


def write(path: Path, sheets: dict[str, Rows], *, quarter_formats: int | None = 3,
          tweak: Callable[[Workbook], None] | None = None) -> Path:
    """Write `sheets` (name → rows) to `path`; optionally keep the example's number formats."""
    wb = Workbook()
    wb.remove(wb.active)
    formats = _formats(quarter_formats) if quarter_formats else {}
    for name, rows in sheets.items():
        ws: Worksheet = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for (r, c), fmt in formats.get(name, {}).items():
            if r <= ws.max_row:
                ws.cell(r, c).number_format = fmt
    if tweak:
        tweak(wb)
    wb.save(path)
    return path


def write_example(path: Path, quarter: int = 3, **kwargs: Any) -> Path:
    return write(path, example_sheets(quarter), quarter_formats=quarter, **kwargs)


def portfolio_sheets(names: list[str]) -> dict[str, Rows]:
    """A portfolio workbook: the example's figures once per name."""
    one = example_sheets()
    keys = [k for k, _ in one["Partnership"]]
    sheets: dict[str, list[list]] = {"Partnerships": [keys]}
    for name in names:
        values = [v for _, v in one["Partnership"]]
        values[0] = name
        sheets["Partnerships"].append(values)
    for title in ("KPIs", "Risks", "Decisions", "Actions"):
        header, *rows = one[title]
        sheets[title] = [["Partnership", *header]]
        for name in names:
            sheets[title] += [[name, *row] for row in rows]
    return sheets
