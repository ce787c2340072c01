"""`build()`: workbooks in, packs and archive records out. Reads top to bottom as the data flow.

    workbook ─ intake ─▶ ReviewInput ─ archive (previous quarter, history) ─▶ scoring
      ─▶ ScoredReview ─ present ─▶ PackView ─ render ─▶ PDF / Word / HTML bytes
      ─ outputs ─▶ r<N>/ files + manifest ─ archive ─▶ recorded revision

A review whose inputs, settings and history are those of its latest archived revision is not
rendered again: it is reported "unchanged". Rendering happens before the revision is chosen, so
the per-partnership lock is held only while files are written and the row is recorded. The
archive is reached through `ports.ReviewArchive`; see docs/archive.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..clock import Clock, build_time
from ..config import Settings
from ..domain.history import ArtifactRecord, HistoryEntry, PreviousReview
from ..domain.model import ReviewInput
from ..domain.scoring import ScoredReview, score_review
from ..errors import Problem, ReportgenError, Severity, WorkbookUnreadable
from ..intake.validation import load
from ..outputs.layout import (
    WrittenFile,
    quarter_dir,
    read_manifest,
    revision_dir,
    revisions_on_disk,
    write_revision,
)
from ..present.portfolio import PortfolioLine
from .ports import ReviewArchive, open_archive
from .records import inputs_digest, manifest
from .renderer import Renderer

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
          clock: Clock | None = None, progress: Progress | None = None) -> BuildResult:
    """Build every partnership's pack from `workbooks`; one bad workbook does not stop the rest.

    Each partnership's quarters are built in order (earlier first, so later packs show the
    change); partnerships are spread over `options.jobs` worker processes.
    """
    clock = clock or build_time
    result = BuildResult()
    items: list[Item] = []
    failures = [f for f in (_load(path, options.strict, items) for path in workbooks) if f]
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
    with open_archive(_archive_url(settings, options)) as archive:
        renderer = Renderer(settings)
        for group in groups:  # packs already archived are reported here, without rendering
            rest = _skip_unchanged(group, settings, options, archive, renderer, report)
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

        _preload(options.formats)
        build_in_workers(pending, options.jobs,
                         lambda: _worker_builder(settings, options, clock), report,
                         lambda item: _guarded(item, _died))
    if options.summary and options.formats:
        from .summaries import write_summaries

        result.summaries = write_summaries(result.outcomes, settings, options.out, clock)
    return result


def _by_partnership(items: list[Item]) -> list[list[Item]]:
    """Items grouped by partnership, each group in quarter order; groups in first-seen order."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item[0].partnership.slug, []).append(item)
    return [sorted(group, key=lambda i: i[0].partnership.quarter) for group in groups.values()]


def _builder(settings: Settings, options: BuildOptions, archive: ReviewArchive | None,
             renderer: Renderer, clock: Clock) -> Callable[[Item], PackOutcome]:
    """Builds one item, any failure turned into a located `failed` outcome."""
    def build_item(item: Item) -> PackOutcome:
        return _guarded(item, lambda: build_one(item[0], item[1], settings, options, archive,
                                                renderer, clock))
    return build_item


def _worker_builder(settings: Settings, options: BuildOptions,
                    clock: Clock) -> Callable[[Item], PackOutcome]:
    """A forked worker's builder, with its own archive connection (closed at the worker's exit)."""
    from multiprocessing.util import Finalize

    archive = open_archive(_archive_url(settings, options)).__enter__()
    if archive is not None:
        Finalize(archive, archive.close, exitpriority=10)
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


def score_against(review_input: ReviewInput, settings: Settings,
                  archive: ReviewArchive | None) -> tuple[ScoredReview, list[HistoryEntry]]:
    """Score a review against its archived history (the previous quarter, for the changes) and
    return that history (earlier quarters, for the trend); without an archive, it has none."""
    p = review_input.partnership
    previous: PreviousReview | None = None
    history: list[HistoryEntry] = []
    if archive is not None:
        previous = archive.previous_review(p.slug, p.quarter.canonical)
        history = archive.history(p.slug, p.quarter.canonical)
    scored = score_review(review_input, settings.scoring.rules, settings.risk_bands.rules,
                          previous)
    return scored, history


def _assess(review_input: ReviewInput, settings: Settings, options: BuildOptions,
            archive: ReviewArchive | None, renderer: Renderer) -> _Assessment:
    p = review_input.partnership
    slug, quarter = p.slug, p.quarter.canonical
    scored, history = score_against(review_input, settings, archive)
    inputs_sha = inputs_digest(review_input, scored.previous, history)
    config_sha = renderer.digest(options.formats)
    latest = _latest(archive, options.out, slug, quarter)
    unchanged = None
    if latest is not None and latest[1:] == (inputs_sha, config_sha):
        unchanged = _outcome(review_input, scored, "unchanged", latest[0], options.out)
    return _Assessment(scored, history, inputs_sha, config_sha, unchanged)


def _skip_unchanged(group: list[Item], settings: Settings, options: BuildOptions,
                    archive: ReviewArchive | None, renderer: Renderer,
                    report: Callable[[PackOutcome], None]) -> list[Item]:
    """Report the group's leading quarters that are unchanged; return the ones left to build
    (from the first changed quarter on, since a later quarter shows the earlier ones)."""
    for index, item in enumerate(group):
        try:
            assessment = _assess(item[0], settings, options, archive, renderer)
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
    slug, quarter = p.slug, p.quarter.canonical
    assessment = _assess(review_input, settings, options, archive, renderer)
    if assessment.unchanged is not None:
        return assessment.unchanged
    scored, history = assessment.scored, assessment.history
    inputs_sha, config_sha = assessment.inputs_sha, assessment.config_sha
    unshown = renderer.unshown(review_input) if options.formats else []
    if unshown and options.strict:  # characters the pack would show as empty boxes
        return PackOutcome(review_input.source_file, p.name, quarter, "failed",
                           problems=tuple(u.problem(Severity.ERROR) for u in unshown))
    artifacts, warnings = renderer.render(scored, history, source_bytes, options.formats,
                                          clock(), unshown)
    lock = archive.revision_lock(slug, quarter) if archive is not None else nullcontext()
    with lock:
        latest = _latest(archive, options.out, slug, quarter)
        if latest is not None and latest[1:] == (inputs_sha, config_sha):
            return _outcome(review_input, scored, "unchanged", latest[0], options.out)
        revision = (latest[0] if latest else 0) + 1
        folder = revision_dir(options.out, slug, quarter, revision)
        created = clock()
        document = manifest(scored, revision, inputs_sha, config_sha, created)
        # an import (no formats) only records the review; a build writes the pack first
        files = write_revision(folder, slug, quarter, artifacts, document) if artifacts else []
        if archive is not None:
            archive.record(
                scored, revision=revision, inputs_sha256=inputs_sha, config_digest=config_sha,
                tool_version=__version__, created_at=created,
                artifacts=[ArtifactRecord(f.kind, f.path.relative_to(options.out).as_posix(),
                                          f.sha256, f.size) for f in files],
                distribution=[str(r) for r in p.distribution],
            )
    return PackOutcome(review_input.source_file, p.name, quarter, "built", revision,
                       folder if files else None, tuple(files), warnings=warnings,
                       score=scored.score, status=scored.status.value,
                       line=PortfolioLine.of(scored))


def _load(path: Path, strict: bool, inputs: list[Item]) -> PackOutcome | None:
    try:
        loaded = load(path)
    except WorkbookUnreadable as exc:
        return PackOutcome(path.name, "", "", "failed", problems=(Problem(exc.file, exc.reason),))
    if loaded.fails(strict):
        return PackOutcome(path.name, "", "", "failed", problems=tuple(loaded.problems))
    source = b"" if loaded.portfolio else path.read_bytes()
    inputs.extend((review, source) for review in loaded.reviews)
    return None


def _archive_url(settings: Settings, options: BuildOptions) -> str | None:
    return settings.archive_url(options.out, options.archive_url) if options.use_archive else None


def _latest(archive: ReviewArchive | None, out: Path, slug: str,
            quarter: str) -> tuple[int, str, str] | None:
    """(revision, inputs digest, config digest) of the latest revision, from the archive or,
    without one, from the manifests on disk."""
    if archive is not None:
        row = archive.latest(slug, quarter)
        return None if row is None else (row.revision, row.inputs_sha256, row.config_digest)
    revisions = revisions_on_disk(quarter_dir(out, slug, quarter))
    if not revisions:
        return None
    found = read_manifest(revision_dir(out, slug, quarter, revisions[-1])) or {}
    return revisions[-1], found.get("inputs_sha256", ""), found.get("config_digest", "")


def _outcome(review_input: ReviewInput, scored: ScoredReview, state: str, revision: int,
             out: Path) -> PackOutcome:
    p = review_input.partnership
    return PackOutcome(review_input.source_file, p.name, p.quarter.canonical, state, revision,
                       revision_dir(out, p.slug, p.quarter.canonical, revision),
                       score=scored.score, status=scored.status.value,
                       line=PortfolioLine.of(scored))
