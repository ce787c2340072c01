"""The attention list: a review's scored KPIs, open risks, decisions and actions → one ranked
list of what the sponsors must look at, by one rule (docs/scoring.md#attention-list).

Tiers, in order: open Critical risks; Red KPIs; overdue decisions and actions; open High risks;
decisions due before the next review; risks up (or new) since last quarter; Amber KPIs; No data
KPIs; KPIs set by hand to a status the rules do not give; Green KPIs whose actual moved the wrong
way since last quarter. Each item is listed once, in the first tier it belongs to. Within a
tier, risks go by score (highest first) then ID; Red and Amber KPIs by how far they miss their
target relative to it (`KpiResult.miss`: 35% below before 0.05% below), then weight (heaviest
first), then workbook row; other KPIs by weight then row; overdue items by days overdue (most
first), decisions due by due date (earliest first, none last). Pure: "overdue" is measured
against the date it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .model import (
    Action,
    ActionState,
    Decision,
    DecisionState,
    RiskRating,
    Status,
    days_overdue,
)

if TYPE_CHECKING:
    from .scoring import KpiResult, RiskResult


class Tier(IntEnum):
    """Why an item is on the list; the lower, the earlier it comes."""

    CRITICAL_RISK = 1
    RED_KPI = 2
    OVERDUE = 3
    HIGH_RISK = 4
    DECISION_DUE = 5
    RISK_UP = 6
    AMBER_KPI = 7
    NO_DATA_KPI = 8
    SET_BY_HAND = 9
    KPI_WORSE = 10


@dataclass(frozen=True)
class AttentionItem:
    """One line of the attention list. `subject` is the `KpiResult`, `RiskResult`, `Decision`
    or `Action` it is about; `id` is the risk, decision or action ID, or the KPI's name."""

    tier: Tier
    kind: str  # "kpi", "risk", "decision" or "action"
    id: str
    name: str  # the KPI's name, the risk's description, the decision's or action's text
    subject: KpiResult | RiskResult | Decision | Action
    days_overdue: int = 0


_KPI_TIERS = {Status.RED: Tier.RED_KPI, Status.AMBER: Tier.AMBER_KPI,
              Status.NO_DATA: Tier.NO_DATA_KPI}
_BY_MISS = (Tier.RED_KPI, Tier.AMBER_KPI)  # ranked by the size of the miss before weight


def kpi_rank(k: KpiResult, row: int) -> tuple[float, Fraction, int]:
    """Where a Red or Amber KPI stands among those of its status, worst first: the bigger miss
    relative to its target, then the heavier weight, then the earlier workbook row. The
    headline's "led by" names the first by this rule too."""
    return (-k.miss, -k.kpi.weight, row)


def attention_list(kpis: Sequence[KpiResult], open_risks: Sequence[RiskResult],
                   decisions: Sequence[Decision], actions: Sequence[Action], *,
                   as_of: dt.date | None, next_review: dt.date | None
                   ) -> tuple[AttentionItem, ...]:
    """Everything that needs the sponsors' attention, most urgent first (the module's rule).

    `as_of` is the day overdue is counted on (None: nothing is overdue); `next_review` bounds
    "due before the next review" (None: every open decision that is not overdue counts)."""
    ranked: list[tuple[tuple[Any, ...], AttentionItem]] = []
    for row, k in enumerate(kpis):
        tier = _KPI_TIERS.get(k.status)
        if tier is None:  # Green
            tier = (Tier.SET_BY_HAND if k.overridden and k.computed is not k.status
                    else Tier.KPI_WORSE if k.actual_worse else None)
        if tier is not None:
            item = AttentionItem(tier, "kpi", k.kpi.name, k.kpi.name, k)
            ranked.append(((tier, *(kpi_rank(k, row) if tier in _BY_MISS
                                    else (0.0, -k.kpi.weight, row))), item))
    for r in open_risks:
        tier = (Tier.CRITICAL_RISK if r.rating is RiskRating.CRITICAL
                else Tier.HIGH_RISK if r.rating is RiskRating.HIGH
                else Tier.RISK_UP if r.rose or r.is_new else None)
        if tier is not None:
            item = AttentionItem(tier, "risk", r.risk.id, r.risk.description, r)
            ranked.append(((tier, -r.score, r.risk.id), item))
    for row, d in enumerate(decisions):
        if d.state is not DecisionState.OPEN:
            continue
        late = days_overdue(d.due, as_of)
        if late:
            item = AttentionItem(Tier.OVERDUE, "decision", d.id, d.text, d, late)
            ranked.append(((Tier.OVERDUE, -late, 0, row), item))
        elif d.due is None or next_review is None or d.due < next_review:
            item = AttentionItem(Tier.DECISION_DUE, "decision", d.id, d.text, d)
            ranked.append(((Tier.DECISION_DUE, d.due or dt.date.max, row), item))
    for row, a in enumerate(actions):
        late = days_overdue(a.due, as_of) if a.state is ActionState.OPEN else 0
        if late:
            item = AttentionItem(Tier.OVERDUE, "action", a.id, a.text, a, late)
            ranked.append(((Tier.OVERDUE, -late, 1, row), item))
    ranked.sort(key=lambda pair: pair[0])
    return tuple(item for _, item in ranked)
