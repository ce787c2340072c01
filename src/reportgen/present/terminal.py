"""Scored reviews (with their summaries) → readable text on the terminal (rich): the headline,
the scorecard, the risks and the attention list with why each item is there."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..domain.measures import format_measure, format_percent, format_points, format_signed
from ..domain.model import Quarter
from ..domain.scoring import ScoredReview
from ..domain.text import clean_text
from .summary import Summary

_STYLE = {"Green": "bold green", "Amber": "bold yellow", "Red": "bold red", "No data": "dim"}


def print_scored(review: ScoredReview, summary: Summary, console: Console | None = None) -> None:
    console = console or Console()
    p = review.input.partnership
    change = ""
    if review.previous is not None and review.score_delta is not None:
        quarter = Quarter.parse(review.previous.quarter).label
        change = f" ({format_signed(review.score_delta)} since {quarter})"
    console.print(f"[bold]{_esc(p.name)}[/] — {p.quarter.label}: overall "
                  f"[{_STYLE[review.status.value]}]{review.score} {review.status.value}[/]"
                  f"{change}")
    for sentence in summary.headline:
        console.print(f"  {_esc(sentence)}")
    kpis = Table(title="Partnership Health Scorecard", title_justify="left")
    for column in ("Category", "KPI", "Target", "Actual", "Status", "Weight", "Points"):
        kpis.add_column(column, justify="right" if column in {"Weight", "Points"} else "left")
    for k in review.kpis:
        status = k.status.value + (f" (by hand; rules: {k.computed.value})" if k.overridden else "")
        kpis.add_row(_esc(k.kpi.category), _esc(k.kpi.name), format_measure(k.kpi.target),
                     format_measure(k.kpi.actual) if k.kpi.actual else "—",
                     f"[{_STYLE[k.status.value]}]{status}[/]", format_percent(k.kpi.weight),
                     format_points(k.shown, review.points_unit))
    kpis.add_row("Overall", "", "", "", f"[{_STYLE[review.status.value]}]{review.status.value}[/]",
                 format_percent(sum(k.kpi.weight for k in review.kpis)),
                 format_points(review.score, review.points_unit))
    console.print(kpis)
    risks = Table(title="Strategic risks", title_justify="left")
    for column in ("ID", "Risk", "P", "I", "Score", "Rating", "Status"):
        risks.add_column(column)
    for r in review.risks:
        risks.add_row(_esc(r.risk.id), _esc(r.risk.description), str(r.risk.probability),
                      str(r.risk.impact), str(r.score), r.rating.value, r.risk.state.value)
    console.print(risks)
    if summary.attention:
        console.print("[bold]For the sponsors' attention[/]")
        for e in summary.attention:
            kind = f"{e.kind.upper()} {e.ref}".strip()
            console.print(f"  {e.number}. {_esc(kind)} {_esc(e.name)} — {_esc(e.why)}")


def _esc(text: str) -> str:
    """Workbook text for the terminal: no control characters, no rich markup."""
    from rich.markup import escape

    return escape(clean_text(text))
