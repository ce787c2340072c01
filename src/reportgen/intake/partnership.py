"""A partnership's facts: the cells of its Partnership keys in (one sheet's column B, or one
row of a portfolio's Partnerships sheet), a checked `Partnership` out, or None with each problem
reported at its cell (docs/workbook.md#partnership).

Besides what each key must hold, the limits that let every later step finish what `validate`
passed: the Word pack's core properties take at most 255 characters each, and its title,
subject and keywords are built from the partnership's and the partner's names and the quarter
(docs/workbook.md#limits), so those names, the people's names and the confidentiality label
are held to `schema.TEXT_LIMITS`; quarters must fall in `schema.YEARS`, as dates must.
"""

from __future__ import annotations

from ..domain.language import language_tag
from ..domain.model import Partnership, Quarter, SourceRef
from .cells import CellReader, Report, coordinates
from .scanner import RawCell
from .schema import GOVERNANCE, TEXT_LIMITS, YEARS

_OPTIONAL = ("Partner Sponsor", "Alliance Manager", "Confidentiality")


def read_partnership(values: dict[str, RawCell | None], sheet: str, row: int | None,
                     cells: CellReader, file: str) -> Partnership | None:
    """The partnership whose key → cell map is `values`; None when any of its cells is wrong."""
    report = cells.report
    errors_before = report.errors

    def text(key: str, required: bool) -> str:
        c = values.get(key)
        if c is None:
            return ""
        value = cells.text(c, sheet)
        if required and not value and not (c.is_error or c.formula_without_value):
            report.at(c, sheet, f"'{key}' is required but blank")
        limit = TEXT_LIMITS.get(key)
        if limit is not None and len(value) > limit:
            report.at(c, sheet, f"'{key}' is {len(value):,} characters long; at most {limit} "
                      "fit the pack's title and the Word file's properties")
        return value

    name = text("Partnership", True)
    partner = text("Partner", True)
    sponsor = text("Executive Sponsor", True)
    quarter = _quarter(values.get("Quarter"), text("Quarter", True), sheet, report)
    optional = {key: text(key, False) for key in _OPTIONAL}
    governance = cells.choice(values.get("Governance Model"), sheet, GOVERNANCE, None,
                              "governance model", "use Direct Sponsorship, Joint Steering "
                              "Committee or Three-Tiered Governance")
    review = cells.date(values.get("Review Date"), sheet)
    following = cells.date(values.get("Next Review"), sheet)
    distribution = cells.distribution(values.get("Distribution"), sheet)
    language = _language(values.get("Language"), text("Language", False), sheet, report)
    if report.errors > errors_before or quarter is None:
        return None
    return Partnership(
        name=name, partner=partner, quarter=quarter, executive_sponsor=sponsor,
        partner_sponsor=optional["Partner Sponsor"],
        alliance_manager=optional["Alliance Manager"], governance_model=governance,
        review_date=review, next_review=following, distribution=distribution,
        confidentiality=optional["Confidentiality"] or "Confidential",
        source=SourceRef(file, sheet, row=row, columns=coordinates(values)),
        language=language,
    )


def _language(c: RawCell | None, text: str, sheet: str, report: Report) -> str:
    """The Language cell's canonical tag ("" when blank or absent); reported when its language
    is not one reportgen ships."""
    if c is None or not text:
        return ""
    try:
        return language_tag(text)
    except ValueError as problem:
        report.at(c, sheet, str(problem))
        return ""


def _quarter(c: RawCell | None, text: str, sheet: str, report: Report) -> Quarter | None:
    """The Quarter cell's quarter, in `YEARS`; None (reported) when it is not one."""
    if c is None or not text:
        return None
    try:
        quarter = Quarter.parse(text)
    except ValueError:
        report.at(c, sheet, f"'{text}' is not a quarter; write it as 2025-Q3 (Q3 2025, Q3-2025 "
                  "and 2025Q3 also work)")
        return None
    if quarter.year not in YEARS:
        report.at(c, sheet, f"'{text}' is not a quarter reportgen can file: the year must be "
                  f"from {YEARS[0]} to {YEARS[-1]}")
        return None
    return quarter
