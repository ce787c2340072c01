"""`build()`: workbooks in, packs and archive records out. Reads top to bottom as the data flow.

    workbook ─ validation ─▶ ReviewInput ─ archive (previous quarter, history) ─▶ scoring
      ─▶ ScoredReview ─ view ─▶ PackView ─ render ─▶ PDF / Word / HTML bytes
      ─ outputs ─▶ r<N>/ files + manifest ─ archive ─▶ recorded revision

A review whose inputs, settings and history are those of its latest archived revision is not
rendered again: it is reported "unchanged". Rendering happens before the revision is chosen, so
the per-partnership lock is held only while files are written and the row is recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import Settings
from .document import review_document
from .errors import Problem, RenderError, ReportgenError, Severity, WorkbookUnreadable
from .model import Quarter, ReviewInput
from .outputs import (
    Artifact,
    WrittenFile,
    atomic_write,
    quarter_dir,
    read_manifest,
    revision_dir,
    revisions_on_disk,
    write_revision,
)
from .portfolio import PortfolioLine, portfolio_view
from .scoring import PreviousReview, ScoredReview, score_review
from .validation import load
from .view import HistoryEntry, PackView, build_view

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


Clock = Callable[[], dt.datetime]
Progress = Callable[[PackOutcome, int, int], None]  # (outcome, packs done, packs in all)
Item = tuple[ReviewInput, bytes]  # a review and the workbook bytes to embed (b"" for none)


def build(workbooks: Sequence[Path], settings: Settings, options: BuildOptions,
          clock: Clock | None = None, progress: Progress | None = None) -> BuildResult:
    """Build every partnership's pack from `workbooks`; one bad workbook does not stop the rest.

    Each partnership's quarters are built in order (earlier first, so later packs show the
    change); partnerships are spread over `options.jobs` worker processes.
    """
    clock = clock or default_clock
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
    pending: list[list[Item]] = []
    if not groups:  # nothing valid to build: write nothing, not even an empty archive
        return result
    with _open_archive(settings, options) as archive:
        renderer = Renderer(settings)
        for group in groups:  # packs already archived are reported here, without rendering
            rest = _skip_unchanged(group, settings, options, archive, renderer, report)
            if rest:
                pending.append(rest)
        if len(pending) < 2 or options.jobs < 2:
            for group in pending:
                for item in group:
                    report(_guarded(item, lambda i=item: build_one(
                        i[0], i[1], settings, options, archive, renderer, clock)))
            pending = []
    if pending:  # the archive is closed first: a connection must not cross a fork
        _build_parallel(pending, settings, options, clock, report)
    if options.summary and options.formats:
        result.summaries = _write_summaries(result.outcomes, settings, options, clock)
    return result


def _by_partnership(items: list[Item]) -> list[list[Item]]:
    """Items grouped by partnership, each group in quarter order; groups in first-seen order."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item[0].partnership.slug, []).append(item)
    return [sorted(group, key=lambda i: i[0].partnership.quarter) for group in groups.values()]


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


# --- parallel builds: one process pool per run, each worker with its own archive connection --

_worker: dict[str, Any] = {}


def _build_parallel(groups: list[list[Item]], settings: Settings, options: BuildOptions,
                    clock: Clock, report: Callable[[PackOutcome], None]) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    _preload(options.formats)  # imported once here, shared by the forked workers
    context = multiprocessing.get_context("fork")
    workers = min(options.jobs, len(groups))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start,
                             initargs=(settings, options, clock)) as pool:
        futures = {pool.submit(_worker_build, group): group for group in groups}
        for future in as_completed(futures):
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                outcomes = [_guarded(item, _died) for item in futures[future]]
            for outcome in outcomes:
                report(outcome)


def _died() -> PackOutcome:
    raise ReportgenError("the worker process rendering this pack stopped (out of memory?)")


def _preload(formats: Sequence[str]) -> None:
    import gc

    from .render import html  # noqa: F401  (Jinja and the templates' helpers)

    if "pdf" in formats:
        from .render import pdf  # noqa: F401  (WeasyPrint: ~0.6 s to import)
    if "docx" in formats:
        from .render import docx  # noqa: F401
    gc.collect()
    gc.freeze()  # the imported modules never become garbage: keep the collector off them


def _worker_start(settings: Settings, options: BuildOptions, clock: Clock) -> None:
    from multiprocessing.util import Finalize

    archive = _open_archive(settings, options).__enter__()
    if archive is not None:
        Finalize(archive, archive.close, exitpriority=10)
    _worker.update(settings=settings, options=options, clock=clock, archive=archive,
                   renderer=Renderer(settings))


def _worker_build(group: list[Item]) -> list[PackOutcome]:
    w = _worker
    return [_guarded(item, lambda i=item: build_one(
        i[0], i[1], w["settings"], w["options"], w["archive"], w["renderer"], w["clock"]))
        for item in group]


@dataclass(frozen=True)
class _Assessment:
    """A review scored against its history, and whether its latest revision already has it."""

    scored: ScoredReview
    history: list[HistoryEntry]
    inputs_sha: str
    config_sha: str
    unchanged: PackOutcome | None


def _assess(review_input: ReviewInput, settings: Settings, options: BuildOptions, archive: Any,
            renderer: Renderer) -> _Assessment:
    p = review_input.partnership
    slug, quarter = p.slug, p.quarter.canonical
    previous: PreviousReview | None = None
    history: list[HistoryEntry] = []
    if archive is not None:
        previous = archive.previous_review(slug, quarter)
        history = archive.history(slug, quarter)
    scored = score_review(review_input, settings.scoring, settings.risk_bands, previous)
    inputs_sha = inputs_digest(review_input, previous, history)
    config_sha = renderer.digest(options.formats)
    latest = _latest(archive, options.out, slug, quarter)
    unchanged = None
    if latest is not None and latest[1:] == (inputs_sha, config_sha):
        unchanged = _outcome(review_input, scored, "unchanged", latest[0], options.out)
    return _Assessment(scored, history, inputs_sha, config_sha, unchanged)


def _skip_unchanged(group: list[Item], settings: Settings, options: BuildOptions, archive: Any,
                    renderer: Renderer, report: Callable[[PackOutcome], None]) -> list[Item]:
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
              options: BuildOptions, archive: Any, renderer: Renderer,
              clock: Clock) -> PackOutcome:
    """Score, render, write and record one partnership's quarter."""
    p = review_input.partnership
    slug, quarter = p.slug, p.quarter.canonical
    assessment = _assess(review_input, settings, options, archive, renderer)
    if assessment.unchanged is not None:
        return assessment.unchanged
    scored, history = assessment.scored, assessment.history
    inputs_sha, config_sha = assessment.inputs_sha, assessment.config_sha
    artifacts, warnings = renderer.render(scored, history, source_bytes, options.formats,
                                          clock())
    lock = archive.revision_lock(slug, quarter) if archive is not None else nullcontext()
    with lock:
        latest = _latest(archive, options.out, slug, quarter)
        if latest is not None and latest[1:] == (inputs_sha, config_sha):
            return _outcome(review_input, scored, "unchanged", latest[0], options.out)
        revision = (latest[0] if latest else 0) + 1
        folder = revision_dir(options.out, slug, quarter, revision)
        created = clock()
        manifest = _manifest(scored, revision, inputs_sha, config_sha, created)
        # an import (no formats) only records the review; a build writes the pack first
        files = write_revision(folder, slug, quarter, artifacts, manifest) if artifacts else []
        if archive is not None:
            from .archive.repository import ArtifactRecord

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


class Renderer:
    """Everything shared by the packs of one run: settings, the Jinja environment, the logo."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._env: Any = None
        self._digests: dict[str, str] = {}
        self._word_logo: tuple[bytes | None, str] | None = None
        logo = settings.branding.logo
        self.logo_url = logo.as_uri() if logo else None

    def digest(self, formats: Sequence[str]) -> str:
        """Settings + user templates + Word reference + logo + tool version: what shapes a pack."""
        key = ",".join(sorted(formats))
        if key not in self._digests:
            self._digests[key] = self._digest(formats)
        return self._digests[key]

    def _digest(self, formats: Sequence[str]) -> str:
        h = hashlib.sha256(self.settings.digest().encode())
        h.update(f"{__version__}|{','.join(sorted(formats))}".encode())
        extra = [self.settings.branding.logo, self.settings.word_reference]
        if self.settings.templates and self.settings.templates.is_dir():
            extra += sorted(p for p in self.settings.templates.rglob("*") if p.is_file())
        for path in extra:
            if path is not None and path.is_file():
                h.update(str(path).encode() + path.read_bytes())
        return h.hexdigest()

    def environment(self) -> Any:
        if self._env is None:
            from .render.html import template_environment

            self._env = template_environment(self.settings.templates)
        return self._env

    def view(self, scored: ScoredReview, history: Sequence[HistoryEntry],
             generated_at: dt.datetime) -> PackView:
        return build_view(scored, self.settings, generated_at, history, self.logo_url)

    def render(self, scored: ScoredReview, history: Sequence[HistoryEntry], source: bytes,
               formats: Sequence[str], generated_at: dt.datetime
               ) -> tuple[list[Artifact], tuple[str, ...]]:
        from .render.html import render_html

        view = self.view(scored, history, generated_at)
        artifacts: list[Artifact] = []
        warnings: tuple[str, ...] = ()
        if "pdf" in formats:
            from .render.pdf import render_pdf

            html = render_html(view, self.environment())
            result = render_pdf(view, html, attachments=self.attachments(scored, source),
                                logo=self.settings.branding.logo,
                                timeout=self.settings.render_timeout,
                                source_name=scored.input.source_file)
            artifacts.append(Artifact("pdf", result.data))
            warnings = result.warnings
        if "docx" in formats:
            from .render.docx import render_docx, word_logo

            if self._word_logo is None:  # read once per run: (bytes or None, problem or "")
                try:
                    logo = self.settings.branding.logo
                    self._word_logo = (word_logo(logo) if logo else None, "")
                except RenderError as exc:
                    self._word_logo = (None, str(exc))
            logo, problem = self._word_logo
            if problem:
                warnings = (*warnings, problem)

            chart = None
            if len(view.trend.points) > 1:
                from .render.chart_png import trend_png

                chart = trend_png(view.trend, self.settings.scoring.green_from,
                                  self.settings.scoring.amber_from)
            reference = self.settings.word_reference
            if reference is None and self.settings.templates is not None:
                candidate = self.settings.templates / "reference.docx"
                reference = candidate if candidate.is_file() else None
            artifacts.append(Artifact("docx", render_docx(view, reference=reference,
                                                          trend_png=chart, logo=logo)))
        if "html" in formats:
            artifacts.append(Artifact("html", render_html(view, self.environment(),
                                                          standalone=True).encode("utf-8")))
        return artifacts, warnings

    def attachments(self, scored: ScoredReview, source: bytes) -> list[Any]:
        """The scored review as JSON and, for a one-partnership workbook, the workbook itself.

        A portfolio workbook holds other partnerships' figures, so it is never embedded in a
        pack that goes to one partner; the JSON carries this partnership's data instead.
        """
        from .render.pdf import Attachment

        document = json.dumps({"reviews": [review_document(scored)]}, ensure_ascii=False,
                              indent=2).encode("utf-8")
        items = [Attachment("scored-review.json", document, "The scored review (reportgen)",
                            "application/json", "Data")]
        if source:
            items.insert(0, Attachment(
                scored.input.source_file, source, "Source workbook",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Source"))
        return items


def inputs_digest(review_input: ReviewInput, previous: PreviousReview | None,
                  history: Sequence[HistoryEntry]) -> str:
    """SHA-256 of everything a pack is made from: the review's data and the history it shows."""
    material = repr((review_input, previous, tuple(history)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def default_clock() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _load(path: Path, strict: bool,
          inputs: list[tuple[ReviewInput, bytes]]) -> PackOutcome | None:
    try:
        loaded = load(path)
    except WorkbookUnreadable as exc:
        return PackOutcome(path.name, "", "", "failed", problems=(Problem(exc.file, exc.reason),))
    failing = [p for p in loaded.problems if p.severity is Severity.ERROR
               or (strict and p.severity is Severity.WARNING)]
    if failing:
        return PackOutcome(path.name, "", "", "failed", problems=tuple(loaded.problems))
    source = b"" if loaded.portfolio else path.read_bytes()
    inputs.extend((review, source) for review in loaded.reviews)
    return None


@contextmanager
def _open_archive(settings: Settings, options: BuildOptions) -> Iterator[Any]:
    if not options.use_archive:
        yield None
        return
    from .archive.repository import Archive

    url = options.archive_url or settings.archive or default_archive_url(options.out)
    with Archive.open(url) as archive:
        yield archive


def default_archive_url(out: Path) -> str:
    return f"sqlite:///{(out / 'archive.sqlite').resolve()}"


def _latest(archive: Any, out: Path, slug: str, quarter: str) -> tuple[int, str, str] | None:
    """(revision, inputs digest, config digest) of the latest revision, from the archive or,
    without one, from the manifests on disk."""
    if archive is not None:
        row = archive.latest(slug, quarter)
        return None if row is None else (row.revision, row.inputs_sha256, row.config_digest)
    revisions = revisions_on_disk(quarter_dir(out, slug, quarter))
    if not revisions:
        return None
    manifest = read_manifest(revision_dir(out, slug, quarter, revisions[-1])) or {}
    return revisions[-1], manifest.get("inputs_sha256", ""), manifest.get("config_digest", "")


def _manifest(scored: ScoredReview, revision: int, inputs_sha: str, config_sha: str,
              created: dt.datetime) -> dict[str, Any]:
    source = scored.input
    return {
        "partnership": source.partnership.name,
        "quarter": source.partnership.quarter.canonical,
        "revision": revision,
        "overall": {"score": scored.score, "status": scored.status.value},
        "exceptions": len(scored.exceptions),
        "inputs": [{"file": source.source_file, "sha256": source.source_sha256}],
        "inputs_sha256": inputs_sha,
        "config_digest": config_sha,
        "tool_version": __version__,
        "created_at": created.astimezone(dt.UTC).isoformat(),
    }


def _outcome(review_input: ReviewInput, scored: ScoredReview, state: str, revision: int,
             out: Path) -> PackOutcome:
    p = review_input.partnership
    return PackOutcome(review_input.source_file, p.name, p.quarter.canonical, state, revision,
                       revision_dir(out, p.slug, p.quarter.canonical, revision),
                       score=scored.score, status=scored.status.value,
                       line=PortfolioLine.of(scored))


def _write_summaries(outcomes: Sequence[PackOutcome], settings: Settings,
                     options: BuildOptions, clock: Clock) -> list[Path]:
    """One portfolio summary PDF per quarter that has two or more partnerships in this build,
    at `<out>/portfolio/<YYYY-Qn>/portfolio-<YYYY-Qn>.pdf`; rewritten only when it changes."""
    by_quarter: dict[str, list[PortfolioLine]] = {}
    for outcome in outcomes:
        if outcome.line is not None:
            by_quarter.setdefault(outcome.line.quarter, []).append(outcome.line)
    written = []
    for quarter, lines in sorted(by_quarter.items()):
        if len(lines) < 2:
            continue
        folder = options.out / "portfolio" / quarter
        digest = hashlib.sha256(repr((sorted(lines, key=repr), settings.digest(),
                                      __version__)).encode()).hexdigest()
        manifest = folder / f"portfolio-{quarter}.json"
        target = folder / f"portfolio-{quarter}.pdf"
        previous = read_manifest(folder, manifest.name) or {}
        if target.is_file() and previous.get("digest") == digest:
            written.append(target)
            continue
        from .render.html import render_portfolio_html
        from .render.pdf import render_portfolio_pdf

        created = clock()
        view = portfolio_view(lines, Quarter.parse(quarter).label, created, settings)
        data = render_portfolio_pdf(view, render_portfolio_html(view),
                                    timeout=settings.render_timeout)
        atomic_write(target, data)
        atomic_write(manifest, json.dumps({
            "quarter": quarter, "partnerships": len(lines), "digest": digest,
            "sha256": hashlib.sha256(data).hexdigest(),
            "created_at": created.astimezone(dt.UTC).isoformat()}, indent=2).encode())
        written.append(target)
    return written
