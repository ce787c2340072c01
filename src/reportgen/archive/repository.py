"""The archive: scored reviews in, review history out, on SQLite or PostgreSQL.

Input: a SQLAlchemy URL, then each build's `ScoredReview` (with its decisions and actions) with
its artifacts and distribution list, and each email delivery. Output: what the rest of
reportgen reads back, as `domain.history` records: the latest revision of a quarter, the
previous quarter as a `PreviousReview` (with its decisions' states, from `agenda`), earlier
quarters as `HistoryEntry`s (the trend), every revision for `reportgen history`, a pack's
revision and distribution list for `send`, and each recipient's delivery state; and the folder
each partnership's packs go to. With engine.py, rows.py and agenda.py, the only code that runs
SQL. See docs/archive.md.

A partnership is known by its key (`Partnership.key`: its name with case and spaces folded),
never by its slug: two partnerships whose names make the same slug have separate histories and
separate folders (`claim_folder`).

`Archive.open` migrates the schema to head (engine.py builds the engine and migrates it).
Records are append-only (the database refuses UPDATE and DELETE); a review and all its rows are
written in one transaction; `revision_lock` serialises concurrent builds of one partnership's
quarter across processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, Row, Table, and_, func, insert, or_, select, text
from sqlalchemy.exc import IntegrityError

from ..domain.history import (
    ArchivedReview,
    ArtifactRecord,
    Delivery,
    HistoryEntry,
    PreviousReview,
    ReviewRow,
)
from ..domain.model import Quarter, Status
from ..domain.scoring import ScoredReview
from ..domain.text import normalise
from ..errors import ReportgenError
from ..locks import file_lock
from . import tables as t
from .agenda import action_rows, decision_rows, decision_states
from .engine import lock_key, open_engine
from .rows import (
    archived,
    check_artifact,
    kpi_rows,
    measures,
    require_aware,
    require_sha256,
    risk_rows,
)


class Archive:
    """One archive database. Open with `Archive.open(url)`; close (or use `with`) when done."""

    def __init__(self, engine: Engine, lock_dir: Path | None) -> None:
        self.engine = engine
        self._writer = engine.execution_options(reportgen_write=True)
        self._lock_dir = lock_dir  # SQLite file: where the per-quarter lock files live
        self._memory_lock = threading.Lock()  # in-memory SQLite: the database is this process's

    @classmethod
    def open(cls, url: str) -> Archive:
        """Connect and migrate the schema to head; a bad URL or an unreachable server is an error.

        SQLite: the file (and its folder) are created when missing, and a `<file>.locks` folder
        beside it holds the lock files.
        """
        return cls(*open_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def revision_lock(self, partnership_key: str, quarter: str) -> Iterator[None]:
        """Hold the lock on one partnership's quarter: other processes wait at the door.

        Inside it, `latest()` → decide the revision → write the files → `record()` is safe
        against a concurrent build of the same quarter. PostgreSQL: a session advisory lock on a
        hash of the key. SQLite: an exclusive `flock` on a lock file beside the database.
        """
        key = f"{partnership_key}\x00{Quarter.parse(quarter).canonical}"
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT")  # no idle transaction
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock_key(key)})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(key)})
        elif self._lock_dir is None:
            with self._memory_lock:
                yield
        else:
            name = hashlib.sha256(key.encode()).hexdigest()[:32]
            with file_lock(self._lock_dir / f"{name}.lock"):
                yield

    def latest(self, partnership_key: str, quarter: str) -> ArchivedReview | None:
        """The highest revision of this partnership's quarter, or None."""
        with self.engine.connect() as conn:
            row = _latest(conn, partnership_key, Quarter.parse(quarter).canonical)
        return None if row is None else archived(row)

    def record(
        self,
        review: ScoredReview,
        *,
        revision: int,
        inputs_sha256: str,
        config_digest: str,
        tool_version: str,
        created_at: dt.datetime,
        artifacts: Sequence[ArtifactRecord],
        distribution: Sequence[str],
    ) -> int:
        """Archive one revision and everything in it, in one transaction; return its id.

        A revision already archived for this partnership and quarter is refused
        (ReportgenError); nothing of a failed call is left behind.
        """
        require_aware(created_at)
        for name, digest in (("inputs_sha256", inputs_sha256), ("config_digest", config_digest)):
            require_sha256(name, digest)
        for artifact in artifacts:
            check_artifact(artifact)
        p = review.input.partnership
        quarter = p.quarter.canonical
        try:
            with self._writer.begin() as conn:
                previous = _latest(conn, p.key, p.quarter.previous().canonical)
                inserted = conn.execute(insert(t.reviews).values(
                    partnership=p.name,
                    partnership_slug=p.slug,
                    partnership_key=p.key,
                    partner=p.partner,
                    quarter=quarter,
                    revision=revision,
                    inputs_sha256=inputs_sha256,
                    config_digest=config_digest,
                    score=review.score,
                    status=review.status.value,
                    source_file=review.input.source_file,
                    tool_version=tool_version,
                    created_at=created_at,
                    previous_review_id=None if previous is None else previous.id,
                )).inserted_primary_key
                assert inserted is not None, "an INSERT returns the new row's key"
                review_id: int = inserted[0]
                _insert(conn, t.kpi_results, kpi_rows(review_id, review))
                _insert(conn, t.risk_results, risk_rows(review_id, review))
                _insert(conn, t.artifacts, [
                    {"review_id": review_id, "kind": a.kind, "path": a.path,
                     "sha256": a.sha256, "size": a.size, "language": a.language or None}
                    for a in artifacts
                ])
                _insert(conn, t.distribution, [
                    {"review_id": review_id, "position": index, "recipient": recipient}
                    for index, recipient in enumerate(distribution, start=1)
                ])
                _insert(conn, t.decisions, decision_rows(review_id, review))
                _insert(conn, t.actions, action_rows(review_id, review))
        except IntegrityError as exc:
            if self._revision_exists(p.key, quarter, revision):
                raise ReportgenError(
                    f"{p.name} {quarter}: revision {revision} is already archived; "
                    "archived revisions are never replaced"
                ) from exc
            raise
        return review_id

    def previous_review(self, partnership_key: str, quarter: str) -> PreviousReview | None:
        """The latest revision of the quarter before `quarter`, for the change since then (3.4).

        Risks are those that were open then: closed ones were already off last quarter's matrix.
        """
        previous = Quarter.parse(quarter).previous().canonical
        with self.engine.connect() as conn:
            row = _latest(conn, partnership_key, previous)
            if row is None:
                return None
            c = t.kpi_results.c
            kpis = conn.execute(
                select(c.kpi, c.status, c.actual, c.actual_look)
                .where(c.review_id == row.id)
                .order_by(c.position)
            ).all()
            risks = conn.execute(
                select(t.risk_results.c.risk_id, t.risk_results.c.score,
                       t.risk_results.c.probability, t.risk_results.c.impact)
                .where(t.risk_results.c.review_id == row.id, t.risk_results.c.state == "Open")
                .order_by(t.risk_results.c.position)
            ).all()
            decided = decision_states(conn, row.id)
        return PreviousReview(
            quarter=previous,
            score=row.score,
            status=Status(row.status),
            kpi_status={normalise(k.kpi): Status(k.status) for k in kpis},
            kpi_actual={normalise(k.kpi): k.actual for k in kpis},
            kpi_measure=measures((normalise(k.kpi), k.actual, k.actual_look) for k in kpis),
            risk_score={r.risk_id: r.score for r in risks},
            risk_cell={r.risk_id: (r.probability, r.impact) for r in risks},
            decision_state=decided,
        )

    def history(
        self, partnership_key: str, before_quarter: str, limit: int = 7
    ) -> list[HistoryEntry]:
        """The latest revision of each of the last `limit` quarters before `before_quarter`,
        oldest first, with each KPI's status by name (for the trend chart and grid)."""
        if limit <= 0:
            return []
        r = t.reviews
        per_quarter = (
            select(r.c.quarter, func.max(r.c.revision).label("revision"))
            .where(r.c.partnership_key == partnership_key,
                   r.c.quarter < Quarter.parse(before_quarter).canonical)
            .group_by(r.c.quarter)
            .order_by(r.c.quarter.desc())
            .limit(limit)
            .subquery()
        )
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(r.c.id, r.c.quarter, r.c.score, r.c.status)
                .join(per_quarter, and_(r.c.quarter == per_quarter.c.quarter,
                                        r.c.revision == per_quarter.c.revision))
                .where(r.c.partnership_key == partnership_key)
                .order_by(r.c.quarter)
            ).all()
            c = t.kpi_results.c
            kpis = conn.execute(
                select(c.review_id, c.kpi, c.status, c.actual, c.actual_look)
                .where(c.review_id.in_([row.id for row in rows]))
                .order_by(c.review_id, c.position)
            ).all()
        by_review: dict[int, list[Any]] = {row.id: [] for row in rows}
        for kpi in kpis:
            by_review[kpi.review_id].append(kpi)
        return [HistoryEntry(
            row.quarter, row.score, Status(row.status),
            kpi_status={k.kpi: Status(k.status) for k in by_review[row.id]},
            kpi_actual={k.kpi: k.actual for k in by_review[row.id]},
            kpi_measure=measures((k.kpi, k.actual, k.actual_look) for k in by_review[row.id]),
        ) for row in rows]

    def reviews(self, partnership: str) -> tuple[str, list[ReviewRow]]:
        """Every archived revision of the one partnership whose name or slug contains
        `partnership` (case and runs of spaces ignored), oldest quarter first: (its latest name,
        the revisions).

        A name or slug equal to `partnership` wins over partial matches, so a partnership whose
        name is part of another's can still be chosen. Partnerships are told apart by their
        keys, so two whose names share a slug are two partnerships here too.
        """
        needle = normalise(partnership)
        r = t.reviews
        with self.engine.connect() as conn:
            names = conn.execute(
                select(r.c.partnership_key, r.c.partnership_slug, r.c.partnership,
                       func.max(r.c.id).label("last"))
                .group_by(r.c.partnership_key, r.c.partnership_slug, r.c.partnership)
                .order_by(func.max(r.c.id))
            ).all()
            current = {row.partnership_key: row.partnership for row in names}  # latest name
            exact = {row.partnership_key for row in names
                     if needle in (row.partnership_key, row.partnership_slug)}
            partial = {row.partnership_key for row in names
                       if needle in row.partnership_key or needle in row.partnership_slug}
            matches = exact or partial
            if not matches:
                raise ReportgenError(f"no archived partnership matches {partnership!r}")
            if len(matches) > 1:
                listed = "; ".join(sorted(current[key] for key in matches))
                raise ReportgenError(
                    f"{len(matches)} archived partnerships match {partnership!r}: {listed}; "
                    "give more of the name"
                )
            (key,) = matches
            rows = conn.execute(
                select(r.c.quarter, r.c.revision, r.c.score, r.c.status, r.c.created_at,
                       r.c.inputs_sha256)
                .where(r.c.partnership_key == key)
                .order_by(r.c.quarter, r.c.revision)
            ).all()
        return current[key], [
            ReviewRow(row.quarter, row.revision, row.score, Status(row.status), row.created_at,
                      row.inputs_sha256)
            for row in rows
        ]

    def find_review(self, partnership_key: str, quarter: str,
                    revision: int) -> ArchivedReview | None:
        """The archived revision `revision` of this partnership's quarter, or None."""
        r = t.reviews
        with self.engine.connect() as conn:
            row = conn.execute(select(r).where(
                r.c.partnership_key == partnership_key,
                r.c.quarter == Quarter.parse(quarter).canonical,
                r.c.revision == revision,
            )).first()
        return None if row is None else archived(row)

    def folder(self, partnership_key: str) -> str | None:
        """The folder this partnership's packs go to, if one was ever chosen for it."""
        f = t.folders
        with self.engine.connect() as conn:
            found: str | None = conn.scalar(
                select(f.c.folder).where(f.c.partnership_key == partnership_key))
        return found

    def claim_folder(self, partnership_key: str, partnership: str, candidates: Sequence[str],
                     at: dt.datetime) -> str:
        """This partnership's folder: the one recorded for it, else the first of `candidates`
        that no other partnership has, recorded now and kept for good.

        Two processes claiming at once are settled by the table's unique keys: the loser reads
        the claims again and takes the next free name (or its own, if it was the same
        partnership).
        """
        require_aware(at)
        f = t.folders
        for _ in range(len(candidates) + 1):
            with self.engine.connect() as conn:
                owners = {row.folder: row.partnership_key for row in conn.execute(
                    select(f.c.folder, f.c.partnership_key).where(
                        or_(f.c.partnership_key == partnership_key, f.c.folder.in_(candidates))))}
            mine = [folder for folder, owner in owners.items() if owner == partnership_key]
            if mine:
                return mine[0]
            free = [c for c in candidates if c not in owners]
            if not free:
                break
            try:
                with self._writer.begin() as conn:
                    conn.execute(insert(f).values(partnership_key=partnership_key,
                                                  partnership=partnership, folder=free[0],
                                                  created_at=at))
            except IntegrityError:
                continue  # claimed meanwhile: look again
            return free[0]
        raise ReportgenError(f"{partnership}: every folder name it could have "
                             f"({', '.join(candidates)}) belongs to another partnership")

    def distribution(self, review_id: int) -> list[str]:
        """The review's distribution list as archived, in the workbook's order."""
        d = t.distribution
        with self.engine.connect() as conn:
            return list(conn.scalars(
                select(d.c.recipient).where(d.c.review_id == review_id).order_by(d.c.position)
            ))

    def artifacts(self, review_id: int) -> list[ArtifactRecord]:
        a = t.artifacts
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.kind, a.c.path, a.c.sha256, a.c.size, a.c.language)
                .where(a.c.review_id == review_id)
                .order_by(a.c.id)
            ).all()
        return [ArtifactRecord(row.kind, row.path, row.sha256, row.size, row.language or "")
                for row in rows]

    def delivery_states(self, review_id: int) -> dict[str, Delivery]:
        """Each recipient's latest delivery row for this review (its state now)."""
        d = t.deliveries
        last = (
            select(func.max(d.c.id))
            .where(d.c.review_id == review_id)
            .group_by(d.c.recipient)
            .scalar_subquery()
        )
        with self.engine.connect() as conn:
            rows = conn.execute(select(d).where(d.c.id.in_(last)).order_by(d.c.id)).all()
        return {
            row.recipient: Delivery(row.recipient, row.state, row.message_id, row.server_reply,
                                    row.created_at, row.copy_sha256 or "")
            for row in rows
        }

    def record_delivery(
        self,
        review_id: int,
        recipient: str,
        state: str,
        *,
        message_id: str = "",
        server_reply: str = "",
        copy_sha256: str | None = None,
        at: dt.datetime,
    ) -> None:
        """Append a delivery state for one recipient (with the SHA-256 of the copy made for
        them, if one was); committed before this returns."""
        if state not in t.DELIVERY_STATES:
            raise ValueError(f"delivery state {state!r} is not one of {t.DELIVERY_STATES}")
        require_aware(at)
        with self._writer.begin() as conn:
            conn.execute(insert(t.deliveries).values(
                review_id=review_id, recipient=recipient, state=state, message_id=message_id,
                server_reply=server_reply, created_at=at, copy_sha256=copy_sha256,
            ))

    def _revision_exists(self, partnership_key: str, quarter: str, revision: int) -> bool:
        r = t.reviews
        with self.engine.connect() as conn:
            found = conn.scalar(select(r.c.id).where(
                r.c.partnership_key == partnership_key, r.c.quarter == quarter,
                r.c.revision == revision
            ))
        return found is not None


def _latest(conn: Connection, partnership_key: str, quarter: str) -> Row[Any] | None:
    r = t.reviews
    return conn.execute(
        select(r)
        .where(r.c.partnership_key == partnership_key, r.c.quarter == quarter)
        .order_by(r.c.revision.desc())
        .limit(1)
    ).first()


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(table), rows)
