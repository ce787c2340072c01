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
from ..errors import ReportgenError
from ..outputs.layout import (
    PORTFOLIO,
    atomic_write,
    folder_lock,
    portfolio_dir,
    read_manifest,
    remove_strays,
)
from ..present.language import quarter_label, speaking
from ..present.portfolio import PortfolioLine, portfolio_view

if TYPE_CHECKING:
    from .pipeline import PackOutcome
    from .renderer import Renderer


def write_summaries(outcomes: Sequence[PackOutcome], renderer: Renderer, out: Path,
                    clock: Clock) -> list[Path]:
    """Write (or keep) each quarter's summary; return their paths. The summary is rendered like
    a pack: with the user's templates, within `render_timeout`; it is rewritten when what it
    shows or what shapes it (settings, templates, version) changes. A summary that cannot be
    written (a read-only or full disk) is a ReportgenError naming the file."""
    by_quarter: dict[str, list[PortfolioLine]] = {}
    for outcome in outcomes:
        if outcome.line is not None:
            by_quarter.setdefault(outcome.line.quarter, []).append(outcome.line)
    quarters = [(q, lines) for q, lines in sorted(by_quarter.items()) if len(lines) >= 2]
    stale = [(q, lines) for q, lines in quarters if not _current(q, lines, renderer, out)]
    try:
        if stale:  # an unchanged summary takes no lock: a read-only folder is fine then
            with folder_lock(out, PORTFOLIO):
                for quarter, lines in stale:
                    if not _current(quarter, lines, renderer, out):
                        _write_summary(quarter, lines, renderer, out, clock)
    except OSError as exc:
        raise ReportgenError(f"{exc.filename or out / PORTFOLIO}: the portfolio summary cannot "
                             f"be written ({exc.strerror or exc}); the packs are built") from exc
    return [_summary(out, quarter) for quarter, _ in quarters]


def _summary(out: Path, quarter: str) -> Path:
    return portfolio_dir(out, quarter) / f"portfolio-{quarter}.pdf"


def _digest(lines: list[PortfolioLine], renderer: Renderer) -> str:
    return hashlib.sha256(repr((sorted(lines, key=repr), renderer.digest(("pdf",)),
                                __version__)).encode()).hexdigest()


def _current(quarter: str, lines: list[PortfolioLine], renderer: Renderer, out: Path) -> bool:
    """Whether the quarter's summary on disk already shows these lines, shaped the same."""
    target = _summary(out, quarter)
    previous = read_manifest(target.parent, f"portfolio-{quarter}.json") or {}
    return target.is_file() and previous.get("digest") == _digest(lines, renderer)


def _write_summary(quarter: str, lines: list[PortfolioLine], renderer: Renderer, out: Path,
                   clock: Clock) -> None:
    """Write one quarter's summary and its manifest."""
    target = _summary(out, quarter)
    created = clock()
    with speaking(renderer.settings.language):  # the owner's language, the settings'
        view = portfolio_view(lines, quarter_label(quarter), created, renderer.settings)
        data = renderer.render_portfolio(view)
    if target.parent.is_dir():
        remove_strays(target.parent)
    atomic_write(target, data)
    atomic_write(target.with_suffix(".json"), json.dumps({
        "quarter": quarter, "partnerships": len(lines), "digest": _digest(lines, renderer),
        "sha256": hashlib.sha256(data).hexdigest(),
        "created_at": created.astimezone(dt.UTC).isoformat()}, indent=2).encode())
