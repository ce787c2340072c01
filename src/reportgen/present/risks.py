"""Scored risks → the risk register's rows (with the mitigation's due date and target score)
and the 5×5 heat map, where each risk is marked with its move since last quarter and the cell
it moved from, and the legend that says so (docs/pack.md#the-risk-register)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.measures import format_date
from ..domain.scoring import RiskMove, RiskResult, ScoredReview, risk_rating
from ..domain.text import clean_text
from .language import N_, _, quarter_short
from .status import RatingView
from .wording import WORDS


@dataclass(frozen=True)
class RiskRow:
    id: str
    description: str
    category: str
    probability: str
    impact: str
    score: str
    target: str  # "→ 6 target" when the workbook gives a target, else ""
    rating: RatingView
    mitigation: str
    owner: str  # as written in the workbook
    due: str  # the mitigation's due date, in the settings' date format; "" when none
    trend: str  # "New", "Up", "Down", "Same", "Closed" or "" (first archived quarter)
    trend_arrow: str  # "▲", "▼", "▬", "●" (new), "✓" (closed) or ""
    previous_score: str
    trend_word: str = ""  # `trend` in the pack's language: "Gestiegen", "Nouveau"
    trend_from: str = ""  # "from 9" after a risk that moved up or down, else ""
    full_description: str = ""  # the whole text when the register shows it trimmed, else ""
    full_mitigation: str = ""

    @property
    def trimmed(self) -> bool:
        """Whether the register shows a shortened text, and the appendix the whole of it."""
        return bool(self.full_description or self.full_mitigation)

    @property
    def trend_label(self) -> str:
        """The trend as one line: "▲ Up from 9", "● New", "—" in a first archived quarter."""
        if not self.trend:
            return "—"
        return " ".join(t for t in (self.trend_arrow, self.trend_word, self.trend_from) if t)

    @property
    def trend_css(self) -> str:
        """How the move reads, for its colour: "worse" (up), "better" (down or closed), "new"
        or "same"."""
        return {"Up": "worse", "Down": "better", "Closed": "better", "New": "new"}.get(
            self.trend, "same")


@dataclass(frozen=True)
class HeatMark:
    """An open risk in its heat-map cell: its ID and its move since last quarter."""

    id: str
    arrow: str  # "▲" score up, "▼" down, "●" new, "" same or no earlier quarter

    @property
    def label(self) -> str:
        return f"{self.id} {self.arrow}" if self.arrow else self.id


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    score: int
    rating: RatingView
    risks: tuple[HeatMark, ...]  # open risks in this cell now
    was: tuple[str, ...]  # "SR-02 (Q2)": risks that sat here last quarter and have moved since

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(mark.id for mark in self.risks)

    @property
    def tag(self) -> str:
        """Its rating and score: "High 12"."""
        return f"{self.rating.word} {self.score}"


MOVES = (N_("New"), N_("Up"), N_("Down"), N_("Same"), N_("Closed"))  # `RiskMove`s, as shown
_ARROWS = {RiskMove.UP: "▲", RiskMove.DOWN: "▼", RiskMove.SAME: "▬", RiskMove.NEW: "●",
           RiskMove.CLOSED: "✓"}
_HEAT_ARROWS = {RiskMove.UP: "▲", RiskMove.DOWN: "▼", RiskMove.NEW: "●"}


LONG_TEXT = 1200  # characters: a longer description or mitigation could not fit a page's row


def risk_row(result: RiskResult, date_format: str) -> RiskRow:
    """A risk as the register shows it. A risk is never split across pages, so a description
    or mitigation longer than `LONG_TEXT` characters is trimmed at a word, ending "… (in full
    under “Risks in full”, SR-01)", and the appendix gives the whole text under the risk's ID."""
    r = result.risk
    target = r.target_score
    rid, description, mitigation = (clean_text(r.id), clean_text(r.description),
                                    clean_text(r.mitigation))
    return RiskRow(
        id=rid,
        description=_trim(description, rid),
        category=clean_text(r.category),
        probability=str(r.probability),
        impact=str(r.impact),
        score=str(result.score),
        target="" if target is None else _("→ {score} target").format(score=target),
        rating=RatingView.of(result.rating),
        mitigation=_trim(mitigation, rid),
        owner=clean_text(r.owner),
        due=format_date(r.due, date_format),
        trend=result.move.value if result.move else "",
        trend_word=_(result.move.value) if result.move else "",
        trend_from=(_("from {score}").format(score=result.previous_score)
                    if result.previous_score is not None
                    and result.move in (RiskMove.UP, RiskMove.DOWN) else ""),
        trend_arrow=_ARROWS[result.move] if result.move else "",
        previous_score="" if result.previous_score is None else str(result.previous_score),
        full_description=description if len(description) > LONG_TEXT else "",
        full_mitigation=mitigation if len(mitigation) > LONG_TEXT else "",
    )


def _trim(text: str, rid: str) -> str:
    """`text` cut at the last space before `LONG_TEXT` characters, saying where the rest is."""
    if len(text) <= LONG_TEXT:
        return text
    cut = text.rfind(" ", 0, LONG_TEXT)
    return _("{text}… (in full under “{section}”, {id})").format(
        text=text[:cut if cut > 0 else LONG_TEXT].rstrip(), section=WORDS.sections.risks_in_full,
        id=rid)


def heat_map(review: ScoredReview, previous_label: str) -> tuple[tuple[HeatCell, ...], ...]:
    """Rows from probability 5 down to 1, impact 1 to 5 across. `previous_label` is last
    quarter's ("Q2 2025"; "" when there is none), whose short form marks a moved risk's old
    cell."""
    short = quarter_short(review.previous.quarter) if review.previous else ""
    now: dict[tuple[int, int], list[HeatMark]] = {}
    before: dict[tuple[int, int], list[str]] = {}
    for result in review.open_risks:
        cell = (result.risk.probability, result.risk.impact)
        rid = clean_text(result.risk.id)
        arrow = _HEAT_ARROWS.get(result.move, "") if result.move else ""
        now.setdefault(cell, []).append(HeatMark(rid, arrow))
        if result.previous_cell and result.previous_cell != cell:
            before.setdefault(result.previous_cell, []).append(f"{rid} ({short})")
    rows = []
    for probability in range(5, 0, -1):
        rows.append(tuple(
            HeatCell(probability, impact, probability * impact,
                     RatingView.of(risk_rating(probability * impact, review.risk_bands)),
                     tuple(now.get((probability, impact), ())),
                     tuple(before.get((probability, impact), ())))
            for impact in range(1, 6)
        ))
    return tuple(rows)


def heat_legend(heatmap: tuple[tuple[HeatCell, ...], ...], previous_label: str,
                short: str) -> tuple[str, ...]:
    """What the marks on the heat map mean, one line per kind of mark it shows (`short`: last
    quarter without its year, "Q2")."""
    marks = {mark.arrow for row in heatmap for cell in row for mark in cell.risks}
    lines = []
    if marks & {"▲", "▼"}:
        lines.append(_("▲ / ▼ after an ID: the risk’s score is up / down since "
                       "{quarter}.").format(quarter=previous_label))
    if "●" in marks:
        lines.append(_("● after an ID: a risk new this quarter."))
    if any(cell.was for row in heatmap for cell in row):
        lines.append(_("An ID in italics followed by ({short}): the cell a risk that has since "
                       "moved sat in, in {quarter}.").format(short=short, quarter=previous_label))
    return tuple(lines)
