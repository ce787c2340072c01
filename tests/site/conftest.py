"""Site fixtures: an outputs folder whose archive holds synthetic reviews (with stand-in pack
files), the hostile partnership names among them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from archives import fill, quarters_from, record, synthetic_review
from reportgen.archive import Archive
from sites import GENERATED, HOSTILE, Outputs


@pytest.fixture
def outputs(tmp_path: Path) -> Iterator[Outputs]:
    """An outputs folder with 12 partnerships over 4 quarters (a few with 3 revisions, some
    e-mailed) and the four hostile names, each with its stand-in files."""
    folder = tmp_path / "outputs"
    folder.mkdir()
    url = f"sqlite:///{folder / 'archive.sqlite'}"
    with Archive.open(url) as archive:
        fill(archive, folder, [f"Partnership {n:02d}" for n in range(12)],
             quarters_from("2025-Q1", 4))
        for index, name in enumerate(HOSTILE):
            review = synthetic_review(name, "2025-Q4", 0.9, seed=100 + index)
            review_id = record(archive, review, 1, GENERATED - dt.timedelta(days=3), folder)
            archive.record_delivery(review_id, f"{name} <x@example.com>", "refused",
                                    server_reply=f"550 {name}", at=GENERATED)
    yield Outputs(folder, url)


