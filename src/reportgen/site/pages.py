"""The site's pages: catalogue entries in, one view per page (with its path and pager) out.

Input: every `PartnershipEntry`, each partnership's `PartnershipRecord`, the portfolio summaries
found in the outputs folder. Output: (path inside the site, page view) pairs: the index in pages
of `ROWS_PER_PAGE` partnerships, a partnership's revisions in pages of `REVISIONS_PER_PAGE`,
a page per quarter (paged like the index) and the list of quarters. A page view carries `root`
(the relative path back to the site folder) and `section` (for the navigation).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from ..domain.catalogue import PartnershipEntry, PartnershipRecord
from ..domain.model import Quarter
from ..domain.rules import Scoring
from ..present.status import StatusView
from .links import (
    QUARTERS_PAGE,
    OutputsLinks,
    Pager,
    href,
    index_page,
    paged,
    pager,
    partnership_page,
    quarter_page,
)
from .views import (
    FileLink,
    PartnershipView,
    QuarterGroup,
    Row,
    partnership_view,
    row,
    status_counts,
)

ROWS_PER_PAGE = 100  # partnerships on one page of the index or of a quarter
REVISIONS_PER_PAGE = 40  # revisions on one page of a partnership


@dataclass(frozen=True)
class IndexPage:
    root: str
    section: str
    rows: Sequence[Row]
    pager: Pager
    total: int
    status_counts: tuple[tuple[StatusView, int], ...]
    severe: int  # partnerships with open High or Critical risks in their latest quarter


@dataclass(frozen=True)
class PartnershipPage:
    root: str
    section: str
    view: PartnershipView
    groups: tuple[QuarterGroup, ...]  # this page's revisions, by quarter
    pager: Pager


@dataclass(frozen=True)
class QuarterLink:
    label: str
    href: str


@dataclass(frozen=True)
class QuarterPage:
    root: str
    section: str
    label: str  # "Q3 2025"
    quarter: str
    rows: Sequence[Row]
    pager: Pager
    total: int
    status_counts: tuple[tuple[StatusView, int], ...]
    summaries: tuple[FileLink, ...]  # the portfolio summary PDFs of the quarter
    previous: QuarterLink | None
    next: QuarterLink | None


@dataclass(frozen=True)
class QuarterEntry:
    label: str
    href: str
    total: int
    status_counts: tuple[tuple[StatusView, int], ...]
    summaries: tuple[FileLink, ...]


@dataclass(frozen=True)
class QuartersPage:
    root: str
    section: str
    quarters: tuple[QuarterEntry, ...]  # newest first


Page = IndexPage | PartnershipPage | QuarterPage | QuartersPage


def _root(path: str) -> str:
    return "../" * path.count("/")


def index_pages(entries: Sequence[PartnershipEntry],
                links: OutputsLinks) -> Iterator[tuple[str, IndexPage]]:
    """The index, in pages of partnerships in name order."""
    chunks = paged(entries, ROWS_PER_PAGE)
    counts = status_counts([e.latest.status for e in entries])
    severe = sum(e.latest.open_severe_risks > 0 for e in entries)
    for number, chunk in enumerate(chunks, start=1):
        path = index_page(number)
        yield path, IndexPage(
            root=_root(path), section="partnerships",
            rows=[row(e, e.latest, path, links) for e in chunk],
            pager=pager(path, number, chunks, index_page),
            total=len(entries), status_counts=counts, severe=severe,
        )


def partnership_pages(entry: PartnershipEntry, record: PartnershipRecord, links: OutputsLinks,
                      scoring: Scoring) -> Iterator[tuple[str, PartnershipPage]]:
    """A partnership's pages: the first with everything, the others with older revisions."""
    first = partnership_page(entry.key)
    view = partnership_view(entry, record, first, links, scoring)  # all pages sit beside it
    chunks = _revision_pages(view.groups)
    for number, groups in enumerate(chunks, start=1):
        path = partnership_page(entry.key, number)
        yield path, PartnershipPage(
            root=_root(path), section="partnerships", view=view, groups=tuple(groups),
            pager=pager(path, number, [_flat(c) for c in chunks],
                        lambda n: partnership_page(entry.key, n)),
        )


def _flat(groups: Sequence[QuarterGroup]) -> list[object]:
    return [revision for group in groups for revision in group.revisions]


def _revision_pages(groups: Sequence[QuarterGroup]) -> list[list[QuarterGroup]]:
    """Quarter groups cut into pages of at most `REVISIONS_PER_PAGE` revisions; a quarter with
    more revisions than that continues on the next page."""
    pages: list[list[QuarterGroup]] = [[]]
    room = REVISIONS_PER_PAGE
    for group in groups:
        revisions = group.revisions
        while revisions:
            if room == 0:
                pages.append([])
                room = REVISIONS_PER_PAGE
            taken, revisions = revisions[:room], revisions[room:]
            pages[-1].append(QuarterGroup(group.label, group.quarter, taken))
            room -= len(taken)
    return pages


def quarter_pages(entries: Sequence[PartnershipEntry], links: OutputsLinks,
                  summaries: dict[str, list[str]]) -> Iterator[tuple[str, QuarterPage]]:
    """A page per archived quarter (paged), listing each partnership's latest revision in it."""
    quarters = _quarters(entries)
    for position, quarter in enumerate(quarters):
        members = [(e, q) for e in entries for q in e.quarters if q.quarter == quarter]
        chunks = paged(members, ROWS_PER_PAGE)
        label = Quarter.parse(quarter).label
        for number, chunk in enumerate(chunks, start=1):
            path = quarter_page(quarter, number)
            yield path, QuarterPage(
                root=_root(path), section="quarters", label=label, quarter=quarter,
                rows=[row(e, q, path, links) for e, q in chunk],
                pager=pager(path, number, chunks, partial(quarter_page, quarter)),
                total=len(members),
                status_counts=status_counts([q.status for _, q in members]),
                summaries=_summary_links(summaries.get(quarter, []), path, links),
                previous=_quarter_link(quarters, position + 1, path),
                next=_quarter_link(quarters, position - 1, path),
            )


def quarters_page(entries: Sequence[PartnershipEntry], links: OutputsLinks,
                  summaries: dict[str, list[str]]) -> tuple[str, QuartersPage]:
    path = QUARTERS_PAGE
    listed = []
    for quarter in _quarters(entries):
        statuses = [q.status for e in entries for q in e.quarters if q.quarter == quarter]
        listed.append(QuarterEntry(
            label=Quarter.parse(quarter).label, href=href(path, quarter_page(quarter)),
            total=len(statuses), status_counts=status_counts(statuses),
            summaries=_summary_links(summaries.get(quarter, []), path, links),
        ))
    return path, QuartersPage(root=_root(path), section="quarters", quarters=tuple(listed))


def _quarters(entries: Sequence[PartnershipEntry]) -> list[str]:
    """Every archived quarter, newest first."""
    return sorted({q.quarter for e in entries for q in e.quarters}, reverse=True)


def _quarter_link(quarters: Sequence[str], position: int, page: str) -> QuarterLink | None:
    if not 0 <= position < len(quarters):
        return None
    quarter = quarters[position]
    return QuarterLink(Quarter.parse(quarter).label, href(page, quarter_page(quarter)))


def _summary_links(paths: Sequence[str], page: str,
                   links: OutputsLinks) -> tuple[FileLink, ...]:
    return tuple(FileLink(path.rsplit("/", 1)[-1], links.href(page, path), "", path)
                 for path in paths)
