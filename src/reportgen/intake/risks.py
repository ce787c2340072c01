"""Risks sheet rows → `Risk`s, every problem reported at its cell (docs/workbook.md#risks).

Part of `validation`'s run, which hands over the sheet's rows and its checks of blank required
cells and of 1–5 scales: ID and description (required), probability and impact (whole 1–5), the
risk's status, and the optional register columns, the mitigation's Due date and its Target
Probability and Target Impact (given together, whole 1–5; a target above the current score is
a warning).
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.model import Risk, RiskState, SourceRef
from ..domain.text import normalise
from ..errors import Severity
from .cells import CellReader, Row
from .scanner import RawCell
from .schema import RISK_FIELDS, RISK_STATES

Blank = Callable[[RawCell | None, Row, str], None]  # reports a blank required cell
Scale = Callable[[RawCell | None, Row, str], int | None]  # a whole 1–5 cell, or None (reported)


def read_risks(rows: list[Row], file: str, cells: CellReader, blank: Blank,
               scale: Scale) -> list[Risk]:
    """The valid rows as risks; a row with an error is reported and left out."""
    risks = []
    seen: dict[str, Row] = {}  # where each risk ID was first seen
    report = cells.report
    for row in rows:
        sheet = row.table.sheet.name
        errors_before = report.errors
        (c_id, c_text, c_category, c_probability, c_impact, c_mitigation, c_owner,
         c_status, c_due, c_target_p, c_target_i) = row.table.pick(RISK_FIELDS, row.cells)
        rid, text = cells.text(c_id, sheet), cells.text(c_text, sheet)
        if not rid:
            blank(c_id, row, "Risk ID")
        if not text:
            blank(c_text, row, "Risk")
        probability = scale(c_probability, row, "Probability")
        impact = scale(c_impact, row, "Impact")
        state = cells.choice(c_status, sheet, RISK_STATES, RiskState.OPEN, "risk status",
                             "use Open or Closed")
        due = cells.date(c_due, sheet)
        target = _target(row, cells, scale, c_target_p, c_target_i)
        if rid:
            key = normalise(rid)
            if key in seen:
                report.add(f"risk ID '{rid}' is used twice: {seen[key].ref('Risk ID')} and "
                           f"{row.ref('Risk ID')}", sheet, row.ref("Risk ID"))
            else:
                seen[key] = row
        if report.errors > errors_before:
            continue
        assert probability is not None and impact is not None
        if target is not None and target[0] * target[1] > probability * impact:
            report.add(f"the target score {target[0] * target[1]} (Target Probability "
                       f"{target[0]} × Target Impact {target[1]}) is above the current score "
                       f"{probability * impact}; the target is where the mitigation should "
                       "bring the risk", sheet, row.ref("Target Probability"),
                       severity=Severity.WARNING)
        risks.append(Risk(
            id=rid, description=text, probability=probability, impact=impact,
            category=cells.text(c_category, sheet), mitigation=cells.text(c_mitigation, sheet),
            owner=cells.text(c_owner, sheet), state=state,
            source=SourceRef(file, sheet, row=row.number, columns=row.table.letters), due=due,
            target_probability=None if target is None else target[0],
            target_impact=None if target is None else target[1],
        ))
    return risks


def _target(row: Row, cells: CellReader, scale: Scale, c_probability: RawCell | None,
            c_impact: RawCell | None) -> tuple[int, int] | None:
    """(Target Probability, Target Impact) when both are given and valid; one without the
    other is reported at the blank one."""
    given = {name: c for name, c in (("Target Probability", c_probability),
                                     ("Target Impact", c_impact))
             if c is not None and c.value is not None}
    if not given:
        return None
    if len(given) == 1:
        (present,) = given
        absent = "Target Impact" if present == "Target Probability" else "Target Probability"
        where = row.ref(absent)
        cells.report.add(f"{present} is given but {absent} is blank; give both (the target "
                         f"score is Target Probability × Target Impact) or neither",
                         row.table.sheet.name, where, row=None if where else row.number)
        return None
    probability = scale(c_probability, row, "Target Probability")
    impact = scale(c_impact, row, "Target Impact")
    return None if probability is None or impact is None else (probability, impact)
