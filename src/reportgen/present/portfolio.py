"""Many scored reviews → the portfolio summary: a headline across the partnerships, the ranking,
the biggest movers, the decisions requested across the portfolio, the category grid and the top
risks (docs/pack.md#portfolio-summary).

`PortfolioLine.of()` keeps what the summary needs from one `ScoredReview` (small enough to pass
between processes: dates stay dates, formatted by `portfolio_view()`, which ranks the lines).
A category's status in the grid is its worst KPI status, so a Red KPI is never averaged away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .. import __version__
from ..config import Settings
from ..domain.measures import format_date, format_signed
from ..domain.model import RiskRating, Status
from ..domain.scoring import ScoredReview
from ..domain.text import clean_text, shorten
from .agenda import by_due_date, overdue_note
from .headline import NAMED, kpi_movers
from .language import _, in_force, join_words, ngettext, speaking, term
from .status import RatingView, StatusView
from .summary import attention_rows
from .view import Branding

MOVERS_SHOWN = 10  # partnerships in the Biggest movers table


@dataclass(frozen=True)
class PortfolioRisk:
    partnership: str
    id: str
    description: str
    score: int
    rating: RiskRating


@dataclass(frozen=True)
class PortfolioDecision:
    """An open decision of one partnership."""

    partnership: str
    id: str
    text: str
    owner: str
    due: dt.date | None
    days_overdue: int


@dataclass(frozen=True)
class PortfolioLine:
    partnership: str
    partner: str
    quarter: str
    score: int
    status: Status
    delta: int | None
    previous_status: Status | None
    top_exception: str
    categories: tuple[tuple[str, Status], ...]  # (category, worst KPI status), workbook order
    risks: tuple[PortfolioRisk, ...]  # open High and Critical risks
    movers: tuple[str, ...]  # the KPIs whose status changed, in words, biggest first
    decisions: tuple[PortfolioDecision, ...]  # open, earliest due first
    overdue_actions: int

    @classmethod
    def of(cls, review: ScoredReview, date_format: str, language: str = "en") -> PortfolioLine:
        """What the summary keeps of `review`, its top exception worded in `language` (the
        portfolio summary's, the settings')."""
        p = review.input.partnership
        worst: dict[str, Status] = {}
        for k in review.kpis:
            seen = worst.get(k.kpi.category)
            if seen is None or k.status.rank < seen.rank:
                worst[k.kpi.category] = k.status
        with speaking(language):
            top = attention_rows(review, date_format)[:1]
            movers = kpi_movers(review) if review.previous else ()
        return cls(
            partnership=p.name, partner=p.partner, quarter=p.quarter.canonical,
            score=review.score, status=review.status, delta=review.score_delta,
            previous_status=review.previous.status if review.previous else None,
            top_exception=(f"{(top[0].ref + ' ') if top[0].ref else ''}{top[0].brief} — "
                           f"{top[0].why}") if top else "",
            categories=tuple(worst.items()),
            risks=tuple(
                PortfolioRisk(p.name, r.risk.id, r.risk.description, r.score, r.rating)
                for r in review.open_risks
                if r.rating in (RiskRating.HIGH, RiskRating.CRITICAL)
            ),
            movers=movers,
            decisions=tuple(
                PortfolioDecision(p.name, d.id, d.text, d.owner, d.due, review.overdue(d.due))
                for d in by_due_date(review.open_decisions)),
            overdue_actions=sum(1 for a in review.open_actions if review.overdue(a.due)),
        )


@dataclass(frozen=True)
class RankRow:
    rank: int
    partnership: str
    partner: str
    score: str
    status: StatusView
    delta: str
    top_exception: str


@dataclass(frozen=True)
class MoverRow:
    partnership: str
    delta: str  # "−5"
    change: str  # "88 (Green) → 83 (Amber)"
    kpis: str  # the partnership's KPI movers, the first three, in words


@dataclass(frozen=True)
class DecisionLine:
    partnership: str
    id: str
    text: str
    owner: str
    due: str
    overdue: str


@dataclass(frozen=True)
class GridRow:
    partnership: str
    cells: tuple[StatusView | None, ...]  # one per category column; None: no KPI there


@dataclass(frozen=True)
class RiskRow:
    partnership: str
    id: str
    description: str
    score: str
    rating: RatingView


@dataclass(frozen=True)
class PortfolioView:
    title: str
    quarter: str
    quarter_label: str
    count: int
    status_counts: tuple[tuple[StatusView, int], ...]
    headline: tuple[str, ...]
    ranking: tuple[RankRow, ...]
    movers: tuple[MoverRow, ...]  # the (at most 10) partnerships that moved most
    decisions: tuple[DecisionLine, ...]  # every open decision, earliest due first
    categories: tuple[str, ...]
    grid: tuple[GridRow, ...]
    risks: tuple[RiskRow, ...]
    generated_at: str
    generated: dt.datetime  # the same moment (UTC), for document metadata
    version: str
    page_size: str
    branding: Branding
    language: str = "en"  # the BCP 47 tag it is written in (the settings')


def portfolio_view(lines: Sequence[PortfolioLine], quarter_label: str, generated_at: dt.datetime,
                   settings: Settings) -> PortfolioView:
    """Rank by overall score (highest first, then name); grid and risks follow the ranking."""
    ranked = sorted(lines, key=lambda line: (-line.score, line.partnership.casefold()))
    categories: list[str] = []
    for line in ranked:
        for name, _status in line.categories:
            if name not in categories:
                categories.append(name)
    risks = sorted((r for line in ranked for r in line.risks),
                   key=lambda r: (-r.score, r.partnership.casefold(), r.id))
    decisions = sorted((d for line in ranked for d in line.decisions),
                       key=lambda d: (d.due or dt.date.max, d.partnership.casefold(), d.id))
    date = settings.date_format
    return PortfolioView(
        title=_("Partnership Portfolio Summary"),
        language=in_force(),
        quarter=ranked[0].quarter if ranked else "",
        quarter_label=quarter_label,
        count=len(ranked),
        status_counts=tuple((StatusView.of(s), sum(line.status is s for line in ranked))
                            for s in (Status.GREEN, Status.AMBER, Status.RED)),
        headline=portfolio_headline(ranked, risks, decisions, date),
        ranking=tuple(
            RankRow(i, clean_text(line.partnership), clean_text(line.partner), str(line.score),
                    StatusView.of(line.status),
                    "" if line.delta is None else format_signed(line.delta),
                    clean_text(line.top_exception))
            for i, line in enumerate(ranked, start=1)
        ),
        movers=tuple(
            MoverRow(clean_text(line.partnership), format_signed(line.delta or 0),
                     _change(line), "; ".join(line.movers[:NAMED]) or "—")
            for line in _movers(ranked)[:MOVERS_SHOWN]
        ),
        decisions=tuple(
            DecisionLine(clean_text(d.partnership), clean_text(d.id), clean_text(d.text),
                         clean_text(d.owner), format_date(d.due, date),
                         overdue_note(d.days_overdue))
            for d in decisions
        ),
        categories=tuple(clean_text(c) for c in categories),
        grid=tuple(
            GridRow(clean_text(line.partnership),
                    tuple(StatusView.of(dict(line.categories)[c]) if c in dict(line.categories)
                          else None for c in categories))
            for line in ranked
        ),
        risks=tuple(RiskRow(clean_text(r.partnership), clean_text(r.id),
                            clean_text(r.description), str(r.score), RatingView.of(r.rating))
                    for r in risks),
        generated_at=generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        generated=generated_at.astimezone(dt.UTC),
        version=__version__,
        page_size=f"{settings.page.size} {settings.page.orientation}",
        branding=Branding(settings.branding.organisation, settings.branding.primary_colour,
                          settings.branding.accent_colour, settings.branding.font, None),
    )


def _movers(ranked: Sequence[PortfolioLine]) -> list[PortfolioLine]:
    """The partnerships that moved: the biggest score change first (then the most KPI status
    changes, then the ranking)."""
    moved = [line for line in ranked if line.delta or line.movers]
    return sorted(moved, key=lambda line: (-abs(line.delta or 0), -len(line.movers)))


def _change(line: PortfolioLine) -> str:
    if line.delta is None or line.previous_status is None:
        return f"{line.score} ({term(line.status)})"
    return (f"{line.score - line.delta} ({term(line.previous_status)}) → {line.score} "
            f"({term(line.status)})")


def portfolio_headline(ranked: Sequence[PortfolioLine], risks: Sequence[PortfolioRisk],
                       decisions: Sequence[PortfolioDecision], date_format: str
                       ) -> tuple[str, ...]:
    """Three or four sentences across the partnerships, by rules as a pack's headline: the
    statuses, the biggest movers, the Critical and High risks, the decisions requested."""
    counts = [ngettext("{n} is {status}", "{n} are {status}", n).format(n=n, status=term(s))
              for s in (Status.GREEN, Status.AMBER, Status.RED)
              if (n := sum(line.status is s for line in ranked))]
    sentences = [ngettext("Of {n} partnership, {counts}.", "Of {n} partnerships, {counts}.",
                          len(ranked)).format(n=len(ranked), counts=join_words(counts))]
    moved = [line for line in _movers(ranked) if line.delta]
    if moved:
        named = [(ngettext("{name} rose {n} point to {score} ({status})",
                           "{name} rose {n} points to {score} ({status})", abs(line.delta or 0))
                  if (line.delta or 0) > 0 else
                  ngettext("{name} fell {n} point to {score} ({status})",
                           "{name} fell {n} points to {score} ({status})", abs(line.delta or 0))
                  ).format(name=_name(line), n=abs(line.delta or 0), score=line.score,
                           status=term(line.status))
                 for line in moved[:NAMED]]
        more = len(moved) - len(named)
        sentences.append((ngettext("Biggest movers since last quarter: {movers}; {n} more "
                                   "changed score.", "Biggest movers since last quarter: "
                                   "{movers}; {n} more changed score.", more) if more
                          else _("Biggest movers since last quarter: {movers}.")).format(
            movers=join_words(named), n=more))
    elif all(line.delta is None for line in ranked):
        sentences.append(_("No partnership has an earlier archived quarter to compare with."))
    else:
        sentences.append(_("No partnership's score changed since last quarter."))
    if risks:
        top = risks[0]
        sentences.append(ngettext(
            "{n} open risk across the portfolio is rated High or Critical, the highest {id} of "
            "{name} at {score} ({rating}).",
            "{n} open risks across the portfolio are rated High or Critical, the highest {id} "
            "of {name} at {score} ({rating}).", len(risks)).format(
            n=len(risks), id=top.id, name=_name(top), score=top.score, rating=term(top.rating)))
    sentences.append(_portfolio_asks(ranked, decisions, date_format))
    return tuple(sentences)


def _portfolio_asks(ranked: Sequence[PortfolioLine], decisions: Sequence[PortfolioDecision],
                    date_format: str) -> str:
    if not decisions:
        text = _("No decision is requested across the portfolio")
    else:
        asking = len({d.partnership for d in decisions})
        text = ngettext("{n} decision is requested by {partnerships}",
                        "{n} decisions are requested by {partnerships}", len(decisions)).format(
            n=len(decisions), partnerships=ngettext("{n} partnership", "{n} partnerships",
                                                    asking).format(n=asking))
        late = sum(1 for d in decisions if d.days_overdue)
        if late:
            text += _(", {late} overdue").format(late=late)
        first = decisions[0]
        if first.due is not None:
            text += (_("; the earliest was due {date} ({name}, {id})") if first.days_overdue
                     else _("; the earliest due {date} ({name}, {id})")).format(
                date=format_date(first.due, date_format), name=_name(first), id=first.id)
    actions = sum(line.overdue_actions for line in ranked)
    if actions:
        text += ngettext("; {n} action from last reviews is overdue",
                         "; {n} actions from last reviews are overdue", actions).format(n=actions)
    return _("{sentence}.").format(sentence=text)


def _name(item: PortfolioLine | PortfolioRisk | PortfolioDecision) -> str:
    return shorten(clean_text(item.partnership), 48)
