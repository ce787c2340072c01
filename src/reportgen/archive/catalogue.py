"""The archive read as a catalogue, for the static site: queries in, `domain.catalogue` records out.

Input: an open `Archive`. Output: every partnership with the latest revision of each of its
quarters (`partnerships`), and for a batch of partnerships everything archived about them
(`records`): every revision with its files and e-mail deliveries, and the KPI and risk results
of each quarter's latest revision. Read-only: nothing here writes.

Which partnership a review belongs to is decided by `partnership_key` alone: every query groups
and filters by it, so the rule can change in that one place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Subquery, and_, func, select

from ..domain.catalogue import (
    KpiResult,
    PartnershipEntry,
    PartnershipRecord,
    QuarterResult,
    RevisionRecord,
    RiskResult,
)
from ..domain.history import ArtifactRecord, Delivery
from ..domain.model import RiskRating, RiskState, Status
from . import tables as t
from .repository import Archive
from .rows import archived, archived_measure

SEVERE_RATINGS = ("High", "Critical")


def partnership_key() -> ColumnElement[str]:
    """The column whose value says which partnership a review belongs to."""
    return t.reviews.c.partnership_key


class Catalogue:
    """Read-only queries over one open archive. Used as a context manager, every query reads
    one snapshot of it (a single read transaction; REPEATABLE READ on PostgreSQL), so a build
    recording meanwhile cannot make the index and a partnership's page disagree."""

    def __init__(self, archive: Archive) -> None:
        self.engine = archive.engine
        self._snapshot: Connection | None = None

    def __enter__(self) -> Catalogue:
        conn = self.engine.connect()
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
        self._snapshot = conn
        return self

    def __exit__(self, *exc: object) -> None:
        if self._snapshot is not None:
            self._snapshot.close()  # rolls the read-only transaction back
            self._snapshot = None

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        if self._snapshot is not None:
            yield self._snapshot
        else:
            with self.engine.connect() as conn:
                yield conn

    def partnerships(self) -> list[PartnershipEntry]:
        """Every partnership, ordered by name (case-insensitive), each with the latest revision
        of every archived quarter, oldest quarter first."""
        r, a, rr = t.reviews, t.artifacts, t.risk_results
        key = partnership_key()
        latest = _latest_per_quarter()
        with self._reading() as conn:
            quarters = conn.execute(_join_latest(
                select(r.c.id, key.label("key"), r.c.quarter, r.c.revision, r.c.score,
                       r.c.status, r.c.created_at), latest
            ).order_by(key, r.c.quarter)).all()
            severe: dict[int, int] = dict(conn.execute(_join_latest(
                select(rr.c.review_id, func.count()).join(r, r.c.id == rr.c.review_id), latest
            ).where(rr.c.state == "Open", rr.c.rating.in_(SEVERE_RATINGS))
             .group_by(rr.c.review_id)).all())
            pdfs: dict[int, str] = dict(conn.execute(_join_latest(
                select(a.c.review_id, a.c.path).join(r, r.c.id == a.c.review_id), latest
            ).where(a.c.kind == "pdf")).all())
            names = _names(conn.execute(
                select(key.label("key"), r.c.partnership, r.c.partner)
                .where(r.c.id.in_(select(func.max(r.c.id)).group_by(key)))
            ).all())
            counts: dict[str, int] = dict(conn.execute(
                select(key, func.count()).group_by(key)
            ).all())
            last_pack: dict[str, dt.datetime] = dict(conn.execute(
                select(key, func.max(r.c.created_at))
                .join(a, a.c.review_id == r.c.id)
                .where(a.c.kind == "pdf")
                .group_by(key)
            ).all())
        grouped: dict[str, list[QuarterResult]] = defaultdict(list)
        for row in quarters:
            grouped[row.key].append(QuarterResult(
                review_id=row.id, quarter=row.quarter, revision=row.revision, score=row.score,
                status=Status(row.status), created_at=row.created_at,
                open_severe_risks=severe.get(row.id, 0), pdf=pdfs.get(row.id),
            ))
        entries = [
            PartnershipEntry(key=k, name=names[k][0], partner=names[k][1],
                             quarters=tuple(results), revisions=counts[k],
                             last_pack_at=last_pack.get(k))
            for k, results in grouped.items()
        ]
        return sorted(entries, key=lambda e: (e.name.casefold(), e.key))

    def records(self, keys: Sequence[str]) -> list[PartnershipRecord]:
        """Everything archived about the partnerships with these keys, in the order given
        (keys the archive does not know are left out). Ask for a few hundred at a time."""
        if not keys:
            return []
        r, a, d = t.reviews, t.artifacts, t.deliveries
        key = partnership_key()
        wanted = key.in_(list(keys))
        latest = _latest_per_quarter(keys)
        with self._reading() as conn:
            reviews = conn.execute(
                select(r, key.label("key")).where(wanted)
                .order_by(key, r.c.quarter, r.c.revision)
            ).all()
            files = conn.execute(
                select(a.c.review_id, a.c.kind, a.c.path, a.c.sha256, a.c.size, a.c.language)
                .join(r, r.c.id == a.c.review_id).where(wanted).order_by(a.c.id)
            ).all()
            last_states = (
                select(func.max(d.c.id)).join(r, r.c.id == d.c.review_id).where(wanted)
                .group_by(d.c.review_id, d.c.recipient)
            )
            deliveries = conn.execute(
                select(d).where(d.c.id.in_(last_states)).order_by(d.c.id)
            ).all()
            kpis = conn.execute(_join_latest(
                select(key.label("key"), r.c.quarter, t.kpi_results.c.category,
                       t.kpi_results.c.kpi, t.kpi_results.c.status, t.kpi_results.c.points,
                       t.kpi_results.c.actual, t.kpi_results.c.actual_look)
                .join(r, r.c.id == t.kpi_results.c.review_id), latest
            ).order_by(r.c.quarter, t.kpi_results.c.position)).all()
            risks = conn.execute(_join_latest(
                select(key.label("key"), r.c.quarter, t.risk_results.c.risk_id,
                       t.risk_results.c.description, t.risk_results.c.score,
                       t.risk_results.c.rating, t.risk_results.c.state)
                .join(r, r.c.id == t.risk_results.c.review_id), latest
            ).order_by(r.c.quarter, t.risk_results.c.position)).all()
        by_review_files = _by(files, "review_id", lambda f: ArtifactRecord(
            f.kind, f.path, f.sha256, f.size, f.language or ""))
        by_review_sent = _by(deliveries, "review_id", lambda s: Delivery(
            s.recipient, s.state, s.message_id, s.server_reply, s.created_at))
        by_key_kpis = _by(kpis, "key", lambda k: KpiResult(
            k.quarter, k.category, k.kpi, Status(k.status), k.points, k.actual,
            archived_measure(k.actual, k.actual_look)))
        by_key_risks = _by(risks, "key", lambda k: RiskResult(
            k.quarter, k.risk_id, k.description, k.score, RiskRating(k.rating),
            RiskState(k.state)))
        revisions: dict[str, list[RevisionRecord]] = defaultdict(list)
        newest: dict[str, Any] = {}  # each key's most recently archived review
        for row in reviews:
            if row.key not in newest or row.id > newest[row.key].id:
                newest[row.key] = row
            revisions[row.key].append(RevisionRecord(
                review=archived(row), source_file=row.source_file,
                artifacts=tuple(by_review_files.get(row.id, ())),
                deliveries=tuple(by_review_sent.get(row.id, ())),
            ))
        return [
            PartnershipRecord(
                key=k, name=newest[k].partnership, partner=newest[k].partner,
                revisions=tuple(revisions[k]), kpis=tuple(by_key_kpis.get(k, ())),
                risks=tuple(by_key_risks.get(k, ())),
            )
            for k in keys if k in revisions
        ]


    def files_under(self, folder: str) -> list[str]:
        """Archived file paths inside `folder` of the outputs folder (at most ten)."""
        a = t.artifacts
        prefix = folder.rstrip("/") + "/"
        with self._reading() as conn:
            return list(conn.scalars(
                select(a.c.path).where(func.substr(a.c.path, 1, len(prefix)) == prefix)
                .order_by(a.c.id).limit(10)
            ))


def _latest_per_quarter(keys: Sequence[str] | None = None) -> Subquery:
    """(key, quarter, revision) of the latest revision of every partnership's quarter."""
    r = t.reviews
    key = partnership_key()
    query = select(key.label("key"), r.c.quarter, func.max(r.c.revision).label("revision"))
    if keys is not None:
        query = query.where(key.in_(list(keys)))
    return query.group_by(key, r.c.quarter).subquery()


def _join_latest(query: Select[Any], latest: Subquery) -> Select[Any]:
    """`query` (which selects from reviews) narrowed to each quarter's latest revision."""
    r = t.reviews
    return query.join(latest, and_(partnership_key() == latest.c.key,
                                   r.c.quarter == latest.c.quarter,
                                   r.c.revision == latest.c.revision))


def _names(rows: Iterable[Any]) -> dict[str, tuple[str, str]]:
    return {row.key: (row.partnership, row.partner) for row in rows}


def _by(rows: Iterable[Any], field: str, make: Any) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, field)].append(make(row))
    return grouped
