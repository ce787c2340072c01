"""The archive as a catalogue: every partnership and everything it was issued, as records.

What `archive.catalogue` reads back for the static site (docs/site.md): `QuarterResult` is the
latest revision of one partnership's quarter (a line of the index and of a quarter's page);
`PartnershipEntry` is a partnership with its quarters; `PartnershipRecord` is everything about
one partnership: every revision with its files and e-mail deliveries (`RevisionRecord`), and
the KPI and risk results of each quarter's latest revision (`KpiResult`, `RiskResult`). The
archive builds these; nothing here touches it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .history import ArchivedReview, ArtifactRecord, Delivery
from .model import Measure, RiskRating, RiskState, Status


@dataclass(frozen=True)
class QuarterResult:
    """The latest revision of one partnership's quarter."""

    review_id: int
    quarter: str  # canonical "2025-Q3"
    revision: int
    score: int
    status: Status
    created_at: dt.datetime  # UTC
    open_severe_risks: int  # open risks rated High or Critical
    pdf: str | None  # the PDF's path as archived (relative to the outputs folder), if any


@dataclass(frozen=True)
class PartnershipEntry:
    """One partnership as the index lists it."""

    key: str  # what groups its reviews in the archive (see archive.catalogue.partnership_key)
    name: str  # as its most recent review spells it
    partner: str
    quarters: tuple[QuarterResult, ...]  # oldest first
    revisions: int  # every archived revision, of every quarter
    last_pack_at: dt.datetime | None  # when the latest revision with a PDF was archived

    @property
    def latest(self) -> QuarterResult:
        return self.quarters[-1]


@dataclass(frozen=True)
class RevisionRecord:
    """One archived revision with its files and each recipient's latest delivery state."""

    review: ArchivedReview
    source_file: str
    artifacts: tuple[ArtifactRecord, ...]
    deliveries: tuple[Delivery, ...]  # in the order their latest states were logged


@dataclass(frozen=True)
class KpiResult:
    """A KPI's result in the latest revision of one quarter."""

    quarter: str
    category: str
    kpi: str
    status: Status
    points: int
    actual: float | None = None  # None: no data that quarter
    measure: Measure | None = None  # the actual as its workbook showed it, when archived so


@dataclass(frozen=True)
class RiskResult:
    """A risk as the latest revision of one quarter rated it."""

    quarter: str
    risk_id: str
    description: str
    score: int
    rating: RiskRating
    state: RiskState


@dataclass(frozen=True)
class PartnershipRecord:
    """Everything the archive holds about one partnership."""

    key: str
    name: str  # as its most recent review spells it
    partner: str
    revisions: tuple[RevisionRecord, ...]  # oldest quarter first, then by revision
    kpis: tuple[KpiResult, ...]  # each quarter's latest revision, oldest quarter first
    risks: tuple[RiskResult, ...]  # likewise, in each review's rank order
