"""What `reportgen history` prints: archived revisions → JSON, CSV or a terminal table.

Input: (name, `ReviewRow`s) as `Archive.reviews` returns them (oldest quarter first, then
revision). Output: text, or a `rich.table.Table` for the console. The CLI wraps these; they do
no printing themselves. The CSV is safe to open in a spreadsheet: see `spreadsheet_safe`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..domain.history import ReviewRow
from ..domain.model import Quarter

if TYPE_CHECKING:
    from rich.table import Table

COLUMNS = ("quarter", "revision", "score", "status", "created_at", "inputs_sha256")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell a formula


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text starting with `=`, `+`, `-`, `@`, a
    tab or a carriage return gets a leading `'` (OWASP's advice against CSV injection), so a
    partnership named `=HYPERLINK(…)` shows as that text. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _record(row: ReviewRow) -> dict[str, str | int]:
    return {
        "quarter": row.quarter,
        "revision": row.revision,
        "score": row.score,
        "status": row.status.value,
        "created_at": row.created_at.isoformat(),
        "inputs_sha256": row.inputs_sha256,
    }


def history_json(name: str, rows: Sequence[ReviewRow]) -> str:
    """{"partnership": name, "reviews": [{"quarter", "revision", "score", "status", "created_at",
    "inputs_sha256"}, …]}, in the order given (docs/archive.md#history)."""
    document = {"partnership": name, "reviews": [_record(row) for row in rows]}
    return json.dumps(document, ensure_ascii=False, indent=2)


def history_csv(name: str, rows: Sequence[ReviewRow]) -> str:
    """One line per revision, headed `partnership,quarter,revision,score,status,created_at,…`.

    Every text cell is quoted (so a `;` in a name cannot split it where `;` separates cells) and
    made `spreadsheet_safe`."""
    import pandas as pd

    frame = pd.DataFrame([_record(row) for row in rows], columns=list(COLUMNS))
    frame.insert(0, "partnership", name)
    return frame.map(spreadsheet_safe).to_csv(index=False, lineterminator="\n",
                                               quoting=csv.QUOTE_NONNUMERIC)


def history_table(name: str, rows: Sequence[ReviewRow]) -> Table:
    """The revisions as a terminal table; the status is spelled out, colour only adds to it."""
    from rich.table import Table
    from rich.text import Text

    colours = {"Green": "green", "Amber": "yellow", "Red": "red"}
    table = Table(title=Text(name), title_justify="left")  # Text: names are not markup
    table.add_column("Quarter")
    table.add_column("Revision", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Status")
    table.add_column("Archived (UTC)")
    table.add_column("Inputs SHA-256")
    for row in rows:
        colour = colours.get(row.status.value, "")
        table.add_row(
            Quarter.parse(row.quarter).label,
            f"r{row.revision}",
            str(row.score),
            Text(row.status.value, style=colour),
            row.created_at.strftime("%Y-%m-%d %H:%M"),
            row.inputs_sha256[:12],
        )
    return table
