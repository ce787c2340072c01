"""A PDF to make, as plain data: a view and its HTML in, a `PdfJob` out (and, once laid out, a
`PdfResult`).

A job holds everything `render.pdf.write` needs (the HTML, the document's metadata, the
attachments, the logo the fetcher may serve, the time limit and the name used in messages) and
nothing that cannot cross a process boundary, so the layout may run in another process
(`render.offload`), and what a layout tells about where things went (`Pages`). This module
imports nothing but the standard library at run time: a process that hands its layouts to
another never loads WeasyPrint, and the one laying them out loads little besides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..present.portfolio import PortfolioView
    from ..present.view import PackView

PASSES = 3  # layouts of one pack at most (`render.widths.relayout` asks for the others)


class Pages(NamedTuple):
    """Where a layout put things: each page's topmost element (by id) that begins there, and
    the first page (from 0) each id is on."""

    tops: frozenset[str]
    first: Mapping[str, int]


Relayout = Callable[[Pages], str | None]  # where things went → HTML to lay out again, or None
_RELATIONSHIPS = frozenset({"Source", "Data", "Alternative", "Supplement", "Unspecified"})


@dataclass(frozen=True)
class Attachment:
    """A file to embed in the PDF as a PDF/A-3 associated file.

    `relationship` says how it relates to the pack: "Source" for the workbook the pack was made
    from, "Data" for the scored review as JSON.
    """

    filename: str
    data: bytes
    description: str
    mime: str
    relationship: str = "Unspecified"

    def __post_init__(self) -> None:
        if self.relationship not in _RELATIONSHIPS:
            raise ValueError(f"attachment relationship {self.relationship!r} is not one of "
                             f"{', '.join(sorted(_RELATIONSHIPS))}")


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    warnings: tuple[str, ...]  # WeasyPrint's warnings and every refused fetch, in order
    requested: tuple[str, ...]  # every URL WeasyPrint asked the fetcher for
    missing: tuple[str, ...] = ()  # characters drawn as an empty box (no font has them)


@dataclass(frozen=True)
class Description:
    """The document's metadata; `stamp` is every date in the file."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    version: str
    stamp: dt.datetime
    lang: str  # the BCP 47 tag of the document's language


@dataclass(frozen=True)
class PdfJob:
    """One PDF to lay out and write: `html` with `about`'s metadata and `attachments`, within
    `timeout` seconds (`name` says which in the message when it runs out)."""

    html: str
    about: Description
    attachments: tuple[Attachment, ...]
    logo: Path | None
    timeout: float
    name: str


def pack_job(view: PackView, html: str, *, attachments: Sequence[Attachment] = (),
             logo: Path | None = None, timeout: float = 120, source_name: str = "") -> PdfJob:
    """The pack's PDF as a job: its metadata from `view`, in the view's language (see
    `render.pdf.render_pdf`)."""
    from ..present.language import gettext, speaking

    with speaking(view.language):
        subject = gettext("Partnership health scorecard, strategic risks and decisions: "
                          "{partnership} with {partner}, {quarter}").format(
            partnership=view.partnership, partner=view.partner, quarter=view.quarter_label)
    return PdfJob(
        html,
        Description(
            title=f"{view.title} — {view.partnership} — {view.quarter_label}",
            author=view.branding.organisation or view.executive_sponsor,
            subject=subject,
            keywords=(view.title, view.partnership, view.partner, view.quarter_label),
            version=view.provenance.version,
            stamp=view.provenance.generated,
            lang=view.language,
        ),
        tuple(attachments),
        logo,
        timeout,
        source_name or view.provenance.source_file or view.slug,
    )


def portfolio_job(view: PortfolioView, html: str, *, timeout: float = 120) -> PdfJob:
    """The portfolio summary's PDF as a job, like a pack's but with no attachments, in the
    language in force."""
    from ..present.language import gettext, in_force

    return PdfJob(
        html,
        Description(
            title=f"{view.title} — {view.quarter_label}",
            author=view.branding.organisation or "reportgen",
            subject=gettext("Every partnership ranked by overall score, {quarter}").format(
                quarter=view.quarter_label),
            keywords=(view.title, view.quarter_label),
            version=view.version,
            stamp=view.generated,
            lang=in_force(),
        ),
        (),
        None,
        timeout,
        f"portfolio summary {view.quarter}",
    )
