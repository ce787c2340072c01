"""`generate_site()`: the review archive in, a static web site in `<outputs>/site/` out.

    archive ─ catalogue ─▶ PartnershipEntry (every partnership) ─ pages ─▶ index, quarters
            ─ catalogue, a batch of partnerships at a time ─▶ PartnershipRecord ─ pages ─▶
              each partnership's pages ─ html ─▶ HTML ─ publish ─▶ <outputs>/site/, whole

Pages are rendered and written one at a time, and partnerships' records are read in batches,
so memory stays flat however large the archive. Links to packs, manifests and portfolio
summaries are relative and point only at files in the outputs folder. See docs/site.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..archive import Archive
from ..archive.catalogue import Catalogue
from ..clock import Clock, build_time
from ..config import Settings
from ..domain.catalogue import PartnershipEntry
from ..errors import ReportgenError
from ..outputs.layout import portfolio_dir
from ..present.language import gettext, speaking
from .html import SiteInfo, SiteRenderer, logo_asset
from .links import SITE_DIR, OutputsLinks, paged
from .pages import Page, index_pages, partnership_pages, quarter_pages, quarters_page
from .publish import Staging, staged
from .views import timestamp

RECORDS_PER_QUERY = 100  # partnerships whose records are read from the archive at once


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    partnerships: int
    revisions: int
    pages: int
    files: int
    bytes: int


def generate_site(outputs: Path, archive_url: str, settings: Settings,
                  clock: Clock = build_time) -> SiteResult:
    """Write the site of the archive at `archive_url` into `<outputs>/site/`, replacing the
    previous one in one step. Links point into `outputs`, the folder the archive's file paths
    are relative to."""
    links = OutputsLinks(outputs)
    with (Archive.open(archive_url) as archive, Catalogue(archive) as catalogue,
          speaking(settings.language)):  # the site's words, numbers and dates
        entries = catalogue.partnerships()
        inside = catalogue.files_under(SITE_DIR)
        if inside:
            raise ReportgenError(
                f"{outputs / SITE_DIR}: the archive has packs in this folder ({inside[0]}), "
                "so the site cannot be written there; nothing was changed"
            )
        now = clock()
        info = SiteInfo(
            title=gettext("Partnership reviews"), organisation=settings.branding.organisation,
            logo=logo_asset(settings.branding.logo), generated=timestamp(now),
            generated_iso=now.isoformat(), version=__version__,
            partnerships=len(entries), revisions=sum(e.revisions for e in entries),
        )
        renderer = SiteRenderer(settings, info)
        summaries = _summaries_on_disk(outputs, entries)
        try:
            with staged(outputs / SITE_DIR) as staging:
                pages = _write_pages(staging, renderer, catalogue, entries, links, summaries)
        except OSError as exc:
            raise ReportgenError(f"{outputs / SITE_DIR}: the site could not be written ({exc}); "
                                 "the previous site, if any, is unchanged") from exc
    return SiteResult(outputs / SITE_DIR, len(entries), info.revisions, pages, staging.files,
                      staging.bytes)


def _write_pages(staging: Staging, renderer: SiteRenderer, catalogue: Catalogue,
                 entries: Sequence[PartnershipEntry], links: OutputsLinks,
                 summaries: dict[str, list[str]]) -> int:
    """Render and write every page and asset; return the number of pages."""
    for path, data in renderer.assets().items():
        staging.write(path, data)
    listed: list[tuple[str, Page]] = [
        *index_pages(entries, links), *quarter_pages(entries, links, summaries),
        quarters_page(entries, links, summaries)]
    for path, page in listed:
        staging.write(path, renderer.page(page))
    pages = len(listed)
    for batch in paged(entries, RECORDS_PER_QUERY):
        records = {r.key: r for r in catalogue.records([e.key for e in batch])}
        for entry in batch:
            for path, page in partnership_pages(entry, records[entry.key], links,
                                                renderer.settings.scoring.rules):
                staging.write(path, renderer.page(page))
                pages += 1
    return pages


def _summaries_on_disk(outputs: Path, entries: Sequence[PartnershipEntry]) -> dict[str, list[str]]:
    """Each archived quarter's portfolio summary PDFs in the outputs folder (they are not
    archived), as paths relative to it."""
    found: dict[str, list[str]] = {}
    for quarter in sorted({q.quarter for e in entries for q in e.quarters}):
        folder = portfolio_dir(outputs, quarter)
        if folder.is_dir():
            pdfs = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".pdf")
            found[quarter] = [p.relative_to(outputs).as_posix() for p in pdfs]
    return found
