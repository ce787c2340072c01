"""Every domain object read from a row knows the cell of each of its values (`SourceRef.cell_of`),
so a later stage can name the cell: the Partnership sheet's keys, the tables' columns in any
order, and a portfolio's Partnerships sheet."""

from __future__ import annotations

from pathlib import Path

from reportgen.domain.model import SourceRef
from reportgen.intake.validation import load
from workbooks import example_sheets, portfolio_sheets, write


def test_each_value_of_a_single_partnership_workbook_has_its_cell(tmp_path: Path) -> None:
    (review,) = load(write(tmp_path / "book.xlsx", example_sheets())).reviews
    p = review.partnership.source
    assert p is not None and p.sheet == "Partnership"
    assert (p.cell_of("Partnership"), p.cell_of("Partner"), p.cell_of("Distribution")) == (
        "B1", "B2", "B10")
    kpi = review.kpis[2].source  # row 4
    assert kpi is not None and (kpi.sheet, kpi.row) == ("KPIs", 4)
    assert (kpi.cell_of("KPI"), kpi.cell_of("Owner"), kpi.cell_of("Commentary")) == (
        "B4", "J4", "K4")
    risk = review.risks[1].source
    assert risk is not None and (risk.cell_of("Risk ID"), risk.cell_of("Risk")) == ("A3", "B3")
    decision = review.decisions[0].source
    assert decision is not None and decision.cell_of("Notes") == "F2"
    assert kpi.cell_of("No such column") is None


def test_columns_in_another_order_keep_their_cells(tmp_path: Path) -> None:
    sheets = example_sheets()
    sheets["Risks"] = [[row[6], *row[:6], row[7]] for row in sheets["Risks"]]  # Owner first
    (review,) = load(write(tmp_path / "book.xlsx", sheets)).reviews
    source = review.risks[0].source
    assert source is not None
    assert (source.cell_of("Owner"), source.cell_of("Risk ID")) == ("A2", "B2")


def test_a_portfolio_row_has_its_cells(tmp_path: Path) -> None:
    loaded = load(write(tmp_path / "portfolio.xlsx", portfolio_sheets(["Alpha", "Beta"]),
                        quarter_formats=None))
    beta = loaded.reviews[1]
    source = beta.partnership.source
    assert source is not None and (source.sheet, source.cell_of("Partnership")) == (
        "Partnerships", "A3")
    kpi = beta.kpis[0].source
    assert kpi is not None and kpi.cell_of("KPI") == "C8"  # after the Partnership column


def test_a_source_without_columns_knows_no_cell() -> None:
    assert SourceRef("book.xlsx", "KPIs", row=4).cell_of("KPI") is None
    assert SourceRef("book.xlsx", "KPIs", columns=(("KPI", "B"),)).cell_of("KPI") is None
