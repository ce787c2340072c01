"""The Decisions and Actions sheets: one partnership's rows in, `Decision`s and `Action`s out,
every problem reported at its cell (docs/workbook.md#decisions, #actions).

Both sheets are optional and read the same way: an ID (numbered `D-01`, `A-01`… by position when
blank) that must be unique within the partnership, the text (required), Owner, Due (a date),
Status (one of a few words) and Notes; Decisions also take Recommendation and Financial Impact,
the latter shown as the workbook formats it, and Risk: the IDs of the risks the decision answers,
checked against the Risks sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..domain.measures import format_measure
from ..domain.model import Action, ActionState, Decision, DecisionState, SourceRef
from ..domain.text import normalise
from ..errors import Severity
from .cells import CellReader, Row, text_of
from .numbers import measure_from_cell
from .scanner import RawCell
from .schema import ACTION_STATES, DECISION_STATES

_Item = TypeVar("_Item", Decision, Action)


def read_decisions(rows: list[Row], cells: CellReader, file: str,
                   risk_ids: Sequence[str] = ()) -> list[Decision]:
    """The Decisions rows of one partnership; a row with an error is left out (and reported).
    `risk_ids` are the partnership's risks, which the Risk column may name."""
    def make(row: Row, sheet: str, number: int) -> Decision:
        text, due, state = _common(row, cells, "Decision", DECISION_STATES, DecisionState.OPEN,
                                   "decision status", "use Open or Decided")
        item_id = cells.text(row.cell("ID"), sheet) or f"D-{number:02d}"
        return Decision(
            id=item_id, text=text, owner=cells.text(row.cell("Owner"), sheet), due=due,
            state=state, notes=cells.text(row.cell("Notes"), sheet),
            source=SourceRef(file, sheet, row=row.number, columns=row.table.letters),
            recommendation=cells.text(row.cell("Recommendation"), sheet),
            financial_impact=_as_shown(row.cell("Financial Impact"), cells, sheet),
            risks=_risks(row, cells, sheet, risk_ids),
        )
    return _read(rows, cells, "decision", make)


def _risks(row: Row, cells: CellReader, sheet: str, risk_ids: Sequence[str]) -> tuple[str, ...]:
    """The Risk column's IDs (separated by commas or semicolons), each as the Risks sheet writes
    it; one that is not on the Risks sheet is a warning, and left out."""
    c = row.cell("Risk")
    known = {normalise(r): r for r in risk_ids}
    found: list[str] = []
    for typed in (part.strip() for part in re.split(r"[,;]", cells.text(c, sheet))):
        if not typed:
            continue
        risk = known.get(normalise(typed))
        if risk is None:
            assert c is not None
            cells.report.at(c, sheet, f"risk '{typed}' is not a Risk ID on the Risks sheet; the "
                            "decision is shown without it: write the ID as the Risks sheet "
                            "does", Severity.WARNING)
        elif risk not in found:
            found.append(risk)
    return tuple(found)


def read_actions(rows: list[Row], cells: CellReader, file: str) -> list[Action]:
    """The Actions rows of one partnership; a row with an error is left out (and reported)."""
    def make(row: Row, sheet: str, number: int) -> Action:
        text, due, state = _common(row, cells, "Action", ACTION_STATES, ActionState.OPEN,
                                   "action status", "use Open or Done")
        item_id = cells.text(row.cell("ID"), sheet) or f"A-{number:02d}"
        return Action(id=item_id, text=text, owner=cells.text(row.cell("Owner"), sheet),
                      due=due, state=state, notes=cells.text(row.cell("Notes"), sheet),
                      source=SourceRef(file, sheet, row=row.number,
                                       columns=row.table.letters))
    return _read(rows, cells, "action", make)


def _read(rows: list[Row], cells: CellReader, what: str,
          make: Callable[[Row, str, int], _Item]) -> list[_Item]:
    """Each row made into an item; IDs must be unique (both places named)."""
    items: list[_Item] = []
    seen: dict[str, Row] = {}  # where each ID was first seen
    report = cells.report
    for number, row in enumerate(rows, start=1):
        sheet = row.table.sheet.name
        errors_before = report.errors
        item = make(row, sheet, number)
        key = normalise(item.id)
        if key in seen:
            typed = _typed_id(row)
            report.add(f"{what} ID '{item.id}' is used twice: {_where(seen[key])} and "
                       f"{_where(row)}; IDs must be unique", sheet,
                       row.ref("ID") if typed else None, None if typed else row.number)
        else:
            seen[key] = row
        if report.errors == errors_before:
            items.append(item)
    return items


_State = TypeVar("_State", DecisionState, ActionState)


def _common(row: Row, cells: CellReader, column: str, states: dict[str, _State],
            default: _State, what: str, hint: str) -> tuple[str, dt.date | None, _State]:
    """The text (required), Due and Status of a row."""
    sheet = row.table.sheet.name
    c_text = row.cell(column)
    text = cells.text(c_text, sheet)
    if not text:
        cells.blank(c_text, row, column)
    state = cells.choice(row.cell("Status"), sheet, states, default, what, hint)
    return text, cells.date(row.cell("Due"), sheet), state


def _as_shown(c: RawCell | None, cells: CellReader, sheet: str) -> str:
    """A cell as the workbook shows it: a number in its number format ($1.2M), else its text."""
    if c is not None and c.value.__class__ is float and not c.is_error:
        return format_measure(measure_from_cell(c.value, c.number_format))
    return cells.text(c, sheet)


def _typed_id(row: Row) -> bool:
    """Whether the row's ID was typed (not numbered by position)."""
    return bool(text_of(row.cell("ID")))


def _where(row: Row) -> str:
    """The row's ID cell, or the row itself when its ID was numbered by position."""
    ref = row.ref("ID")
    return ref if ref is not None and _typed_id(row) else f"row {row.number}"
