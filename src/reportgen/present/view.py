"""`ScoredReview` (+ history) → `PackView`: the documented data every renderer receives.

Every number is formatted here, once (through `domain.measures`), so the PDF, the HTML preview
and the Word pack show the same text. Templates only loop and branch over these fields. Each
section's rows are built in a module of its own: `headline` and `summary` (the executive
summary), `scorecard`, `risks`, `trend`, `agenda` (decisions and actions) and `appendix`;
`status` holds how statuses and ratings are named.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import __version__
from ..config import Settings
from ..domain.history import HistoryEntry
from ..domain.measures import format_date, format_percent, format_points, format_signed
from ..domain.model import Status
from ..domain.scoring import ScoredReview
from ..domain.text import WORD_JOINER, clean_text, unbroken, unspaced
from .agenda import Agenda, DecisionRow, agenda, decision_row
from .appendix import Methodology, methodology
from .language import _, ngettext, quarter_label, quarter_short, speaking, term
from .risks import HeatCell, RiskRow, heat_legend, heat_map, risk_row
from .scorecard import KpiRow, kpi_rows, points_note
from .status import StatusView
from .summary import Summary, summary_of
from .trend import Quarters, Trend, score_trend
from .wording import WORDS, Wording

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True)
class Provenance:
    source_file: str
    source_sha256: str
    generated_at: str  # "2025-10-01 09:30 UTC"
    generated: dt.datetime  # the same moment (UTC), for document metadata
    version: str
    config_digest: str


@dataclass(frozen=True)
class Branding:
    organisation: str
    primary_colour: str
    accent_colour: str
    font: str
    logo_url: str | None  # resolved by the renderer's fetcher; only the configured logo


@dataclass(frozen=True)
class GlanceRow:
    """A line of the contents page's "at a glance" panel: the status, when there is one, is
    shown after the value, and the note after that, muted."""

    label: str
    value: str
    status: StatusView | None = None
    note: str = ""


@dataclass(frozen=True)
class PackView:
    title: str
    partnership: str
    partner: str
    quarter: str  # "2025-Q3"
    quarter_label: str  # "Q3 2025"
    confidentiality: str
    executive_sponsor: str
    partner_sponsor: str
    alliance_manager: str
    governance_model: str
    review_date: str
    next_review: str
    distribution: tuple[str, ...]

    score: str
    status: StatusView
    score_delta: str  # "+3", "−5", "0" or "" (first archived quarter)
    previous_quarter_label: str
    status_counts: tuple[tuple[StatusView, int], ...]
    summary: Summary  # the headline, the tiles' figures and the attention list

    kpis: tuple[KpiRow, ...]  # each with its commentary, shown under its row
    total_weight: str
    score_points: str  # the score as the Points column shows it: "83", or "83.0" in tenths
    points_note: str  # the † footnote of rows the rounding rule moved ("" when none)

    risks: tuple[RiskRow, ...]  # open, ranked
    closed_risks: tuple[RiskRow, ...]
    heatmap: tuple[tuple[HeatCell, ...], ...]  # rows from probability 5 down to 1
    heat_legend: tuple[str, ...]  # what the heat map's marks of last quarter's moves mean
    decisions: tuple[DecisionRow, ...]  # every decision, workbook order
    open_decisions: tuple[DecisionRow, ...]  # the decisions requested, earliest due first
    agenda: Agenda  # the Decisions and Actions sections

    trend: Trend
    trend_lead: str  # the sentence above the trend chart
    trend_caption: str  # the line below it
    methodology: Methodology
    provenance: Provenance
    cover_facts: tuple[tuple[str, str], ...]  # (label, value) pairs the cover lists, in order
    governance_facts: tuple[tuple[str, str], ...]
    provenance_facts: tuple[tuple[str, str], ...]
    branding: Branding
    page_size: str  # CSS @page size, e.g. "A4 landscape"
    slug: str
    language: str = "en"  # the BCP 47 tag the pack is written in; renderers speak it

    @property
    def scorecard_headings(self) -> tuple[str, ...]:
        """The scorecard's column headings, "Previous" and "Trend" naming last quarter (its
        label kept on one line, `_naming`: "Previous (Q2 2025)" never breaks inside the
        brackets, nor "前回（2025年第2四半期）" inside 2025年第2四半期)."""
        with speaking(self.language):
            label = self.previous_quarter_label
            named = {"Previous": _("Previous ({quarter})"),
                     "Trend": _("Trend; change vs {quarter}")}
            return tuple(_naming(named[english], label) if label and english in named
                         else shown for english, shown in zip(Wording().columns.scorecard,
                                                              WORDS.columns.scorecard, strict=True))

    @property
    def long_risks(self) -> tuple[RiskRow, ...]:
        """The risks, open and closed, whose text the register trims: the appendix gives it
        in full (`risks.LONG_TEXT`)."""
        return tuple(r for r in (*self.risks, *self.closed_risks) if r.trimmed)

    @property
    def scorecard_notes(self) -> tuple[str, ...]:
        """The notes under the scorecard: that there is no earlier quarter to compare with,
        and the † rounding note, each when it applies."""
        with speaking(self.language):
            return tuple(note for note in (
                "" if self.previous_quarter_label else WORDS.empty.no_previous, self.points_note)
                if note)

    @property
    def appendix_title(self) -> str:
        """"Appendix B: …" when Appendix A (the whole attention list) is there, because the
        summary page shows part of it; else "Appendix: …"."""
        with speaking(self.language):
            return WORDS.sections.appendix_b if self.summary.more else WORDS.sections.appendix

    @property
    def risk_key(self) -> str:
        """The note under the risk register: what P, I and the score are, and what "→ 6
        target" means when a risk has a target score."""
        with speaking(self.language):
            if any(r.target for r in self.risks):
                return f"{WORDS.risk_key} {WORDS.risk_key_target}"
            return WORDS.risk_key

    @property
    def glance(self) -> tuple[GlanceRow, ...]:
        """The review at a glance, beside the contents."""
        with speaking(self.language):
            g = WORDS.glance
            serious = sum(r.rating.css in ("high", "critical") for r in self.risks)
            attention = len(self.summary.listed)  # as page one and Appendix A count them
            return (
                GlanceRow(g.score, f"{self.score} / 100", self.status, self.score_change
                          if self.score_delta else ""),
                GlanceRow(g.kpis, self.kpi_counts),
                GlanceRow(g.risks, _("{n}, {serious} rated High or Critical").format(
                    n=len(self.risks), serious=serious) if serious else str(len(self.risks))),
                GlanceRow(g.decisions, str(len(self.open_decisions))),
                GlanceRow(g.attention, ngettext("{n} item", "{n} items", attention).format(
                    n=attention)),
                GlanceRow(g.meeting, self.review_date or WORDS.empty.to_be_scheduled),
                GlanceRow(g.next_review, self.next_review or WORDS.empty.to_be_scheduled),
            )

    @property
    def contents_notes(self) -> tuple[tuple[str, str], ...]:
        """The notes under the contents: (lead, sentence)."""
        with speaking(self.language):
            g = WORDS.glance
            return ((g.purpose, g.purpose_text.format(quarter=self.quarter_label,
                                                      partnership=self.partnership,
                                                      partner=self.partner)),
                    (g.reading, g.reading_text))

    @property
    def kpi_counts(self) -> str:
        """"8 Green, 12 Amber, 10 Red, 10 No data": the statuses that occur."""
        with speaking(self.language):
            return _(", ").join(_("{n} {status}").format(n=n, status=s.word)
                                for s, n in self.status_counts if n)

    @property
    def score_change(self) -> str:
        """The score's change as the scorecard's total row shows it: "+3 vs Q2 2025", or "—";
        the quarter's label held whole as in the headings ("2025年第2四半期比" / "−5")."""
        with speaking(self.language):
            if not self.score_delta:
                return "—"
            words = _("{change} vs {quarter}").format(change=self.score_delta,
                                                      quarter="{quarter}")
            return _naming(words, self.previous_quarter_label)


def build_view(
    review: ScoredReview,
    settings: Settings,
    generated_at: dt.datetime,
    history: Sequence[HistoryEntry] = (),
    logo_url: str | None = None,
    env: Environment | None = None,
    language: str = "",
) -> PackView:
    """Everything the pack shows, as text. `history` holds earlier archived quarters; `env`,
    the Jinja environment, writes the headline through `headline.txt.j2` (without it, the
    built-in rules' sentences). `language` (a canonical tag) writes it for a reader of that
    language; by default it is the partnership's `Language`, else the settings'."""
    language = language or review.input.partnership.language or settings.language
    with speaking(language):
        return _view(review, settings, generated_at, history, logo_url, env, language)


def _view(review: ScoredReview, settings: Settings, generated_at: dt.datetime,
          history: Sequence[HistoryEntry], logo_url: str | None, env: Environment | None,
          language: str) -> PackView:
    p = review.input.partnership
    previous_label = ""
    if review.previous is not None:
        previous_label = quarter_label(review.previous.quarter)
    quarters = Quarters(review, history)
    kpis = kpi_rows(review, quarters)
    date = settings.date_format
    risks = tuple(risk_row(r, date) for r in review.open_risks)
    empty = WORDS.empty
    trend = score_trend(review, quarters, review.scoring.green_from, review.scoring.amber_from)
    method = methodology(review.scoring, review.risk_bands, review.points_unit < 1)
    review_date, next_review = format_date(p.review_date, date), format_date(p.next_review, date)
    heatmap = heat_map(review, previous_label)
    governance_model = term(p.governance_model) if p.governance_model else ""
    provenance = Provenance(
        source_file=review.input.source_file,
        source_sha256=review.input.source_sha256,
        generated_at=generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        generated=generated_at.astimezone(dt.UTC),
        version=__version__,
        config_digest=settings.digest(),
    )
    summary = summary_of(review, settings, env, language)
    plan = agenda(review, date)
    return PackView(
        title=_("Quarterly Business Review"),
        language=language,
        partnership=clean_text(p.name),
        partner=clean_text(p.partner),
        quarter=p.quarter.canonical,
        quarter_label=quarter_label(p.quarter),
        confidentiality=clean_text(p.confidentiality),
        executive_sponsor=clean_text(p.executive_sponsor),
        partner_sponsor=clean_text(p.partner_sponsor),
        alliance_manager=clean_text(p.alliance_manager),
        governance_model=governance_model,
        review_date=review_date,
        next_review=next_review,
        distribution=tuple(clean_text(str(r)) for r in p.distribution),
        score=str(review.score),
        status=StatusView.of(review.status),
        score_delta="" if review.score_delta is None else format_signed(review.score_delta),
        previous_quarter_label=previous_label,
        status_counts=tuple(
            (StatusView.of(s), review.count(s))
            for s in (Status.GREEN, Status.AMBER, Status.RED, Status.NO_DATA)
        ),
        summary=summary,
        kpis=kpis,
        total_weight=format_percent(sum(k.kpi.weight for k in review.kpis)),
        score_points=format_points(review.score, review.points_unit),
        points_note=points_note(review),
        risks=risks,
        closed_risks=tuple(risk_row(r, date) for r in review.closed_risks),
        heatmap=heatmap,
        heat_legend=heat_legend(heatmap, previous_label, quarter_short(review.previous.quarter)
                                if review.previous else ""),
        decisions=tuple(decision_row(review, d, date) for d in review.input.decisions),
        open_decisions=plan.requested,
        agenda=plan,
        trend=trend,
        trend_lead=_trend_lead(trend, quarter_label(p.quarter)),
        trend_caption=_trend_caption(trend, method),
        methodology=method,
        provenance=provenance,
        cover_facts=(
            (_("Executive sponsor"), clean_text(p.executive_sponsor)),
            (_("Review date"), review_date or empty.to_be_scheduled),
            (_("Partner sponsor"), clean_text(p.partner_sponsor) or "—"),
            (_("Alliance manager"), clean_text(p.alliance_manager) or "—"),
            (_("Governance"), governance_model or "—"),
            (_("Next review"), next_review or empty.to_be_scheduled),
        ),
        governance_facts=(
            (_("Governance model"), governance_model or empty.not_stated),
            *(((_("Organisation"), settings.branding.organisation),)
              if settings.branding.organisation else ()),
            (_("Partner"), clean_text(p.partner)),
            (_("Executive sponsor"), clean_text(p.executive_sponsor)),
            (_("Partner sponsor"), clean_text(p.partner_sponsor) or empty.not_stated),
            (_("Alliance manager"), clean_text(p.alliance_manager) or empty.not_stated),
            (_("Review cadence"), WORDS.review_cadence),
            (_("This review"), _("{quarter}, meeting on {date}").format(
                quarter=quarter_label(p.quarter), date=review_date) if review_date
                else quarter_label(p.quarter)),
            (_("Next review"), next_review or empty.to_be_scheduled),
            (_("Distribution"), "\n".join(clean_text(str(r)) for r in p.distribution)
             or empty.not_stated),
            (_("Classification"), clean_text(p.confidentiality)),
        ),
        provenance_facts=(
            (_("Source workbook"), provenance.source_file or "—"),
            ("SHA-256", _grouped(provenance.source_sha256) or "—"),
            (_("Generated at"), provenance.generated_at),
            (_("reportgen version"), provenance.version),
            (_("Configuration digest"), _grouped(provenance.config_digest)),
        ),
        branding=Branding(
            organisation=settings.branding.organisation,
            primary_colour=settings.branding.primary_colour,
            accent_colour=settings.branding.accent_colour,
            font=settings.branding.font,
            logo_url=logo_url,
        ),
        page_size=f"{settings.page.size} {settings.page.orientation}",
        slug=p.slug,
    )


def _grouped(digest: str, size: int = 16) -> str:
    """A hex digest in groups of `size` characters, so a narrow column wraps it between groups
    ("e4b15ed504cc27a8 9acba203ba7f0cb4 …"), never one character on a line of its own."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def _naming(heading: str, quarter: str) -> str:
    """`heading` ("Previous ({quarter})") naming `quarter`, which no line breaks inside
    (`unbroken`). A label in a script written without spaces is also held to the opening
    bracket before it and to what the heading sets right after it ("（2025年第2四半期）",
    "2025年第2四半期比"), as the column widths count all that is joined as one word: the
    heading may break before "（", never inside the label."""
    label = unbroken(quarter)
    before, _, after = heading.partition("{quarter}")
    if unspaced(quarter):
        opening = before[-1:] and unicodedata.category(before[-1]) == "Ps"
        label = (WORD_JOINER if opening else "") + label + (
            WORD_JOINER if after[:1].strip() else "")
    return heading.format(quarter=label)


def _trend_lead(trend: Trend, quarter_label: str) -> str:
    last = trend.points[-1]
    if trend.first_quarter:
        return _("{quarter} is the first archived quarter for this partnership, at {score} "
                 "({status}): the trend chart, the KPI sparklines and the KPI-by-quarter grid "
                 "start with the next review.").format(quarter=quarter_label, score=last.score,
                                                      status=last.status.word)
    path = " → ".join(f"{p.quarter} {p.score}" for p in trend.points)
    return ngettext("Overall score over the last {n} archived quarter: {path}.",
                    "Overall score over the last {n} archived quarters: {path}.",
                    len(trend.points)).format(n=len(trend.points), path=path)


def _trend_caption(trend: Trend, method: Methodology) -> str:
    low, high = trend.axis
    bands = _("; ").join(f"{band.label} {band.rule}" for band in method.overall_bands)
    if (low, high) == (0, 100):
        return _("Overall score by quarter; the axis runs from 0 to 100. Shaded bands: "
                 "{bands}.").format(bands=bands)
    return _("Overall score by quarter; the axis runs from {low} to {high} (not from 0), so "
             "that a change of a few points shows. Shaded bands: {bands}.").format(
        low=low, high=high, bands=bands)
