"""A review's decisions and actions in the archive: `ScoredReview` in, table rows out (when it
is recorded), and the decisions' states read back for the quarter after (decisions taken since
last quarter). See docs/archive.md#what-is-archived.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from ..domain.model import DecisionState
from ..domain.scoring import ScoredReview
from . import tables as t


def decision_rows(review_id: int, review: ScoredReview) -> list[dict[str, Any]]:
    return [
        {
            "review_id": review_id,
            "position": index,
            "decision_id": d.id,
            "decision": d.text,
            "owner": d.owner,
            "due": d.due,
            "state": d.state.value,
            "notes": d.notes,
            "recommendation": d.recommendation,
            "financial_impact": d.financial_impact,
        }
        for index, d in enumerate(review.input.decisions, start=1)
    ]


def action_rows(review_id: int, review: ScoredReview) -> list[dict[str, Any]]:
    return [
        {
            "review_id": review_id,
            "position": index,
            "action_id": a.id,
            "action": a.text,
            "owner": a.owner,
            "due": a.due,
            "state": a.state.value,
            "notes": a.notes,
        }
        for index, a in enumerate(review.input.actions, start=1)
    ]


def decision_states(conn: Connection, review_id: int) -> dict[str, DecisionState]:
    """Each archived decision's state in that review, by decision ID."""
    d = t.decisions
    rows = conn.execute(select(d.c.decision_id, d.c.state).where(d.c.review_id == review_id)
                        .order_by(d.c.position)).all()
    return {row.decision_id: DecisionState(row.state) for row in rows}
