"""Portfolio summaries: the outcomes of one build in, one summary PDF per quarter out.

A quarter with two or more partnerships in this build gets
`<out>/portfolio/<YYYY-Qn>/portfolio-<YYYY-Qn>.pdf` and a small manifest beside it; the PDF is
rewritten only when what it shows changes (docs/pack.md#portfolio-summary).
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
from ..domain.model import Quarter
from ..outputs.layout import atomic_write, portfolio_dir, read_manifest
from ..present.portfolio import PortfolioLine, portfolio_view

if TYPE_CHECKING:
    from .pipeline import PackOutcome
    from .renderer import Renderer


def write_summaries(outcomes: Sequence[PackOutcome], renderer: Renderer, out: Path,
                    clock: Clock) -> list[Path]:
    """Write (or keep) each quarter's summary; return their paths. The summary is rendered like
    a pack: with the user's templates, within `render_timeout`; it is rewritten when what it
    shows or what shapes it (settings, templates, version) changes."""
    settings = renderer.settings
    by_quarter: dict[str, list[PortfolioLine]] = {}
    for outcome in outcomes:
        if outcome.line is not None:
            by_quarter.setdefault(outcome.line.quarter, []).append(outcome.line)
    written = []
    for quarter, lines in sorted(by_quarter.items()):
        if len(lines) < 2:
            continue
        folder = portfolio_dir(out, quarter)
        digest = hashlib.sha256(repr((sorted(lines, key=repr), renderer.digest(("pdf",)),
                                      __version__)).encode()).hexdigest()
        manifest = folder / f"portfolio-{quarter}.json"
        target = folder / f"portfolio-{quarter}.pdf"
        previous = read_manifest(folder, manifest.name) or {}
        if target.is_file() and previous.get("digest") == digest:
            written.append(target)
            continue
        created = clock()
        view = portfolio_view(lines, Quarter.parse(quarter).label, created, settings)
        data = renderer.render_portfolio(view)
        atomic_write(target, data)
        atomic_write(manifest, json.dumps({
            "quarter": quarter, "partnerships": len(lines), "digest": digest,
            "sha256": hashlib.sha256(data).hexdigest(),
            "created_at": created.astimezone(dt.UTC).isoformat()}, indent=2).encode())
        written.append(target)
    return written
