"""Domain types: what a partnership review is made of, independent of any file format.

Workbook rows become these objects in `intake.validation`; `scoring` turns them into a
`ScoredReview`.
Every object that came from a cell keeps a `SourceRef`, so later stages can still say where.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from .text import normalise


class Status(StrEnum):
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    NO_DATA = "No data"

    @property
    def letter(self) -> str:
        return {"Green": "G", "Amber": "A", "Red": "R", "No data": "–"}[self.value]

    @property
    def rank(self) -> int:
        """Higher is better; used for 'worse than last quarter'."""
        return {"Green": 3, "Amber": 2, "Red": 1, "No data": 0}[self.value]


class StatusSource(StrEnum):
    COMPUTED = "computed"
    OVERRIDE = "override"
    NO_DATA = "no-data"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class RiskRating(StrEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"
    CRITICAL = "Critical"


class RiskState(StrEnum):
    OPEN = "Open"
    CLOSED = "Closed"


class DecisionState(StrEnum):
    OPEN = "Open"
    DECIDED = "Decided"


class ActionState(StrEnum):
    OPEN = "Open"
    DONE = "Done"


class GovernanceModel(StrEnum):
    DIRECT = "Direct Sponsorship"
    STEERING = "Joint Steering Committee"
    THREE_TIER = "Three-Tiered Governance"


_QUARTER_FORMS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.I),
    re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})$", re.I),
)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Accept `2025-Q3`, `Q3 2025`, `Q3-2025`, `2025Q3` (any case); raise ValueError."""
        cleaned = text.strip()
        for form in _QUARTER_FORMS:
            match = form.match(cleaned)
            if match:
                return cls(int(match["y"]), int(match["q"]))
        raise ValueError(f"{text!r} is not a quarter; write it as 2025-Q3 (or Q3 2025)")

    @property
    def canonical(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.canonical


class SourceRef(NamedTuple):
    """Where a value came from: file, sheet and cell (or row).

    A named tuple, like `Measure`: a portfolio makes one per row, and tuples are several times
    cheaper to make than frozen dataclasses. `columns` says where each of the row's values is:
    (column heading, column letter) pairs, one tuple shared by every row of a table; on the
    Partnership sheet, (key, cell) pairs.
    """

    file: str
    sheet: str
    cell: str | None = None
    row: int | None = None
    columns: tuple[tuple[str, str], ...] = ()

    def cell_of(self, column: str) -> str | None:
        """The cell ("G7") that held this row's value under `column` (None when not known)."""
        where = dict(self.columns).get(column)
        if where is None or where[-1].isdigit():
            return where
        return f"{where}{self.row}" if self.row is not None else None


class Measure(NamedTuple):
    """A number as the workbook showed it: the value plus how to write it back.

    `value` is the number as read (a percentage is its fraction: 5% is 0.05). The display
    fields reproduce the workbook's look: `$2.0M`, `99.95%`, `+55`, `4.0`.
    """

    value: float
    percent: bool = False
    decimals: int | None = None  # None: the fewest that keep the value exact, at most 2
    prefix: str = ""
    suffix: str = ""
    plus: bool = False
    thousands: bool = False
    scale: int = 0  # thousands the format divides by for display (`#,##0,,"M"` is 2)


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    language: str = ""  # the canonical tag of the language this reader is sent the pack in;
    # "" follows the pack

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address

    @property
    def listed(self) -> str:
        """As the Distribution cell and `send --to` write it: `Name <addr> [ja]`."""
        return f"{self} [{self.language}]" if self.language else str(self)


@dataclass(frozen=True)
class Partnership:
    name: str
    partner: str
    quarter: Quarter
    executive_sponsor: str
    partner_sponsor: str = ""
    alliance_manager: str = ""
    governance_model: GovernanceModel | None = None
    review_date: dt.date | None = None
    next_review: dt.date | None = None
    distribution: tuple[Recipient, ...] = ()
    confidentiality: str = "Confidential"
    source: SourceRef | None = None
    language: str = ""  # the Language key's canonical BCP 47 tag; "" follows the settings

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def key(self) -> str:
        """Who the partnership is, in the archive and in one build: its name, matched as names
        are (in NFKC, case and runs of spaces ignored). Two names that differ in anything else,
        even only in punctuation, are two partnerships, however alike their slugs."""
        return normalise(self.name)


@dataclass(frozen=True)
class Kpi:
    category: str
    name: str
    metric: str
    target: Measure
    actual: Measure | None
    direction: Direction
    amber_threshold: Measure | None
    weight: Fraction  # share of 1 (0.3 for 30%)
    override: Status | None = None
    owner: str = ""
    commentary: str = ""
    source: SourceRef | None = None


@dataclass(frozen=True)
class Risk:
    id: str
    description: str
    probability: int
    impact: int
    category: str = ""
    mitigation: str = ""
    owner: str = ""
    state: RiskState = RiskState.OPEN
    source: SourceRef | None = None
    due: dt.date | None = None  # when the mitigation is due
    target_probability: int | None = None  # where the mitigation should bring the risk:
    target_impact: int | None = None  # both given or neither (validation checks)

    @property
    def target_score(self) -> int | None:
        """The score the mitigation aims for (target probability × target impact), or None."""
        if self.target_probability is None or self.target_impact is None:
            return None
        return self.target_probability * self.target_impact


@dataclass(frozen=True)
class Decision:
    id: str
    text: str
    owner: str = ""
    due: dt.date | None = None
    state: DecisionState = DecisionState.OPEN
    notes: str = ""
    source: SourceRef | None = None
    recommendation: str = ""
    financial_impact: str = ""  # as the workbook shows it: "$1.2M", "+2 pts revenue share"
    risks: tuple[str, ...] = ()  # the Risk IDs of its Risk column: the risks it answers

    def answers(self, risk_ids: Iterable[str]) -> tuple[str, ...]:
        """Which of `risk_ids` this decision answers: those its Risk column gives, and those
        its text or recommendation names as a whole word ("… to mitigate SR-04"), in the
        order given (docs/workbook.md#decisions)."""
        given = {normalise(r) for r in self.risks}
        text = f"{self.text}\n{self.recommendation}"
        return tuple(r for r in risk_ids if normalise(r) in given or (r.strip() and re.search(
            rf"(?<![\w-]){re.escape(r.strip())}(?![\w-])", text, re.IGNORECASE)))


@dataclass(frozen=True)
class Action:
    """An action agreed at an earlier review, followed up at this one."""

    id: str
    text: str
    owner: str = ""
    due: dt.date | None = None
    state: ActionState = ActionState.OPEN
    notes: str = ""
    source: SourceRef | None = None


def days_overdue(due: dt.date | None, as_of: dt.date | None) -> int:
    """Whole days past `due` on `as_of` (0 when not overdue, or when either date is unknown)."""
    if due is None or as_of is None or due >= as_of:
        return 0
    return (as_of - due).days


@dataclass(frozen=True)
class ReviewInput:
    """One partnership's quarter as read from a workbook, before scoring."""

    partnership: Partnership
    kpis: tuple[Kpi, ...]
    risks: tuple[Risk, ...]
    decisions: tuple[Decision, ...] = ()
    source_file: str = ""
    source_sha256: str = ""
    actions: tuple[Action, ...] = ()  # from the optional Actions sheet


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'FinCorp–TechDrive' → 'fincorp-techdrive'.
    The name is taken in NFKC first, so however its accents were typed it has one slug."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    words = re.sub(r"[\W_]+", "-", text)  # dashes and punctuation (– — / &) separate words
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:  # a name with no Latin letters still needs a distinct, stable folder name
        import hashlib

        slug = "partnership-" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]
    return slug[:80].rstrip("-")


def folder_names(name: str) -> tuple[str, str, str, str]:
    """The folder names a partnership may get under the outputs folder, most wanted first: its
    slug, then the slug followed by the first 6, 12 and all 64 hex digits of the SHA-256 of its
    key, for when another partnership already has the shorter ones (docs/cli.md)."""
    import hashlib

    slug = slugify(name)
    digest = hashlib.sha256(normalise(name).encode("utf-8")).hexdigest()
    return slug, f"{slug}-{digest[:6]}", f"{slug}-{digest[:12]}", f"{slug}-{digest}"
