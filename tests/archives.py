"""Fill an archive with synthetic reviews, recorded straight through `Archive.record`.

Each partnership is the example partnership under another name, its actuals scaled so scores
and statuses vary, over a run of quarters; some quarters get several revisions, some revisions
e-mail deliveries. With an outputs folder, each revision's PDF, Word file and manifest are
written there as small stand-in files (their real SHA-256 archived), so the site has files to
link to. Used by the site's tests and by bench/bench_site.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from factories import example_input
from reportgen.archive import Archive
from reportgen.config import Settings
from reportgen.domain.history import ArtifactRecord
from reportgen.domain.model import Measure, Quarter, Risk, RiskState
from reportgen.domain.scoring import ScoredReview, score_review

START = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
STAND_IN = b"%PDF-1.4\n% a stand-in for a pack, written by tests/archives.py\n%%EOF\n"


def quarters_from(first: str, count: int) -> list[str]:
    """`count` consecutive quarters from `first`, canonical."""
    quarter = Quarter.parse(first)
    found = []
    for _ in range(count):
        found.append(quarter.canonical)
        quarter = Quarter(quarter.year + quarter.number // 4, quarter.number % 4 + 1)
    return found


def synthetic_review(name: str, quarter: str, level: float, seed: int) -> ScoredReview:
    """The example's Q3 figures as `name` in `quarter`, actuals scaled around `level`."""
    chance = random.Random(seed)
    base = example_input(3)
    kpis = tuple(
        replace(k, actual=None if k.actual is None else Measure(
            k.actual.value * level * chance.uniform(0.9, 1.1), k.actual.percent,
            k.actual.decimals, k.actual.prefix, k.actual.suffix, k.actual.plus))
        for k in base.kpis
    )
    risks = tuple(replace(r, probability=chance.randint(1, 5), impact=chance.randint(1, 5))
                  for r in base.risks) + (
        (Risk("SR-09", "Closed last year.", 2, 2, state=RiskState.CLOSED),)
        if seed % 4 == 0 else ())
    partnership = replace(base.partnership, name=name, partner=f"{name.split()[0]} Partner",
                          quarter=Quarter.parse(quarter))
    settings = Settings()
    return score_review(replace(base, partnership=partnership, kpis=kpis, risks=risks),
                        settings.scoring.rules, settings.risk_bands.rules)


def record(archive: Archive, review: ScoredReview, revision: int, at: dt.datetime,
           outputs: Path | None, kinds: Sequence[str] = ("pdf", "docx", "manifest")) -> int:
    """Archive one revision (writing its stand-in files under `outputs`); return its id."""
    p = review.input.partnership
    folder = f"{p.slug}/{p.quarter.canonical}/r{revision}"
    artifacts = []
    for kind in kinds:
        name = "manifest.json" if kind == "manifest" else f"{p.slug}-{p.quarter}-qbr.{kind}"
        data = STAND_IN + f"{p.name} {p.quarter} r{revision} {kind}\n".encode()
        if outputs is not None:
            (outputs / folder).mkdir(parents=True, exist_ok=True)
            (outputs / folder / name).write_bytes(data)
        artifacts.append(ArtifactRecord(kind, f"{folder}/{name}",
                                        hashlib.sha256(data).hexdigest(), len(data)))
    digest = hashlib.sha256(f"{p.name}|{p.quarter}|{revision}".encode()).hexdigest()
    return archive.record(review, revision=revision, inputs_sha256=digest,
                          config_digest="c" * 64, tool_version="0.1.0", created_at=at,
                          artifacts=artifacts, distribution=["Ann <ann@example.com>"])


def fill(archive: Archive, outputs: Path | None, names: Sequence[str], quarters: Sequence[str],
         *, revise_every: int = 5, send_every: int = 3) -> int:
    """Record every name in every quarter: every `revise_every`-th quarter gets a second and
    third revision, every `send_every`-th revision an e-mail delivery. Returns the revisions
    recorded."""
    recorded = 0
    for index, name in enumerate(names):
        level = 0.75 + (index % 7) * 0.06
        for step, quarter in enumerate(quarters):
            review = synthetic_review(name, quarter, level + step * 0.01, seed=index * 31 + step)
            revisions = 3 if (index + step) % revise_every == 0 else 1
            for revision in range(1, revisions + 1):
                at = START + dt.timedelta(days=91 * step + revision, minutes=index)
                review_id = record(archive, review, revision, at, outputs)
                recorded += 1
                if recorded % send_every == 0:
                    archive.record_delivery(review_id, "ann@example.com", "sending", at=at)
                    archive.record_delivery(review_id, "ann@example.com", "sent",
                                            message_id="<m@example.com>",
                                            server_reply="250 2.0.0 Ok: queued", at=at)
    return recorded
