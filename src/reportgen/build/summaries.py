"""Portfolio summaries: the outcomes of one build in, one summary PDF per quarter out.

A quarter with two or more partnerships in this build gets
`<out>/portfolio/<YYYY-Qn>/portfolio-<YYYY-Qn>.pdf` and a small manifest beside it; the PDF is
rewritten only when what it shows changes (docs/pack.md#portfolio-summary). Builds write there
one at a time (the outputs folder's `portfolio` lock), and temporary files left by one that
died are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..clock import Clock
from ..config import Settings
from ..domain.model import Quarter
from ..errors import ReportgenError
from ..outputs.layout import PORTFOLIO, atomic_write, folder_lock, read_manifest, remove_strays
from ..present.portfolio import PortfolioLine, portfolio_view

if TYPE_CHECKING:
    from .pipeline import PackOutcome


def write_summaries(outcomes: Sequence[PackOutcome], settings: Settings, out: Path,
                    clock: Clock) -> list[Path]:
    """Write (or keep) each quarter's summary; return their paths. A summary that cannot be
    written (a read-only or full disk) is a ReportgenError naming the file."""
    by_quarter: dict[str, list[PortfolioLine]] = {}
    for outcome in outcomes:
        if outcome.line is not None:
            by_quarter.setdefault(outcome.line.quarter, []).append(outcome.line)
    quarters = [(q, lines) for q, lines in sorted(by_quarter.items()) if len(lines) >= 2]
    stale = [(q, lines) for q, lines in quarters if not _current(q, lines, settings, out)]
    try:
        if stale:  # an unchanged summary takes no lock: a read-only folder is fine then
            with folder_lock(out, PORTFOLIO):
                for quarter, lines in stale:
                    if not _current(quarter, lines, settings, out):
                        _write_summary(quarter, lines, settings, out, clock)
    except OSError as exc:
        raise ReportgenError(f"{exc.filename or out / PORTFOLIO}: the portfolio summary cannot "
                             f"be written ({exc.strerror or exc}); the packs are built") from exc
    return [_summary(out, quarter) for quarter, _ in quarters]


def _summary(out: Path, quarter: str) -> Path:
    return out / PORTFOLIO / quarter / f"portfolio-{quarter}.pdf"


def _digest(lines: list[PortfolioLine], settings: Settings) -> str:
    return hashlib.sha256(repr((sorted(lines, key=repr), settings.digest(),
                                __version__)).encode()).hexdigest()


def _current(quarter: str, lines: list[PortfolioLine], settings: Settings, out: Path) -> bool:
    """Whether the quarter's summary on disk already shows these lines with these settings."""
    target = _summary(out, quarter)
    previous = read_manifest(target.parent, f"portfolio-{quarter}.json") or {}
    return target.is_file() and previous.get("digest") == _digest(lines, settings)


def _write_summary(quarter: str, lines: list[PortfolioLine], settings: Settings, out: Path,
                   clock: Clock) -> None:
    """Write one quarter's summary and its manifest."""
    from ..render.html import render_portfolio_html
    from ..render.pdf import render_portfolio_pdf

    target = _summary(out, quarter)
    created = clock()
    view = portfolio_view(lines, Quarter.parse(quarter).label, created, settings)
    data = render_portfolio_pdf(view, render_portfolio_html(view),
                                timeout=settings.render_timeout)
    if target.parent.is_dir():
        remove_strays(target.parent)
    atomic_write(target, data)
    atomic_write(target.with_suffix(".json"), json.dumps({
        "quarter": quarter, "partnerships": len(lines), "digest": _digest(lines, settings),
        "sha256": hashlib.sha256(data).hexdigest(),
        "created_at": created.astimezone(dt.UTC).isoformat()}, indent=2).encode())
