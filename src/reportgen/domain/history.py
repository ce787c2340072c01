"""What the archive remembers, as the rest of reportgen reads it back.

`PreviousReview` is the quarter before, which scoring compares with
(docs/scoring.md#change-since-last-quarter); `HistoryEntry` is one earlier quarter for the
trend; `ArchivedReview`, `ReviewRow`, `ArtifactRecord` and `Delivery` are archive records (a
revision, a line of `reportgen history`, a pack file, an e-mail delivery state). The archive
builds these; nothing here touches it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import DecisionState, Measure, Status


@dataclass(frozen=True)
class PreviousReview:
    """The latest archived revision of the previous quarter: its score and each KPI, open risk
    and decision, keyed by normalised KPI name, by risk ID and by decision ID."""

    quarter: str
    score: int
    status: Status
    kpi_status: dict[str, Status] = field(default_factory=dict)
    kpi_actual: dict[str, float | None] = field(default_factory=dict)
    # the actual as its workbook showed it ($1.6M, 4.6%): KPIs archived with their look only
    kpi_measure: dict[str, Measure] = field(default_factory=dict)
    risk_score: dict[str, int] = field(default_factory=dict)
    # risk id → (probability, impact)
    risk_cell: dict[str, tuple[int, int]] = field(default_factory=dict)
    # decision id → its state then (empty for a quarter archived before decisions were)
    decision_state: dict[str, DecisionState] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryEntry:
    """One archived quarter, as the archive hands it to the view (oldest first)."""

    quarter: str  # canonical "2025-Q2"
    score: int
    status: Status
    kpi_status: dict[str, Status] = field(default_factory=dict)  # KPI name → status
    kpi_actual: dict[str, float | None] = field(default_factory=dict)  # KPI name → actual
    kpi_measure: dict[str, Measure] = field(default_factory=dict)  # as in `PreviousReview`


@dataclass(frozen=True)
class ArchivedReview:
    """One archived revision of a partnership's quarter."""

    id: int
    partnership: str
    partnership_slug: str  # the slug when it was recorded
    partnership_key: str  # who the partnership is (`Partnership.key`)
    quarter: str  # canonical "2025-Q3"
    revision: int
    inputs_sha256: str
    config_digest: str
    score: int
    status: Status
    created_at: dt.datetime  # UTC
    tool_version: str


@dataclass(frozen=True)
class ArtifactRecord:
    """A file of an archived revision."""

    kind: str  # "pdf", "docx", "html" or "manifest"
    path: str  # relative to the outputs folder, "/"-separated
    sha256: str
    size: int
    language: str = ""  # the tag of a reader's language it is written in; "": the pack's


@dataclass(frozen=True)
class ReviewRow:
    """One archived revision, as `reportgen history` lists it."""

    quarter: str
    revision: int
    score: int
    status: Status
    created_at: dt.datetime  # UTC
    inputs_sha256: str


@dataclass(frozen=True)
class Delivery:
    """A recipient's delivery state for one revision."""

    recipient: str
    state: str  # "sending", "sent" or "refused"
    message_id: str
    server_reply: str
    created_at: dt.datetime  # UTC
    copy_sha256: str = ""  # the recipient's own copy ("" : the pack as built)
