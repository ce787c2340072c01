"""What a build writes down about a pack besides the pack: the digest of everything it was made
from (so an unchanged rebuild is recognised) and the manifest beside its files, which keeps the
pack's headline and decisions requested in the pack's own words for the e-mail that carries it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..domain.history import HistoryEntry, PreviousReview
from ..domain.model import ReviewInput
from ..domain.scoring import ScoredReview
from ..present.view import PackView


def inputs_digest(review_input: ReviewInput, previous: PreviousReview | None,
                  history: Sequence[HistoryEntry]) -> str:
    """SHA-256 of everything a pack is made from: the review's data and the history it shows."""
    material = repr((review_input, previous, tuple(history)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def manifest(scored: ScoredReview, view: PackView, revision: int, inputs_sha: str,
             config_sha: str, created: dt.datetime,
             translations: Sequence[PackView] = ()) -> dict[str, Any]:
    """The revision's manifest.json, without its outputs (`outputs.layout.stage_revision` adds
    them, with their SHA-256). `headline` and `decisions_requested` are the text the pack
    prints (docs/email.md); `translations` holds the same for each reader's language the
    revision has a pack in, which that reader's e-mail speaks."""
    source = scored.input
    return {
        "partnership": source.partnership.name,
        "quarter": source.partnership.quarter.canonical,
        "revision": revision,
        "overall": {"score": scored.score, "status": scored.status.value},
        "exceptions": len(scored.attention),
        **_words(view),  # the pack's language, which its e-mail speaks too
        "translations": [_words(v) for v in translations],
        "inputs": [{"file": source.source_file, "sha256": source.source_sha256}],
        "inputs_sha256": inputs_sha,
        "config_digest": config_sha,
        "tool_version": __version__,
        "created_at": created.astimezone(dt.UTC).isoformat(),
    }


def _words(view: PackView) -> dict[str, Any]:
    """What a pack's e-mail quotes from it, in the pack's language."""
    return {
        "language": view.language,
        "headline": list(view.summary.headline),
        "decisions_requested": [
            {"id": d.id, "decision": d.text, "owner": d.owner, "due": d.due,
             "overdue": d.overdue}
            for d in view.open_decisions
        ],
    }
