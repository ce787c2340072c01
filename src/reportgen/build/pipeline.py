"""`build()`: workbooks in, packs and archive records out. Reads top to bottom as the data flow.

    workbook ─ intake ─▶ ReviewInput ─ archive (previous quarter, history) ─▶ scoring
      ─▶ ScoredReview ─ present ─▶ PackView ─ render ─▶ PDF / Word / HTML bytes
      ─ outputs ─▶ r<N>/ files + manifest ─ archive ─▶ recorded revision

A review whose inputs, settings and history are those of its latest archived revision is not
rendered again: it is reported "unchanged". Rendering happens before the revision is chosen, so
the locks (the archive's on the partnership's quarter, the outputs folder's on its slug) are
held only while the revision is chosen, written and recorded. The new revision's number is above
every one in the archive and on disk, so an issued revision is never written again; its files
go to a staging folder, the row is recorded, and only then does the folder become `r<N>/`
(a build that dies in between is finished by the next one: `outputs.layout.recover`). The
archive is reached through `ports.ReviewArchive`; see docs/archive.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..clock import Clock, build_time
from ..config import Settings
from ..domain.addresses import readers_languages
from ..domain.history import ArtifactRecord, HistoryEntry, PreviousReview
from ..domain.model import ReviewInput
from ..domain.scoring import ScoredReview, score_review
from ..errors import Problem, ReportgenError, Severity, WorkbookUnreadable
from ..gctune import release_memory
from ..intake.validation import load
from ..outputs.layout import (
    WrittenFile,
    folder_lock,
    highest_revision,
    pack_stem,
    quarter_dir,
    read_manifest,
    recover,
    revisions_on_disk,
    stage_revision,
    staged_revision,
)
from ..present.portfolio import PortfolioLine
from ..present.view import PackView
from .folders import claim_folder, find_folder, recorded_check
from .ports import ReviewArchive, open_archive
from .records import inputs_digest, manifest
from .renderer import Renderer

if TYPE_CHECKING:
    from ..render.offload import LayoutProcess

FORMATS = ("pdf", "docx", "html")
DEFAULT_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("outputs")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    archive_url: str | None = None  # None: the settings' archive, else <out>/archive.sqlite
    use_archive: bool = True
    strict: bool = False
    jobs: int = 1  # worker processes rendering packs
    summary: bool = True  # a portfolio summary when a build covers several partnerships


@dataclass(frozen=True)
class PackOutcome:
    """What happened to one partnership's pack."""

    source: str
    partnership: str
    quarter: str
    state: str  # "built", "unchanged" or "failed"
    revision: int | None = None
    folder: Path | None = None
    files: tuple[WrittenFile, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    score: int | None = None
    status: str = ""
    line: PortfolioLine | None = None  # for the portfolio summary

    def lines(self) -> list[str]:
        """What `reportgen build` prints of it: its state, score and folder, or every located
        problem."""
        if self.state == "failed":
            label = f"{self.partnership} {self.quarter}".strip() or self.source
            return [str(p) for p in self.problems] + [f"failed     {label}: nothing written"]
        head = f"{self.state:<10} {self.partnership} {self.quarter} r{self.revision}"
        where = f" → {self.folder}" if self.folder else ""
        return [f"{head}: {self.score} {self.status}{where}",
                *(f"  warning: {w}" for w in self.warnings)]


@dataclass
class BuildResult:
    outcomes: list[PackOutcome] = field(default_factory=list)
    summaries: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[PackOutcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)


Progress = Callable[[PackOutcome, int, int], None]  # (outcome, packs done, packs in all)
Item = tuple[ReviewInput, bytes]  # a review and the workbook bytes to embed (b"" for none)


def build(workbooks: Sequence[Path], settings: Settings, options: BuildOptions,
          clock: Clock | None = None, progress: Progress | None = None,
          layout: LayoutProcess | None = None) -> BuildResult:
    """Build every partnership's pack from `workbooks`; one bad workbook does not stop the rest.

    Each partnership's quarters are built in order (earlier first, so later packs show the
    change); partnerships are spread over `options.jobs` worker processes. Packs built in this
    process have their PDFs laid out by `layout` when given (`render.offload`); it is closed
    before workers are forked, which lay out their own.
    """
    clock = clock or build_time
    if "pdf" in options.formats and settings.signing.pkcs12 is not None:
        from ..render.signing import load_signer

        try:  # a certificate that does not open stops the build before anything is written
            load_signer(settings.signing)
        except ReportgenError as exc:
            raise ReportgenError(f"{exc}; nothing was written") from None
    result = BuildResult()
    loaded: list[tuple[Path, Item]] = []
    given = {path.resolve(): path for path in reversed(workbooks)}  # a file named twice: once
    failures = [f for f in (_load(path, options.strict, loaded)
                            for path in workbooks if given[path.resolve()] is path) if f]
    items, refused = _once_each(loaded)
    failures += refused
    groups = _by_partnership(items)
    total = len(failures) + len(items)

    def report(outcome: PackOutcome) -> None:
        result.outcomes.append(outcome)
        if progress:
            progress(outcome, len(result.outcomes), total)

    for failure in failures:
        report(failure)
    if not groups:  # nothing valid to build: write nothing, not even an empty archive
        return result
    pending: list[list[Item]] = []
    today = clock().date()  # what overdue is counted on when a workbook has no review date
    with open_archive(_archive_url(settings, options)) as archive:
        renderer = Renderer(settings, layout)
        for group in groups:  # packs already archived are reported here, without rendering
            rest = _skip_unchanged(group, settings, options, archive, renderer, report, today)
            if rest:
                pending.append(rest)
        if len(pending) < 2 or options.jobs < 2:
            builder = _builder(settings, options, archive, renderer, clock)
            for group in pending:
                for item in group:
                    report(builder(item))
            pending = []
    if pending:  # the archive is closed first: a connection must not cross a fork
        from .pool import build_in_workers

        if layout is not None:
            layout.close()
        _preload(options.formats)
        build_in_workers(pending, options.jobs,
                         lambda: _worker_builder(settings, options, clock), report,
                         lambda item: _guarded(item, _died))
    if options.summary and options.formats:
        from .summaries import write_summaries

        result.summaries = write_summaries(result.outcomes, renderer, options.out, clock)
    return result


def _once_each(loaded: list[tuple[Path, Item]]) -> tuple[list[Item], list[PackOutcome]]:
    """The items, but a partnership's quarter given by two sources: neither is built (which one
    is right cannot be told), and each fails naming both."""
    sources: dict[tuple[str, str], list[tuple[Path, Item]]] = {}
    for path, item in loaded:
        p = item[0].partnership
        sources.setdefault((p.key, p.quarter.canonical), []).append((path, item))
    items: list[Item] = []
    refused: list[PackOutcome] = []
    for found in sources.values():
        if len(found) == 1:
            items.append(found[0][1])
            continue
        named = " and ".join(_source(path, item[0]) for path, item in found)
        for path, item in found:
            p = item[0].partnership
            refused.append(PackOutcome(item[0].source_file, p.name, p.quarter.canonical,
                                       "failed", problems=(Problem(str(path), (
                                           f"{p.name} {p.quarter.canonical} is given twice, in "
                                           f"{named}; give each partnership's quarter once"),),)))
    return items, refused


def _source(path: Path, review: ReviewInput) -> str:
    """Where a review came from: the workbook, and its row for a portfolio."""
    where = review.partnership.source
    row = f" ({where.sheet} row {where.row})" if where is not None and where.row else ""
    return f"{path}{row}"


def _by_partnership(items: list[Item]) -> list[list[Item]]:
    """Items grouped by partnership, each group in quarter order; groups in first-seen order."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item[0].partnership.key, []).append(item)
    return [sorted(group, key=lambda i: i[0].partnership.quarter) for group in groups.values()]


def _builder(settings: Settings, options: BuildOptions, archive: ReviewArchive | None,
             renderer: Renderer, clock: Clock) -> Callable[[Item], PackOutcome]:
    """Builds one item, any failure turned into a located `failed` outcome. What a rendered
    pack left behind is freed before the next one, not after the last: a process about to exit
    need not collect its garbage (a sixth of a second after one pack)."""
    rendered = False

    def build_item(item: Item) -> PackOutcome:
        nonlocal rendered
        if rendered:
            release_memory()
        outcome = _guarded(item, lambda: build_one(item[0], item[1], settings, options, archive,
                                                   renderer, clock))
        rendered = outcome.state != "unchanged"
        return outcome
    return build_item


def _worker_builder(settings: Settings, options: BuildOptions,
                    clock: Clock) -> Callable[[Item], PackOutcome]:
    """A forked worker's builder, with its own archive connection (closed at the worker's exit,
    as its WeasyPrint font folder is removed)."""
    from multiprocessing.util import Finalize

    archive = open_archive(_archive_url(settings, options)).__enter__()
    if archive is not None:
        Finalize(archive, archive.close, exitpriority=10)
    if "pdf" in options.formats:  # a worker ends without the collection that would remove it
        from ..render.pdf import drop_font_config

        Finalize(None, drop_font_config, exitpriority=10)
    return _builder(settings, options, archive, Renderer(settings), clock)


def _preload(formats: Sequence[str]) -> None:
    """Import the renderers before forking, so every worker shares them."""
    from ..render import html  # noqa: F401  (Jinja and the templates' helpers)

    if "pdf" in formats:
        from ..render import pdf  # noqa: F401  (WeasyPrint: ~0.6 s to import)
    if "docx" in formats:
        from ..render.word import pack  # noqa: F401


def _guarded(item: Item, work: Callable[[], PackOutcome]) -> PackOutcome:
    """Run one pack's build; any failure becomes a located `failed` outcome, never a crash."""
    review = item[0]
    try:
        return work()
    except ReportgenError as exc:
        message = str(exc)
    except OSError as exc:  # the output folder: read-only, full, gone
        message = f"{exc.filename or 'the output folder'}: {exc.strerror or exc}"
    except Exception as exc:  # a bug in reportgen must not stop the other packs
        message = (f"unexpected error while building this pack ({type(exc).__name__}: {exc}); "
                   "please report it")
    p = review.partnership
    return PackOutcome(review.source_file, p.name, p.quarter.canonical, "failed",
                       problems=(Problem(review.source_file, f"{p.name}: {message}"),))


def _died() -> PackOutcome:
    raise ReportgenError("the worker process rendering this pack stopped (out of memory?)")


@dataclass(frozen=True)
class _Assessment:
    """A review scored against its history, and whether its latest revision already has it."""

    scored: ScoredReview
    history: list[HistoryEntry]
    inputs_sha: str
    config_sha: str
    unchanged: PackOutcome | None


def score_against(review_input: ReviewInput, settings: Settings, archive: ReviewArchive | None,
                  today: dt.date | None = None) -> tuple[ScoredReview, list[HistoryEntry]]:
    """Score a review against its archived history (the previous quarter, for the changes) and
    return that history (earlier quarters, for the trend); without an archive, it has none.
    Overdue is counted on the review date, else on `today`."""
    p = review_input.partnership
    previous: PreviousReview | None = None
    history: list[HistoryEntry] = []
    if archive is not None:
        previous = archive.previous_review(p.key, p.quarter.canonical)
        history = archive.history(p.key, p.quarter.canonical)
    scored = score_review(review_input, settings.scoring.rules, settings.risk_bands.rules,
                          previous, today)
    return scored, history


def _assess(review_input: ReviewInput, settings: Settings, options: BuildOptions,
            archive: ReviewArchive | None, renderer: Renderer, today: dt.date) -> _Assessment:
    p = review_input.partnership
    key, quarter = p.key, p.quarter.canonical
    scored, history = score_against(review_input, settings, archive, today)
    inputs_sha = inputs_digest(review_input, scored.previous, history)
    config_sha = renderer.digest(options.formats)
    place = quarter_dir(options.out, find_folder(archive, options.out, p), quarter)
    latest = _latest(archive, place, key, quarter)
    unchanged = None
    if (latest is not None and latest[1:] == (inputs_sha, config_sha)
            and not staged_revision(place, latest[0]).exists()):  # else: `recover` it first
        unchanged = _outcome(review_input, scored, "unchanged", latest[0], place,
                             settings.date_format, settings.language)
    return _Assessment(scored, history, inputs_sha, config_sha, unchanged)


def _skip_unchanged(group: list[Item], settings: Settings, options: BuildOptions,
                    archive: ReviewArchive | None, renderer: Renderer,
                    report: Callable[[PackOutcome], None], today: dt.date) -> list[Item]:
    """Report the group's leading quarters that are unchanged; return the ones left to build
    (from the first changed quarter on, since a later quarter shows the earlier ones)."""
    for index, item in enumerate(group):
        try:
            assessment = _assess(item[0], settings, options, archive, renderer, today)
        except Exception:  # build_one reports it, located, in the normal path
            return group[index:]
        if assessment.unchanged is None:
            return group[index:]
        report(assessment.unchanged)
    return []


def build_one(review_input: ReviewInput, source_bytes: bytes, settings: Settings,
              options: BuildOptions, archive: ReviewArchive | None, renderer: Renderer,
              clock: Clock) -> PackOutcome:
    """Score, render, write and record one partnership's quarter."""
    p = review_input.partnership
    key, quarter = p.key, p.quarter.canonical
    generated = clock()
    assessment = _assess(review_input, settings, options, archive, renderer, generated.date())
    if assessment.unchanged is not None:
        return assessment.unchanged
    scored, history = assessment.scored, assessment.history
    inputs_sha, config_sha = assessment.inputs_sha, assessment.config_sha
    unshown = renderer.unshown(review_input) if options.formats else []
    if unshown and options.strict:  # characters the pack would show as empty boxes
        return PackOutcome(review_input.source_file, p.name, quarter, "failed",
                           problems=tuple(u.problem(Severity.ERROR) for u in unshown))
    artifacts, warnings, view = renderer.render(scored, history, source_bytes, options.formats,
                                                generated, unshown)
    translations: list[PackView] = []
    # each reader's language gets its own PDF and Word pack in the revision, from the same
    # review, history, settings and clock
    for language in readers_languages(p.distribution, view.language) if artifacts else ():
        more, said, translated = renderer.render(
            scored, history, source_bytes, [f for f in options.formats if f != "html"],
            generated, language=language)
        artifacts += more
        warnings += tuple(w for w in said if w not in warnings)
        translations.append(translated)
    # an import (no formats) only records the review: it takes no folder and writes no file
    lock = archive.revision_lock(key, quarter) if archive is not None else nullcontext()
    writing = folder_lock(options.out, p.slug) if artifacts else nullcontext()
    with lock, writing:
        if artifacts:
            folder = claim_folder(archive, options.out, p, clock())
            place = quarter_dir(options.out, folder, quarter)
            recover(place, recorded_check(archive, p, quarter))
        else:
            folder = find_folder(archive, options.out, p)
            place = quarter_dir(options.out, folder, quarter)
        latest = _latest(archive, place, key, quarter)
        if latest is not None and latest[1:] == (inputs_sha, config_sha):
            return _outcome(review_input, scored, "unchanged", latest[0], place,
                            settings.date_format, settings.language)
        archived, on_disk = (latest[0] if latest else 0), highest_revision(place)
        revision = max(archived, on_disk) + 1
        if archive is not None and on_disk > archived:
            warnings = (*warnings, f"{place / f'r{on_disk}'} is not in this archive (built "
                        f"with another archive or none), so this revision is r{revision}")
        created = clock()
        document = manifest(scored, view, revision, inputs_sha, config_sha, created,
                            translations)
        staged = stage_revision(place / f"r{revision}", pack_stem(folder, quarter), artifacts,
                                document) if artifacts else None
        files = staged.files if staged else ()
        if archive is not None:
            try:
                archive.record(
                    scored, revision=revision, inputs_sha256=inputs_sha,
                    config_digest=config_sha, tool_version=__version__, created_at=created,
                    artifacts=[ArtifactRecord(f.kind, f.path.relative_to(options.out)
                                              .as_posix(), f.sha256, f.size, f.language)
                               for f in files],
                    distribution=[r.listed for r in p.distribution],
                )
            except BaseException:
                if staged is not None:
                    staged.discard()
                raise
        if staged is not None:
            staged.publish()
    return PackOutcome(review_input.source_file, p.name, quarter, "built", revision,
                       staged.folder if staged else None, files, warnings=warnings,
                       score=scored.score, status=scored.status.value,
                       line=PortfolioLine.of(scored, settings.date_format, settings.language))


def _load(path: Path, strict: bool, inputs: list[tuple[Path, Item]]) -> PackOutcome | None:
    try:
        loaded = load(path)
    except WorkbookUnreadable as exc:
        return PackOutcome(path.name, "", "", "failed", problems=(Problem(exc.file, exc.reason),))
    if loaded.fails(strict):
        return PackOutcome(path.name, "", "", "failed", problems=tuple(loaded.problems))
    source = b"" if loaded.portfolio else path.read_bytes()
    inputs.extend((path, (review, source)) for review in loaded.reviews)
    return None


def _archive_url(settings: Settings, options: BuildOptions) -> str | None:
    return settings.archive_url(options.out, options.archive_url) if options.use_archive else None


def _latest(archive: ReviewArchive | None, place: Path, key: str,
            quarter: str) -> tuple[int, str, str] | None:
    """(revision, inputs digest, config digest) of the latest revision, from the archive or,
    without one, from the manifests in the quarter's folder `place`."""
    if archive is not None:
        row = archive.latest(key, quarter)
        return None if row is None else (row.revision, row.inputs_sha256, row.config_digest)
    revisions = revisions_on_disk(place)
    if not revisions:
        return None
    found = read_manifest(place / f"r{revisions[-1]}") or {}
    return revisions[-1], found.get("inputs_sha256", ""), found.get("config_digest", "")


def _outcome(review_input: ReviewInput, scored: ScoredReview, state: str, revision: int,
             place: Path, date_format: str, language: str) -> PackOutcome:
    """An outcome naming the revision's folder in `place`, when it is there (an imported
    revision, or one built into another outputs folder, has none here)."""
    p = review_input.partnership
    folder = place / f"r{revision}"
    return PackOutcome(review_input.source_file, p.name, p.quarter.canonical, state, revision,
                       folder if folder.is_dir() else None, score=scored.score,
                       status=scored.status.value,
                       line=PortfolioLine.of(scored, date_format, language))
