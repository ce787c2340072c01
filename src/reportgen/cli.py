"""Command line: arguments in, exit status out. The only place errors become messages.

Exit status: 0 success (warnings allowed), 1 the input or data is at fault, 2 wrong usage.
Heavy libraries (WeasyPrint, pandas, matplotlib) are imported inside the commands that need
them, so `reportgen --help` and `reportgen validate` stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import DataProblems, ReportgenError, Severity, WorkbookUnreadable

WORKBOOKS = click.argument("workbooks", nargs=-1, required=True,
                           type=click.Path(path_type=Path, dir_okay=False))
CONFIG = click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                      help="Settings file (default: ./reportgen.toml when present).")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="reportgen")
def cli() -> None:
    """Turn partnership KPI and risk workbooks into board-ready QBR packs.

    \b
    Start here:
      reportgen init demo                       example workbooks + a commented reportgen.toml
      reportgen validate demo/*.xlsx            every problem, as FILE: SHEET!CELL: message
      reportgen score demo/fincorp-techdrive-2025-Q3.xlsx
      reportgen build demo/fincorp-techdrive-2025-Q3.xlsx   PDF + Word pack in outputs/
      reportgen history fincorp                 every archived review of a partnership
      reportgen site                            the archive as web pages: outputs/site/
      reportgen send outputs/<partnership>/2025-Q3 --dry-run   the e-mails it would send
      reportgen verify copy.pdf --trust ca.pem  is it a copy we issued, untouched, and whose?
    """


@cli.command(short_help="Write the example workbooks and a commented reportgen.toml.")
@click.argument("directory", required=False, default=".",
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, force: bool) -> None:
    """Write the example workbooks (FinCorp–TechDrive, Q2 and Q3 2025) and a reportgen.toml.

    The Q3 workbook reproduces the reference scorecard (overall 83, Amber); Q2 is the quarter
    before it, for history.
    """
    from .examples.settings import SETTINGS_TEMPLATE
    from .examples.workbooks import example_filename, write_example

    targets = [directory / example_filename(q) for q in (2, 3)] + [directory / "reportgen.toml"]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(str(t) for t in existing)
        raise ReportgenError(f"{names}: already exists; use --force to overwrite")
    directory.mkdir(parents=True, exist_ok=True)
    for quarter in (2, 3):
        write_example(directory / example_filename(quarter), quarter)
    (directory / "reportgen.toml").write_text(SETTINGS_TEMPLATE, encoding="utf-8")
    for target in targets:
        click.echo(f"wrote {target}")
    click.echo(f"next: reportgen build {directory / example_filename(3)}")


@cli.command(short_help="List every problem in workbooks, cell by cell.")
@WORKBOOKS
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors and warnings only, not notes.")
@CONFIG
def validate(workbooks: tuple[Path, ...], strict: bool, quiet: bool,
             config_path: Path | None) -> None:
    """Check workbooks and print every problem, one per line: FILE: SHEET!CELL: message.

    Every language the packs would be written in (the settings' `language`, a Partnership
    sheet's Language, a recipient's `[tag]`) is checked for fixed words its catalogue lacks."""
    from .intake.validation import load
    from .present.language import languages_asked, settings_language, untranslated_warnings

    errors = warnings = 0
    asked = settings_language(config_path)
    for path in workbooks:
        try:
            loaded = load(path)
        except WorkbookUnreadable as exc:
            click.echo(str(exc))
            errors += 1
            continue
        for problem in loaded.problems:
            if quiet and problem.severity is Severity.INFO:
                continue
            click.echo(str(problem))
        errors += sum(p.severity is Severity.ERROR for p in loaded.problems)
        warnings += sum(p.severity is Severity.WARNING for p in loaded.problems)
        asked += languages_asked(str(path), loaded.reviews)
    for line in untranslated_warnings(asked):
        click.echo(line)
        warnings += 1
    summary = (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
               f"in {len(workbooks)} workbook{'s' * (len(workbooks) != 1)}")
    click.echo(summary, err=True)
    if errors or (strict and warnings):
        raise click.exceptions.Exit(1)


@cli.command(short_help="Score a workbook: a table, or JSON with --json.")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scored review(s) as JSON.")
@click.option("--archive", "archive_url", metavar="URL",
              help="Compare with the quarters archived here (the changes since last quarter); "
              "without it the review is scored on its own. Nothing is recorded.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@CONFIG
def score(workbook: Path, as_json: bool, archive_url: str | None, strict: bool,
          config_path: Path | None) -> None:
    """Score a workbook: the headline, KPI statuses and points, overall score, ranked risks and
    the attention list.

    With --archive, each review is compared with the partnership's previous archived quarter,
    as `build` does (so the headline says what changed); the archive is only read. Overdue
    decisions and actions are counted on the review date, else today (SOURCE_DATE_EPOCH).
    """
    from .clock import build_time
    from .config import load_settings
    from .domain.scoring import score_reviews
    from .gctune import LOADING, fewer_collections
    from .intake.validation import load_or_raise
    from .present.document import reviews_json
    from .present.summary import summary_of
    from .render.html import template_environment

    settings = load_settings(config_path)
    reviews, problems = load_or_raise(workbook, strict)
    for problem in problems:
        if problem.severity is Severity.WARNING:
            click.echo(str(problem), err=True)
    today = build_time().date()
    if archive_url:
        from .archive import Archive
        from .build.pipeline import score_against

        with Archive.open(archive_url) as archive:
            scored = [score_against(review, settings, archive, today)[0] for review in reviews]
    else:
        with fewer_collections(LOADING):  # a portfolio's results hold no cycles
            scored = score_reviews(reviews, settings.scoring.rules, settings.risk_bands.rules,
                                   today)
    env = template_environment(settings.templates)  # the headline, as the pack writes it
    summarised = [(review, summary_of(review, settings, env)) for review in scored]
    if as_json:
        click.echo(reviews_json(summarised, compared=bool(archive_url)))
        return
    from .present.terminal import print_scored

    for review, summary in summarised:
        print_scored(review, summary)


@cli.command(short_help="Build the PDF and Word packs (and a portfolio summary).")
@WORKBOOKS
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("outputs"),
              show_default=True, help="Output folder: <out>/<partnership>/<quarter>/r<N>/.")
@click.option("--format", "formats", default="pdf,docx", show_default=True,
              help="Comma-separated: pdf, docx, html (a self-contained preview).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Packs rendered at once (default: the number of CPU cores); 1 keeps the "
              "build to one process.")
@click.option("--archive", "archive_url", metavar="URL",
              help="SQLAlchemy URL of the review archive (default: sqlite in --out).")
@click.option("--no-archive", is_flag=True,
              help="Do not read or record history; revisions come from the output folder.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder of template overrides, looked up before the built-in ones.")
@click.option("--strict", is_flag=True, help="Treat workbook warnings as errors.")
@click.option("--site", "refresh_site", is_flag=True,
              help="Then refresh the archive's web site in <out>/site/ (see `reportgen site`).")
@CONFIG
def build(workbooks: tuple[Path, ...], out: Path, formats: str, jobs: int | None,
          archive_url: str | None, no_archive: bool, templates: Path | None, strict: bool,
          refresh_site: bool, config_path: Path | None) -> None:
    """Build the QBR pack (PDF and Word) for every partnership in the workbooks.

    Portfolio workbooks give one pack per partnership, plus a portfolio summary in
    <out>/portfolio/<quarter>/. A rebuild with unchanged inputs writes nothing and says
    "unchanged"; changed inputs make a new revision folder r<N+1>; an earlier revision is never
    overwritten. One bad workbook does not stop the others; the exit status is then 1.
    """
    import os

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    jobs = jobs or os.cpu_count() or 1
    from .render.offload import layout_process

    # the process laying out the PDFs starts first (see its module); --jobs 1 keeps to one
    with layout_process("pdf" in chosen and jobs > 1) as layout:
        from .build.pipeline import FORMATS, BuildOptions
        from .build.pipeline import build as run_build
        from .config import load_settings

        unknown = [f for f in chosen if f not in FORMATS]
        if unknown or not chosen:
            raise click.BadParameter(f"{', '.join(unknown) or formats!r}: choose from "
                                     f"{', '.join(FORMATS)}", param_hint="--format")
        if refresh_site and no_archive:
            raise click.UsageError("--site shows the archive: it cannot go with --no-archive")
        settings = load_settings(config_path)
        if templates is not None:
            settings = settings.model_copy(update={"templates": templates.resolve()})
        options = BuildOptions(out=out, formats=chosen, archive_url=archive_url,
                               use_archive=not no_archive, strict=strict, jobs=jobs)
        with _progress("Building packs") as progress:
            result = run_build(workbooks, settings, options, progress=progress, layout=layout)
    for summary in result.summaries:
        click.echo(f"portfolio  {summary}")
    click.echo(f"{result.count('built')} built, {result.count('unchanged')} unchanged, "
               f"{len(result.failed)} failed", err=True)
    if refresh_site and len(result.failed) < len(result.outcomes):
        _write_site(out, settings.archive_url(out, archive_url, existing=True), settings)
    if result.failed:
        raise click.exceptions.Exit(1)


@contextmanager
def _progress(title: str) -> Iterator[Any]:
    """A progress reporter: a live bar on a terminal, one plain line per pack otherwise."""
    if not sys.stderr.isatty():
        yield lambda outcome, done, total: _report_outcome(outcome)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Column

    current = Column(max_width=22, no_wrap=True, overflow="ellipsis")
    bar = Progress(TextColumn(title), BarColumn(bar_width=16), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                   TextColumn("{task.fields[current]}", table_column=current),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(title, total=None, current="")

    def advance(outcome: Any, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total,
                   current=outcome.partnership or outcome.source)
        bar.console.print(*outcome.lines(), sep="\n", markup=False, highlight=False)

    with bar:
        yield advance


@cli.command(short_help="E-mail a pack's PDF to its distribution list, once.")
@click.argument("pack", type=click.Path(path_type=Path))
@click.option("--to", "to", multiple=True, metavar="ADDR",
              help="Recipient instead of the distribution list (repeatable; 'Name <addr>' or "
              "addr).")
@click.option("--attach-docx", is_flag=True, help="Attach the Word file too.")
@click.option("--dry-run", is_flag=True,
              help="Write r<N>/outbox/*.eml instead of sending; record nothing.")
@click.option("--resend", is_flag=True,
              help="Send again to recipients who already have it, or whose send did not finish.")
@click.option("--archive", "archive_url", metavar="URL",
              help="Archive URL (default: archive.sqlite in the pack's output folder).")
@click.option("--watermark", is_flag=True,
              help="Mark each recipient's copy with their name on every page (as [delivery] "
              "watermark = true).")
@CONFIG
def send(pack: Path, to: tuple[str, ...], attach_docx: bool, dry_run: bool, resend: bool,
         archive_url: str | None, watermark: bool, config_path: Path | None) -> None:
    """Email a pack's PDF to its distribution list, one message per recipient, once.

    PACK is the pack's PDF, its revision folder (r<N>) or its quarter folder (the latest
    revision). SMTP settings come from reportgen.toml and REPORTGEN_SMTP_* variables; the
    password only from REPORTGEN_SMTP_PASSWORD. A recipient who already has this revision is
    skipped unless --resend. [delivery] and [signing] in reportgen.toml make each recipient's
    copy their own: marked, encrypted, signed (see docs/email.md).
    """
    from .config import load_settings
    from .delivery.send import send_cli_lines, send_pack

    report = send_pack(pack, to=to, attach_docx=attach_docx, dry_run=dry_run, resend=resend,
                       settings=load_settings(config_path), archive_url=archive_url,
                       watermark=watermark)
    for line in send_cli_lines(report):
        click.echo(line)
    if report.exit_code:
        raise click.exceptions.Exit(report.exit_code)


ARCHIVE = click.option("--archive", "archive_url", metavar="URL",
                       help="SQLAlchemy URL of the archive (default: sqlite in --out).")
OUT = click.option("--out", type=click.Path(path_type=Path, file_okay=False),
                   default=Path("outputs"), show_default=True,
                   help="Output folder whose archive.sqlite is the default archive.")


@cli.command(short_help="Check a pack or a recipient's copy: signature, revision, recipient.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--trust", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="CA certificate (PEM or DER) the signer must chain to (default: "
              "[signing] trust).")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Opens an encrypted copy: the passwords file send wrote, or a file holding "
              "the password alone.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@ARCHIVE
@OUT
@CONFIG
def verify(file: Path, trust: Path | None, password_file: Path | None, as_json: bool,
           archive_url: str | None, out: Path, config_path: Path | None) -> None:
    """Say whether FILE is a pack or a recipient's copy that this archive issued, unchanged.

    Checks its signature (intact; trusted with --trust), finds its partnership, quarter and
    revision by its SHA-256, compares its embedded scored review with the archive's, and for a
    recipient's copy says to whom and when it was sent. Exit 0 valid, 1 altered or unknown.
    """
    from .config import load_settings
    from .delivery.verify import verify_json, verify_lines, verify_pdf

    settings = load_settings(config_path)
    url = settings.archive_url(out, archive_url, existing=True)
    report = verify_pdf(file, url, trust=trust or settings.signing.trust,
                        password_file=password_file)
    if as_json:
        click.echo(verify_json(report))
    else:
        for line in verify_lines(report):
            click.echo(line)
    if report.exit_code:
        raise click.exceptions.Exit(report.exit_code)


@cli.command(short_help="Show every archived review of a partnership.")
@click.argument("partnership")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every revision).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (every revision).")
@ARCHIVE
@OUT
@CONFIG
def history(partnership: str, as_json: bool, as_csv: bool, archive_url: str | None, out: Path,
            config_path: Path | None) -> None:
    """Show every archived review of a partnership, oldest quarter first.

    PARTNERSHIP may be part of the name, in any case ("fincorp"); when several partnerships
    match, their names are listed.
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from .archive import Archive
    from .config import load_settings
    from .present.history import history_csv, history_json, history_table

    url = load_settings(config_path).archive_url(out, archive_url, existing=True)
    with Archive.open(url) as archive:
        name, rows = archive.reviews(partnership)
    if as_json:
        click.echo(history_json(name, rows))
    elif as_csv:
        click.echo(history_csv(name, rows), nl=False)
    else:
        from rich.console import Console

        Console().print(history_table(name, rows))


@cli.command(short_help="Write the archive as a static web site in <out>/site/.")
@ARCHIVE
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("outputs"),
              show_default=True, help="Output folder: the site goes to <out>/site/ and links to "
              "the packs in it; its archive.sqlite is the default archive.")
@CONFIG
def site(archive_url: str | None, out: Path, config_path: Path | None) -> None:
    """Write the review archive as a static web site in <out>/site/, replacing the previous one.

    An index of every partnership (sortable and filterable), a page per partnership (trend,
    KPI and risk history, every revision with its PDF, Word file, manifest and e-mail
    deliveries) and a page per quarter (with the portfolio summary). The pages load nothing
    from a network and link only to files in <out>: open <out>/site/index.html, or serve <out>
    with any web server.
    """
    from .config import load_settings

    settings = load_settings(config_path)
    _write_site(out, settings.archive_url(out, archive_url, existing=True), settings)


def _write_site(out: Path, archive_url: str, settings: Any) -> None:
    from .site.generate import generate_site

    result = generate_site(out, archive_url, settings)
    click.echo(f"site       {result.folder / 'index.html'}: {result.partnerships} "
               f"partnership{'s' * (result.partnerships != 1)}, {result.revisions} "
               f"revision{'s' * (result.revisions != 1)}, {result.pages} pages")


@cli.group("archive")
def archive_group() -> None:
    """Work with the review archive."""


@archive_group.command("import", short_help="Record earlier quarters without rendering.")
@WORKBOOKS
@ARCHIVE
@OUT
@click.option("--strict", is_flag=True, help="Treat workbook warnings as errors.")
@CONFIG
def archive_import(workbooks: tuple[Path, ...], archive_url: str | None, out: Path, strict: bool,
                   config_path: Path | None) -> None:
    """Record earlier quarters' workbooks in the archive without rendering packs (backfill)."""
    from .build.pipeline import BuildOptions
    from .build.pipeline import build as run_build
    from .config import load_settings

    settings = load_settings(config_path)
    options = BuildOptions(out=out, formats=(), archive_url=archive_url, strict=strict)
    result = run_build(workbooks, settings, options,
                       progress=lambda outcome, done, total: _report_outcome(outcome))
    imported = sum(o.state == "built" for o in result.outcomes)
    unchanged = sum(o.state == "unchanged" for o in result.outcomes)
    click.echo(f"{imported} imported, {unchanged} unchanged, {len(result.failed)} failed",
               err=True)
    if result.failed:
        raise click.exceptions.Exit(1)


def _report_outcome(outcome: Any) -> None:
    stream_err = outcome.state == "failed"
    for line in outcome.lines():
        click.echo(line, err=stream_err or line.startswith("  warning"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status instead of raising. Nothing it prints carries a bidi
    control (`present.streams.NeutralStream`).

    Run as the program (no `argv`: the process exits next), it freezes its objects out of the
    cyclic collector at the end, so the interpreter's teardown does not walk them all once
    more: 0.1 s of a one-pack build. Every file and connection is closed by then, and the PDF
    renderer's temporary font folder goes at exit (`render.pdf.drop_font_config`)."""
    from .present.streams import NeutralStream

    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = NeutralStream(streams[0]), NeutralStream(streams[1])
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams
        if argv is None:
            import gc

            gc.freeze()


def _main(argv: Sequence[str] | None) -> int:
    try:
        status = cli.main(args=list(argv) if argv is not None else None, prog_name="reportgen",
                          standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return 2
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("interrupted", err=True)
            return 130
        click.echo("aborted", err=True)
        return 1
    except DataProblems as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = sum(p.severity is Severity.ERROR for p in exc.problems)
        click.echo(f"{count} error{'s' * (count != 1)}; nothing was written", err=True)
        return exc.exit_code
    except ReportgenError as exc:
        click.echo(str(exc), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    return status if isinstance(status, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
