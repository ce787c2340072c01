"""Pack HTML (+ `PackView` for metadata) → PDF bytes through WeasyPrint; the portfolio summary too.

The PDF is archival PDF/A-3a (tagged, so headings become bookmarks and the structure survives),
carries the caller's attachments (the source workbook, the scored review as JSON) as PDF/A-3
associated files, and has its title, author, subject and keywords set from the view. Identical
inputs give identical bytes: every date in the file is the view's generated-at time.

WeasyPrint may fetch nothing but the files shipped beside the templates (CSS, fonts) and the
configured logo: `AssetFetcher` serves those from disk and refuses every other URL (http, ftp,
other `file:` paths, data:), never following a redirect. Refusals and WeasyPrint's own warnings
come back in `PdfResult.warnings`, but for its ".notdef" warnings: the characters no font could
draw come back as `PdfResult.missing`, for the caller to report in its own words (the build
has usually found them in the workbook already, by cell: `render.fonts.unshown`). A render that
runs past `timeout` seconds raises `RenderError` (unless it runs inside a wider
`limits.time_limit`, such as the whole pack's, which then rules).

A pack may be laid out more than once: given `relayout` (`render.widths.relayout`), each layout's
`Pages` (page tops, each id's first page) are handed to it, and the HTML it returns is laid out
instead, until it returns None. `write` lays out a `render.pdfjob.PdfJob`, the same data that
`render.offload` hands to the process that lays out a CLI build's packs.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
from weasyprint import HTML
from weasyprint import Attachment as WeasyAttachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..gctune import fewer_collections
from .assets import MIME_TYPES, TEMPLATES
from .limits import seconds_text, time_limit
from .pdfjob import PASSES, Attachment, Pages, PdfJob, PdfResult, Relayout, pack_job, portfolio_job

if TYPE_CHECKING:  # only the types: the layout process (`render.offload`) imports this module
    from ..present.portfolio import PortfolioView
    from ..present.view import PackView

__all__ = ["AssetFetcher", "Attachment", "PdfResult", "render_pdf", "render_portfolio_pdf",
           "write"]

_NOTDEF = re.compile(r"\.notdef glyph rendered for Unicode string .*\(U\+([0-9A-Fa-f]+)\)$")

PDF_OPTIONS = {"pdf_variant": "pdf/a-3a", "pdf_tags": True}
_ATTACHMENT_SCHEME = "reportgen-attachment"


class AssetFetcher(URLFetcher):
    """Serves the template folder's files, the configured logo and the attachments; nothing else."""

    def __init__(self, logo: Path | None = None, attachments: Sequence[Attachment] = ()) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self._logo = logo.resolve() if logo is not None else None
        self._attachments = {f"{_ATTACHMENT_SCHEME}:{i}": a for i, a in enumerate(attachments)}
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.requested.append(url)
        if url in self._attachments:
            item = self._attachments[url]
            return URLFetcherResponse(url, item.data, {"Content-Type": item.mime})
        path = self.allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise PermissionError("not one of the pack's own files or the configured logo")
        mime = MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def allowed_path(self, url: str) -> Path | None:
        """The file `url` names when it is a template-folder file or the logo, else None."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)  # url2pathname unquotes
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_file():
            return None
        if path == self._logo or path.is_relative_to(TEMPLATES):
            return path
        return None


def render_pdf(
    view: PackView,
    html: str,
    *,
    attachments: Sequence[Attachment] = (),
    logo: Path | None = None,
    timeout: float = 120,
    source_name: str = "",
    relayout: Relayout | None = None,
) -> PdfResult:
    """Lay out `html` (from `render_html`) and write the PDF/A-3 pack with its attachments.

    `logo` is the configured logo file: the only file outside the templates the fetcher will
    serve (the view's `branding.logo_url` should be its `file:` URL). `relayout` may ask for
    another layout once it has seen where the pages break. Raises `RenderError` naming
    `source_name` when the render (every layout together) takes longer than `timeout` seconds.
    """
    return write(pack_job(view, html, attachments=attachments, logo=logo, timeout=timeout,
                          source_name=source_name), relayout)


def render_portfolio_pdf(view: PortfolioView, html: str, *, timeout: float = 120) -> bytes:
    """The portfolio summary (from `render_portfolio_html`) as a PDF/A-3 file, like a pack."""
    return write(portfolio_job(view, html, timeout=timeout)).data


def write(job: PdfJob, relayout: Relayout | None = None) -> PdfResult:
    """Lay out `job`'s HTML (again while `relayout` asks) and write its PDF."""
    about, attachments = job.about, job.attachments
    fetcher = AssetFetcher(job.logo, attachments)
    limit = time_limit(job.timeout, f"{job.name}: rendering the PDF took longer than "
                                    f"{seconds_text(job.timeout)} and was stopped")
    with _collect_warnings() as warnings, fewer_collections(), limit:
        document = _layout(job.html, fetcher)
        for _ in range(PASSES - 1):
            again = relayout(_pages(document)) if relayout is not None else None
            if again is None:
                break
            warnings.clear()  # the warnings are those of the layout written
            document = _layout(again, fetcher)
        meta = document.metadata  # set here, whatever the template's <meta> said
        meta.title, meta.authors, meta.description = about.title, [about.author], about.subject
        meta.keywords = list(about.keywords)
        meta.generator = f"reportgen {about.version}"
        meta.created = meta.modified = about.stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        meta.lang = about.lang
        meta.attachments = []  # only the caller's attachments are embedded, never the HTML's
        data = document.write_pdf(
            attachments=[
                WeasyAttachment(url=f"{_ATTACHMENT_SCHEME}:{index}", url_fetcher=fetcher,
                                name=item.filename, description=item.description,
                                created=about.stamp, modified=about.stamp,
                                relationship=item.relationship)
                for index, item in enumerate(attachments)
            ],
            finisher=_dedupe_associated_files,
            **PDF_OPTIONS,
        )
    refused = [f"refused to fetch {url}: only the pack's own files and the configured logo "
               f"may be loaded" for url in fetcher.refused]
    missing = [chr(int(m[1], 16)) for m in map(_NOTDEF.match, warnings) if m]
    others = [w for w in warnings if not any(url in w for url in fetcher.refused)
              and not _NOTDEF.match(w)]
    return PdfResult(data, tuple(dict.fromkeys([*refused, *others])), tuple(fetcher.requested),
                     tuple(dict.fromkeys(missing)))


def _layout(html: str, fetcher: AssetFetcher) -> Document:
    return HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher).render(
        font_config=font_config(), **PDF_OPTIONS)


def _pages(document: Document) -> Pages:
    """The topmost element (by id) that begins on each page, and each id's first page: an
    element running on from the page before (its section) keeps its id there too, so it is
    passed over as a top."""
    tops, before = set(), {}
    first: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        fresh = [(box[1], box[0], name) for name, box in page.anchors.items()
                 if name not in before]
        if fresh:
            tops.add(min(fresh)[2])
        for name in page.anchors:
            first.setdefault(name, number)
        before = page.anchors
    return Pages(frozenset(tops), first)


def _dedupe_associated_files(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF; keep one of each."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


_local = threading.local()


def font_config() -> FontConfiguration:
    """One FontConfiguration per thread: the shipped fonts are loaded once, not per pack."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
        _local.font_config_owner = os.getpid()
    return config


@atexit.register
def drop_font_config() -> None:
    """Forget this thread's FontConfiguration and remove the temporary folder it copied the
    `@font-face` fonts into, now; run at exit too. Its finaliser does that, but only once the
    collector frees it, which a process that ends without a last collection (`cli.main`) never
    does. A process forked from the one that made it (a pool worker) uses it as it is and
    leaves it, folder and all, to its maker: removing it there took the fonts from under the
    parent's next pack."""
    if getattr(_local, "font_config_owner", None) != os.getpid():
        return  # not made here (or none): kept referenced, so no finaliser removes it either
    config = vars(_local).pop("font_config", None)
    if config is not None:
        config.__del__()  # WeasyPrint's own clean-up (it runs again, harmlessly, when freed)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def _collect_warnings() -> Iterator[list[str]]:
    """WeasyPrint's warnings and errors from this thread, kept (not swallowed) for the caller."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.setLevel(level)
