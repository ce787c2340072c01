"""Catalogue records → the site's page views: every number, date and word formatted once.

Input: `domain.catalogue` records (from `archive.catalogue`), the outputs folder's links and
the settings. Output: frozen dataclasses that the site templates only loop over: the index's
rows, a partnership's page (facts, trend, KPI and risk grids, every revision with its files and
deliveries), a quarter's page. Statuses and ratings are `present.status` views, so a status is
always a word and its colour class is the pack's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.catalogue import (
    KpiResult,
    PartnershipEntry,
    PartnershipRecord,
    QuarterResult,
    RiskResult,
)
from ..domain.history import ArtifactRecord, Delivery
from ..domain.measures import format_measure, format_number, format_signed, in_look
from ..domain.model import Measure, Quarter, RiskState, Status
from ..domain.rules import Scoring
from ..domain.text import clean_text, normalise
from ..present.language import gettext, quarter_label
from ..present.scorecard import Spark
from ..present.status import RatingView, StatusView
from ..present.trend import GridCell, Trend, TrendPoint, points_trend
from ..present.wording import N_
from .links import OutputsLinks, href, partnership_page

TREND_QUARTERS = 8  # quarters in a partnership's chart and grids, and in the index's sparkline
FILE_LABELS = {"pdf": "PDF", "docx": "Word", "html": N_("HTML preview"),
               "manifest": N_("Manifest")}  # shown through gettext
DELIVERY_STATES = {"sent": (N_("Sent"), "sent"), "refused": (N_("Refused"), "refused"),
                   "sending": (N_("Not confirmed"), "pending")}


@dataclass(frozen=True)
class FileLink:
    label: str  # "PDF", "Word", "Manifest"
    href: str | None  # None: the file is not in this outputs folder
    size: str  # "212 KB"
    path: str  # as archived, relative to the outputs folder


@dataclass(frozen=True)
class Row:
    """A partnership's line in the index or in a quarter's list."""

    name: str
    partner: str
    href: str
    quarter: str  # "Q3 2025"
    quarter_key: str  # "2025-Q3"
    score: int
    status: StatusView
    status_rank: int  # for sorting: Red 1, Amber 2, Green 3 (No data 0)
    change: str  # "+3", "−5", "0" or "—"
    change_value: str  # the change as a number for sorting, "" when there is none
    change_note: str  # "since Q2 2025", "no Q2 2025 review", "first archived quarter"
    revision: str  # "r2"
    archived: str  # "2025-10-01"
    archived_iso: str
    last_pack: str  # "2025-10-01", or "—" when no pack was issued
    last_pack_iso: str
    severe_risks: int  # open High and Critical risks in that quarter
    pdf: FileLink | None
    history: tuple[TrendPoint, ...]  # the last quarters' scores, oldest first


@dataclass(frozen=True)
class DeliveryRow:
    recipient: str
    state: str  # "Sent", "Refused", "Not confirmed"
    css: str  # "sent", "refused", "pending"
    when: str  # "2025-10-02 09:14 UTC"
    when_iso: str
    detail: str  # the server's reply or why it was refused


@dataclass(frozen=True)
class RevisionView:
    label: str  # "r2"
    note: str  # "latest" or "superseded by r3", in the site's language
    score: int
    status: StatusView
    archived: str  # "2025-10-01 09:30 UTC"
    archived_iso: str
    inputs_sha256: str
    source_file: str
    tool_version: str
    files: tuple[FileLink, ...]
    deliveries: tuple[DeliveryRow, ...]
    superseded: bool = False  # a later revision of its quarter exists


@dataclass(frozen=True)
class QuarterGroup:
    label: str  # "Q3 2025"
    quarter: str
    revisions: tuple[RevisionView, ...]  # newest first


@dataclass(frozen=True)
class KpiGridRow:
    kpi: str
    category: str
    cells: tuple[GridCell | None, ...]  # one per grid quarter; None: not reported


@dataclass(frozen=True)
class RiskCell:
    score: int
    rating: RatingView
    closed: bool
    move: str  # "▲", "▼" or ""
    move_text: str  # "up from 9", "down from 12", ""


@dataclass(frozen=True)
class RiskGridRow:
    risk_id: str
    description: str
    cells: tuple[RiskCell | None, ...]  # None: not in that quarter's workbook


@dataclass(frozen=True)
class PartnershipView:
    """What a partnership's pages show; the revisions are paged by the page builder."""

    name: str
    partner: str
    summary: Row
    trend: Trend
    grid_quarters: tuple[str, ...]  # "Q3 2025", oldest first
    kpi_rows: tuple[KpiGridRow, ...]
    risk_rows: tuple[RiskGridRow, ...]
    groups: tuple[QuarterGroup, ...]  # newest quarter first
    revision_count: int


def timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _day(moment: dt.datetime | None) -> tuple[str, str]:
    if moment is None:
        return "—", ""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%d"), utc.isoformat()


def file_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


def _label(quarter: str) -> str:
    return quarter_label(quarter)


def row(entry: PartnershipEntry, result: QuarterResult, page: str,
        links: OutputsLinks) -> Row:
    """`entry`'s line for `result`'s quarter, as seen from the site page `page`."""
    before = Quarter.parse(result.quarter).previous().canonical
    previous = next((q for q in entry.quarters if q.quarter == before), None)
    if previous is not None:
        delta = result.score - previous.score
        change, value = format_signed(delta), str(delta)
        note = gettext("since {quarter}").format(quarter=_label(before))
    elif entry.quarters[0] is result:
        change, value, note = "—", "", gettext("first archived quarter")
    else:
        change, value = "—", ""
        note = gettext("no {quarter} review").format(quarter=_label(before))
    archived, archived_iso = _day(result.created_at)
    last_pack, last_pack_iso = _day(entry.last_pack_at)
    upto = [q for q in entry.quarters if q.quarter <= result.quarter][-TREND_QUARTERS:]
    return Row(
        name=clean_text(entry.name), partner=clean_text(entry.partner),
        href=href(page, partnership_page(entry.key)),
        quarter=_label(result.quarter), quarter_key=result.quarter,
        score=result.score, status=StatusView.of(result.status), status_rank=result.status.rank,
        change=change, change_value=value, change_note=note,
        revision=f"r{result.revision}", archived=archived, archived_iso=archived_iso,
        last_pack=last_pack, last_pack_iso=last_pack_iso,
        severe_risks=result.open_severe_risks,
        pdf=None if result.pdf is None else FileLink(
            "PDF", links.href(page, result.pdf), "", result.pdf),
        history=tuple(TrendPoint(_label(q.quarter), q.score, StatusView.of(q.status))
                      for q in upto),
    )


def status_counts(statuses: Sequence[Status]) -> tuple[tuple[StatusView, int], ...]:
    """How many of each status, worst first, leaving out those with none."""
    order = (Status.RED, Status.AMBER, Status.GREEN, Status.NO_DATA)
    return tuple((StatusView.of(s), statuses.count(s)) for s in order if s in statuses)


def partnership_view(entry: PartnershipEntry, record: PartnershipRecord, page: str,
                     links: OutputsLinks, scoring: Scoring) -> PartnershipView:
    """Everything a partnership's pages show; file links are relative to `page`, the chart's
    bands those of `scoring`."""
    summary = row(entry, entry.latest, page, links)
    grid = tuple(q.quarter for q in entry.quarters[-TREND_QUARTERS:])
    return PartnershipView(
        name=clean_text(record.name), partner=clean_text(record.partner), summary=summary,
        trend=points_trend(summary.history, scoring.green_from, scoring.amber_from),
        grid_quarters=tuple(_label(q) for q in grid),
        kpi_rows=_kpi_rows(record, grid),
        risk_rows=_risk_rows(record.risks, grid),
        groups=_groups(record, page, links),
        revision_count=len(record.revisions),
    )


def _kpi_rows(record: PartnershipRecord, grid: Sequence[str]) -> tuple[KpiGridRow, ...]:
    """One row per KPI (matched by name, case and spaces aside), the latest quarter's first;
    each cell the actual as its workbook showed it, and the status."""
    cells: dict[str, dict[str, KpiResult]] = {}
    for result in sorted(record.kpis, key=lambda k: k.quarter, reverse=True):
        if result.quarter in grid:
            cells.setdefault(normalise(result.kpi), {})[result.quarter] = result
    rows = []
    for by in cells.values():
        newest = by[max(by)]
        look = next((k.measure for k in sorted(by.values(), key=lambda k: k.quarter,
                                                reverse=True) if k.measure), None)
        rows.append(KpiGridRow(clean_text(newest.kpi), clean_text(newest.category), tuple(
            None if q not in by else GridCell(_actual(by[q], look), StatusView.of(by[q].status))
            for q in grid)))
    return tuple(rows)


def _actual(result: KpiResult, look: Measure | None) -> str:
    """The actual as its workbook showed it; one archived without its look (before schema
    0002) in the look of the KPI's latest quarter that has one, else as a plain number."""
    if result.measure is not None:
        return format_measure(result.measure)
    if result.actual is None:
        return "—"
    return format_measure(in_look(result.actual, look)) if look else format_number(result.actual)


def score_spark(points: Sequence[TrendPoint], scoring: Scoring) -> Spark:
    """A score history as a sparkline (the scorecard's shapes): the scores on the axis the
    trend chart would fit to them, the Green threshold as its target line."""
    low, high = points_trend(points, scoring.green_from, scoring.amber_from).axis
    step = 1 / max(1, len(points) - 1)
    placed = tuple((round(i * step, 4) if len(points) > 1 else 0.5,
                    round((p.score - low) / (high - low), 4)) for i, p in enumerate(points))
    alt = gettext("Overall score by quarter: {scores}; Green from {green}.").format(
        scores=gettext(", ").join(f"{p.quarter} {p.score} ({p.status.word})" for p in points),
        green=format_number(scoring.green_from))
    return Spark(lines=(placed,) if len(placed) > 1 else (), dots=placed, last=placed[-1],
                 last_css=points[-1].status.css,
                 target=round((scoring.green_from - low) / (high - low), 4), alt=alt)


def _risk_rows(risks: Sequence[RiskResult], grid: Sequence[str]) -> tuple[RiskGridRow, ...]:
    """One row per risk ID, those of the latest quarter first in its rank order."""
    cells: dict[str, dict[str, RiskResult]] = {}
    for risk in sorted(risks, key=lambda r: r.quarter, reverse=True):
        if risk.quarter in grid:
            cells.setdefault(risk.risk_id, {})[risk.quarter] = risk
    rows = []
    for risk_id, by in cells.items():
        shown: list[RiskCell | None] = []
        before: RiskResult | None = None
        for quarter in grid:
            now = by.get(quarter)
            shown.append(None if now is None else _risk_cell(now, before))
            before = now
        latest = by[max(by)]
        rows.append(RiskGridRow(clean_text(risk_id), clean_text(latest.description),
                                tuple(shown)))
    return tuple(rows)


def _risk_cell(now: RiskResult, before: RiskResult | None) -> RiskCell:
    closed = now.state is RiskState.CLOSED
    move = text = ""
    if before is not None and not closed and before.score != now.score:
        move = "▲" if now.score > before.score else "▼"
        text = (gettext("up from {score}") if now.score > before.score
                else gettext("down from {score}")).format(score=before.score)
    return RiskCell(now.score, RatingView.of(now.rating), closed, move, text)


def _groups(record: PartnershipRecord, page: str,
            links: OutputsLinks) -> tuple[QuarterGroup, ...]:
    by_quarter: dict[str, list[RevisionView]] = {}
    ordered = sorted(record.revisions, key=lambda v: (v.review.quarter, v.review.revision),
                     reverse=True)
    for revision in ordered:
        review = revision.review
        newer = by_quarter.setdefault(review.quarter, [])
        by_quarter[review.quarter].append(RevisionView(
            label=f"r{review.revision}",
            note=(gettext("superseded by {revision}").format(revision=newer[-1].label)
                  if newer else gettext("latest")),
            superseded=bool(newer),
            score=review.score, status=StatusView.of(review.status),
            archived=timestamp(review.created_at),
            archived_iso=review.created_at.astimezone(dt.UTC).isoformat(),
            inputs_sha256=review.inputs_sha256, source_file=clean_text(revision.source_file),
            tool_version=review.tool_version,
            files=tuple(_file(a, page, links) for a in _ordered_files(revision.artifacts)),
            deliveries=tuple(_delivery(d) for d in revision.deliveries),
        ))
    return tuple(QuarterGroup(_label(q), q, tuple(revisions))
                 for q, revisions in by_quarter.items())


def _ordered_files(artifacts: Sequence[ArtifactRecord]) -> list[ArtifactRecord]:
    order = list(FILE_LABELS)
    return sorted(artifacts, key=lambda a: (a.kind == "manifest", a.language,  # the pack's,
                                            order.index(a.kind) if a.kind in order else 99))


def _file(artifact: ArtifactRecord, page: str, links: OutputsLinks) -> FileLink:
    label = gettext(FILE_LABELS.get(artifact.kind, artifact.kind))
    if artifact.language:  # a reader's own copy, beside the pack's: "PDF · ja"
        label = f"{label} · {artifact.language}"
    return FileLink(label, links.href(page, artifact.path), file_size(artifact.size), artifact.path)


def _delivery(delivery: Delivery) -> DeliveryRow:
    word, css = DELIVERY_STATES.get(delivery.state, (delivery.state, "pending"))
    return DeliveryRow(
        recipient=clean_text(delivery.recipient), state=gettext(word), css=css,
        when=timestamp(delivery.created_at),
        when_iso=delivery.created_at.astimezone(dt.UTC).isoformat(),
        detail=clean_text(delivery.server_reply),
    )
