"""Archive rows: a scored review and its parts in, the rows the repository inserts out; and
rows back out as what the rest of reportgen reads (an `ArchivedReview`, archived actuals in the
look their workbook gave them).

Input checks that the database cannot make (aware timestamps, SHA-256 digests, artifact kinds
and relative paths) are made here, before any row is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import Row

from ..domain.history import ArchivedReview, ArtifactRecord
from ..domain.model import Measure, Status
from ..domain.scoring import ScoredReview
from . import tables as t

_SHA256 = re.compile(r"[0-9a-f]{64}")


def archived(row: Row[Any]) -> ArchivedReview:
    """A `reviews` row as the domain reads it."""
    return ArchivedReview(
        id=row.id,
        partnership=row.partnership,
        partnership_slug=row.partnership_slug,
        partnership_key=row.partnership_key,
        quarter=row.quarter,
        revision=row.revision,
        inputs_sha256=row.inputs_sha256,
        config_digest=row.config_digest,
        score=row.score,
        status=Status(row.status),
        created_at=row.created_at,
        tool_version=row.tool_version,
    )


def kpi_rows(review_id: int, review: ScoredReview) -> list[dict[str, Any]]:
    return [
        {
            "review_id": review_id,
            "position": index,
            "category": k.kpi.category,
            "kpi": k.kpi.name,
            "metric": k.kpi.metric,
            "target": k.kpi.target.value,
            "actual": None if k.kpi.actual is None else k.kpi.actual.value,
            "amber_threshold": None if k.kpi.amber_threshold is None
            else k.kpi.amber_threshold.value,
            "direction": k.kpi.direction.value,
            "status": k.status.value,
            "status_source": k.source.value,
            "computed_status": k.computed.value,
            "weight": float(k.kpi.weight),
            "points": k.points,
            "owner": k.kpi.owner,
            "commentary": k.kpi.commentary,
            "actual_look": None if k.kpi.actual is None else look(k.kpi.actual),
        }
        for index, k in enumerate(review.kpis, start=1)
    ]


def risk_rows(review_id: int, review: ScoredReview) -> list[dict[str, Any]]:
    return [
        {
            "review_id": review_id,
            "position": index,
            "risk_id": r.risk.id,
            "description": r.risk.description,
            "category": r.risk.category,
            "probability": r.risk.probability,
            "impact": r.risk.impact,
            "score": r.score,
            "rating": r.rating.value,
            "state": r.risk.state.value,
            "mitigation": r.risk.mitigation,
            "owner": r.risk.owner,
            "due": r.risk.due,
            "target_probability": r.risk.target_probability,
            "target_impact": r.risk.target_impact,
        }
        for index, r in enumerate(review.risks, start=1)
    ]


def look(measure: Measure) -> dict[str, Any]:
    """A measure's display fields (all but its value), as `kpi_results.actual_look` keeps them."""
    return {name: getattr(measure, name) for name in Measure._fields if name != "value"}


def measures(rows: Iterable[tuple[str, float | None, Any]]) -> dict[str, Measure]:
    """(key, actual, actual_look) rows → key → the actual in its archived look, for the rows
    that have both."""
    found: dict[str, Measure] = {}
    for key, actual, shown in rows:
        measure = archived_measure(actual, shown)
        if measure is not None:
            found[key] = measure
    return found


def archived_measure(actual: float | None, shown: Any) -> Measure | None:
    """An archived actual in its archived look; None without either (an archive written by a
    later reportgen may keep fields this one lacks)."""
    if actual is None or not isinstance(shown, dict):
        return None
    fields = {name: shown[name] for name in Measure._fields if name in shown}
    fields.pop("value", None)
    return Measure(actual, **fields)


def require_aware(moment: dt.datetime) -> None:
    if moment.utcoffset() is None:
        raise ValueError(f"archive timestamps must be timezone-aware, not {moment!r}")


def require_sha256(name: str, value: str) -> None:
    if not _SHA256.fullmatch(value):
        raise ValueError(f"{name} must be 64 lower-case hex digits, not {value!r}")


def check_artifact(artifact: ArtifactRecord) -> None:
    if artifact.kind not in t.ARTIFACT_KINDS:
        raise ValueError(f"artifact kind {artifact.kind!r} is not one of {t.ARTIFACT_KINDS}")
    path = PurePosixPath(artifact.path)
    if path.is_absolute() or "\\" in artifact.path or ".." in path.parts or not path.parts:
        raise ValueError(f"artifact path {artifact.path!r} must be relative to the outputs folder")
    require_sha256("artifact sha256", artifact.sha256)
