"""Sending a pack: a built pack in, one message per recipient out, each delivery archived.

    PACK (its PDF, r<N>/ or the quarter folder) ─ manifest + archive ─▶ PackToSend (the files'
      bytes and the manifest's headline and decisions requested, all checked against the
      SHA-256 archived when the pack was built) ─ copies.make_copy ─▶ each recipient's copy
      ─ message.build_message (pure) ─▶ one message per recipient
      ─ smtp.SmtpSession (STARTTLS or implicit TLS, certificate verified) ─▶ the archive:
      'sending' (committed) → 'sent' (server reply, Message-ID) | 'refused' (why) ─▶ SendReport

With `[delivery]` watermark, encrypt or a `[signing]` certificate, each pending recipient gets
a copy of their own first (`copies.make_copy`: marked, encrypted, signed); every generated
password is written (0600) to the pack's passwords file before the first message goes out, and
each copy's SHA-256 is archived with its 'sending' row before its message goes out. Every copy
and message is built before the first is sent, so a bad address, an injected header, a
certificate that does not open or a password source that fails stops the run with nothing
sent. A recipient already 'sent' is skipped, and one left 'sending' by an interrupted run is
reported as uncertain; both are sent again only with `resend`. The SMTP password goes to
smtplib's login only and is scrubbed from every error text. See docs/email.md.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from ..archive.repository import Archive
from ..clock import utc_now
from ..config import Settings
from ..domain.addresses import readers_languages
from ..domain.history import ArchivedReview, ArtifactRecord, Delivery
from ..domain.language import ENGLISH, NAMES, catalogue_of, language_tag
from ..domain.model import Quarter, Recipient
from ..domain.text import normalise
from ..errors import RenderError, ReportgenError
from ..outputs.layout import (
    atomic_write,
    read_manifest,
    revision_number,
    revisions_on_disk,
    sha256,
)
from ..render.html import template_environment
from ..render.limits import seconds_text, time_limit
from .copies import CopyPlan, RecipientCopy, make_copy, plan_copies, write_password
from .message import (
    PackFile,
    PackToSend,
    RequestedDecision,
    address_key,
    build_message,
    parse_recipients,
    sender_of,
)
from .smtp import SmtpSession, TlsContext

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9@._+-]")



@dataclass(frozen=True)
class Outcome:
    recipient: str  # "Name <address>" or the bare address
    detail: str  # the server's reply, why it was not sent, or where the .eml was written


@dataclass(frozen=True)
class SendReport:
    """Who got the pack and who did not; `exit_code` is 1 when anyone may be missing it."""

    partnership: str
    quarter: str  # "Q3 2025"
    revision: int
    dry_run: bool
    sent: tuple[Outcome, ...] = ()
    already_sent: tuple[Outcome, ...] = ()  # skipped: sent before (send again with resend)
    refused: tuple[Outcome, ...] = ()  # not sent, with the reason; a re-run tries them again
    uncertain: tuple[Outcome, ...] = ()  # a send that did not finish; resent only with resend
    written: tuple[Outcome, ...] = ()  # dry run: the .eml file written for each recipient

    @property
    def exit_code(self) -> int:
        return 1 if self.refused or self.uncertain else 0


@dataclass(frozen=True)
class _Located:
    folder: Path  # r<N>
    out: Path  # the outputs folder holding <folder>/
    key: str  # the partnership's key (its name, case and spaces folded), from the manifest
    quarter: str
    revision: int
    manifest: dict[str, Any]


def send_pack(pack_path: Path, *, to: Sequence[str], attach_docx: bool, dry_run: bool,
              resend: bool, settings: Settings, archive_url: str | None,
              tls_context: TlsContext = ssl.create_default_context,
              watermark: bool = False) -> SendReport:
    """Email the pack at `pack_path` to `to` (or its archived distribution list), once each.

    `dry_run` writes each message to `<r<N>>/outbox/<address>.eml` and sends and records
    nothing. Problems with the pack, the archive or an address are a ReportgenError before
    anything is sent; a recipient the server refuses is reported and does not stop the others.
    The quarter's revision lock is held throughout, so two sends of one pack cannot both send.
    `watermark` marks each copy even when `[delivery] watermark` is off.
    """
    chosen = parse_recipients(to, "--to") if to else None
    plan = plan_copies(settings, watermark)
    located = _locate(pack_path)
    sender = sender_of(settings.smtp.sender)
    url = settings.archive_url(located.out, archive_url, existing=True)
    with Archive.open(url) as archive, archive.revision_lock(located.key, located.quarter):
        review = archive.find_review(located.key, located.quarter, located.revision)
        label = f"{located.manifest['partnership']} {located.quarter} r{located.revision}"
        if review is None:
            raise ReportgenError(f"{located.folder}: {label} is not in the archive; send records "
                                 "every delivery there (use --archive with the one it was "
                                 "built with)")
        recipients = chosen if chosen is not None else parse_recipients(
            archive.distribution(review.id), f"the distribution list archived for {label}")
        if not recipients:
            raise ReportgenError(f"{label}: the workbook has no Distribution list; name the "
                                 "recipients with --to")
        packs = _load_packs(located, review, archive.artifacts(review.id), attach_docx,
                            recipients, label)
        pack = packs[""]
        report = SendReport(review.partnership, pack.quarter.label, pack.revision, dry_run)
        pending, report = _plan(recipients, archive.delivery_states(review.id), resend, report)
        copies = _copies(packs, pending, plan)
        messages = _messages(packs, recipients, settings, attach_docx, copies)
        _keep_passwords(pending, copies, pack.folder / ("outbox" if dry_run else "") /
                        settings.delivery.password_file)
        if dry_run:
            return _write_outbox(pending, messages, pack.folder, report)
        if not pending:
            return report
        with SmtpSession(settings.smtp, tls_context) as session:
            return _deliver(pending, messages, copies, sender.address, archive, review.id,
                            session, report)


def _copies(packs: dict[str, PackToSend], pending: Sequence[Recipient],
            plan: CopyPlan) -> dict[str, RecipientCopy]:
    """Each pending recipient's own copy (none when `plan` changes nothing)."""
    if not plan.personal:
        return {}
    now = utc_now()
    return {address_key(r): make_copy(_reads(packs, r), r, plan, now) for r in pending}


def _reads(packs: dict[str, PackToSend], recipient: Recipient) -> PackToSend:
    """The pack `recipient` is sent: the one in their language, else the pack as built."""
    return packs.get(recipient.language, packs[""])


def _keep_passwords(pending: Sequence[Recipient], copies: dict[str, RecipientCopy],
                    path: Path) -> None:
    """Every generated password, written (0600) to `path` before the first message goes out;
    a file that cannot be written stops the run with nothing sent."""
    try:
        for recipient in pending:
            copy = copies.get(address_key(recipient))
            if copy is not None and copy.generated and copy.password is not None:
                path.parent.mkdir(exist_ok=True)
                write_password(path, recipient, copy.password, copy.pdf.sha256)
    except OSError as exc:
        raise ReportgenError(f"{path}: the recipients' passwords cannot be written "
                             f"({exc.strerror}); nothing was sent") from None


def _messages(packs: dict[str, PackToSend], recipients: Sequence[Recipient], settings: Settings,
              attach_docx: bool, copies: dict[str, RecipientCopy]) -> dict[str, EmailMessage]:
    """Every recipient's message, keyed by `address_key`, made within `render_timeout`; a
    failing template (the user's FILE:LINE) or an overrun is a ReportgenError."""
    env = template_environment(settings.templates)
    now = utc_now()
    limit = settings.render_timeout
    try:
        with time_limit(limit, f"the e-mail templates took longer than render_timeout "
                               f"({seconds_text(limit)}) and were stopped"):
            return {address_key(r): build_message(_reads(packs, r), r, settings.smtp.sender, env,
                                                  attach_docx, date=now,
                                                  copy=_attached(copies.get(address_key(r))))
                    for r in recipients}
    except RenderError as exc:
        problem = str(exc)
    raise ReportgenError(f"{problem}; nothing was sent")


def _attached(copy: RecipientCopy | None) -> tuple[PackFile, PackFile | None, bool] | None:
    return None if copy is None else (copy.pdf, copy.docx, copy.password is not None)


def _locate(pack_path: Path) -> _Located:
    """PACK (a pack PDF, its r<N> folder, or the quarter folder) → its revision and manifest."""
    path = pack_path.resolve()
    if path.is_file():
        folder = path.parent
    elif (path / "manifest.json").is_file():
        folder = path
    elif path.is_dir():
        revisions = revisions_on_disk(path)
        if not revisions:
            raise ReportgenError(f"{pack_path}: no pack here: give a pack PDF, its r<N> folder "
                                 "or its quarter folder")
        folder = path / f"r{revisions[-1]}"
    else:
        raise ReportgenError(f"{pack_path}: no such file or folder")
    manifest = read_manifest(folder)
    revision = revision_number(folder.name)
    if (manifest is None or revision is None or not _is_quarter(folder.parent.name)
            or not isinstance(manifest.get("partnership"), str)):
        raise ReportgenError(f"{pack_path}: not a pack: expected a manifest.json in "
                             "<partnership>/<YYYY-Qn>/r<N>/, as reportgen build writes it")
    located = _Located(folder, folder.parent.parent.parent, normalise(manifest["partnership"]),
                       folder.parent.name, revision, manifest)
    if (manifest.get("quarter"), manifest.get("revision")) != (located.quarter,
                                                               located.revision):
        raise ReportgenError(f"{folder / 'manifest.json'}: it describes "
                             f"{manifest.get('quarter')} r{manifest.get('revision')}, not the "
                             f"folder it is in ({located.quarter}/r{located.revision})")
    if path.is_file() and path.name != _output(located, "pdf").get("file"):
        raise ReportgenError(f"{pack_path}: not the pack's PDF; its manifest lists "
                             f"{_output(located, 'pdf').get('file')!r}")
    return located


def _is_quarter(name: str) -> bool:
    try:
        return Quarter.parse(name).canonical == name
    except ValueError:
        return False


def _output(located: _Located, kind: str, language: str = "") -> dict[str, Any]:
    """The manifest's entry for the pack file of `kind` (in a reader's `language`, or the
    pack's own); {} when there is none."""
    outputs = located.manifest.get("outputs")
    for entry in outputs if isinstance(outputs, list) else []:
        if (isinstance(entry, dict) and entry.get("kind") == kind
                and entry.get("language", "") == language):
            return entry
    return {}


def _load_packs(located: _Located, review: ArchivedReview,
                artifacts: Sequence[ArtifactRecord], attach_docx: bool,
                recipients: Sequence[Recipient], label: str) -> dict[str, PackToSend]:
    """The pack as built (key "") and, for each language a recipient reads that is not the
    pack's, the revision's pack in it; a language the revision has no pack in stops the run
    with nothing sent."""
    _check_manifest(located, next((a for a in artifacts if a.kind == "manifest"), None))
    words = {"": located.manifest}
    translations = located.manifest.get("translations")
    for item in translations if isinstance(translations, list) else []:
        if isinstance(item, dict) and isinstance(item.get("language"), str):
            words.setdefault(item["language"], item)
    pack = _load_pack(located, review, artifacts, attach_docx, words[""])
    wanted = readers_languages(recipients, pack.language)
    missing = [r for r in recipients if r.language in wanted and r.language not in words]
    if missing:
        raise ReportgenError("\n".join(
            [f"{label}: {r.listed} reads {NAMES[catalogue_of(r.language)]}, and this revision "
             f"has no pack in {r.language}" for r in missing]
            + ["a reader's pack is built with the revision: write the tag after their address "
               "in the workbook's Distribution (`Name <addr> [ja]`) and build again, or send "
               "to them without it; nothing was sent"]))
    return {"": pack} | {language: _load_pack(located, review, artifacts, attach_docx,
                                              words[language], language)
                         for language in wanted}


def _load_pack(located: _Located, review: ArchivedReview, artifacts: Sequence[ArtifactRecord],
               attach_docx: bool, words: dict[str, Any], language: str = "") -> PackToSend:
    """The revision's pack in `language` ("": as built), its text from `words` (the
    manifest's, or its translation's for that language)."""
    archived = {(a.kind, a.language): a for a in artifacts}
    exceptions = located.manifest.get("exceptions")
    pdf = _pack_file(located, "pdf", archived.get(("pdf", language)), language)
    docx = (_pack_file(located, "docx", archived.get(("docx", language)), language)
            if attach_docx else None)
    return PackToSend(
        review_id=review.id,
        partnership=review.partnership,
        quarter=Quarter.parse(review.quarter),
        revision=review.revision,
        score=review.score,
        status=review.status,
        exceptions=exceptions if isinstance(exceptions, int) else None,
        folder=located.folder,
        pdf=pdf,
        docx=docx,
        headline=tuple(_strings(words.get("headline"))),
        decisions=tuple(_requested(words.get("decisions_requested"))),
        language=_language(words.get("language")),
    )


def _language(value: Any) -> str:
    """The manifest's language tag; English for a pack built before packs had one (or a tag
    this version does not ship)."""
    try:
        return language_tag(value) if isinstance(value, str) else ENGLISH
    except ValueError:
        return ENGLISH


def _check_manifest(located: _Located, archived: ArtifactRecord | None) -> None:
    """The manifest the e-mail's headline comes from must be the one archived with the pack."""
    path = located.folder / "manifest.json"
    if archived is not None and sha256(path.read_bytes()) != archived.sha256:
        raise ReportgenError(f"{path}: changed since the pack was built (its SHA-256 is not the "
                             "one archived); refusing to send it; rebuild the pack instead")


def _strings(value: Any) -> list[str]:
    """A manifest's list of strings ([] for anything else)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _requested(value: Any) -> list[RequestedDecision]:
    fields = ("id", "decision", "owner", "due", "overdue")
    return [RequestedDecision(*(str(item.get(f) or "") for f in fields))
            for item in (value if isinstance(value, list) else []) if isinstance(item, dict)]


def _pack_file(located: _Located, kind: str, archived: ArtifactRecord | None,
               language: str = "") -> PackFile:
    """The pack file of `kind` (in a reader's `language`), refused unless its bytes are those
    archived at build time."""
    entry = _output(located, kind, language)
    name, built = entry.get("file"), entry.get("sha256")
    if not isinstance(name, str) or Path(name).name != name or archived is None:
        raise ReportgenError(f"{located.folder}: this revision has no {kind.upper()} file"
                             f"{f' in {language}' if language else ''} in its manifest and "
                             "archive" + (" (build it with --format pdf,docx)"
                                          if kind == "docx" else ""))
    if archived.sha256 != built:
        raise ReportgenError(f"{located.folder / 'manifest.json'}: its {kind.upper()} digest is "
                             "not the one archived for this revision; is --archive the archive "
                             "it was built with?")
    path = located.folder / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportgenError(f"{path}: cannot be read ({exc.strerror})") from None
    digest = sha256(data)
    if digest != built:
        raise ReportgenError(f"{path}: changed since it was built (SHA-256 {digest[:12]}…, built "
                             f"as {built[:12]}…); refusing to send it; rebuild the pack instead")
    return PackFile(kind, name, data, digest)


def _plan(recipients: Sequence[Recipient], states: dict[str, Delivery], resend: bool,
          report: SendReport) -> tuple[list[Recipient], SendReport]:
    """Who is to be sent the pack now; the already sent and the uncertain go in the report."""
    pending, already, uncertain = [], [], []
    for recipient in recipients:
        state = states.get(address_key(recipient))
        if state is None or state.state == "refused" or resend:
            pending.append(recipient)
        elif state.state == "sent":
            already.append(Outcome(str(recipient), f"already sent {_when(state)} "
                                   f"({state.server_reply}); --resend sends it again"))
        else:
            uncertain.append(Outcome(str(recipient), f"a send started {_when(state)} did not "
                                     "finish, so it may or may not have arrived; check with "
                                     "them, then use --resend if needed"))
    return pending, _extend(report, already_sent=already, uncertain=uncertain)


def _deliver(pending: Sequence[Recipient], messages: dict[str, EmailMessage],
             copies: dict[str, RecipientCopy], sender: str, archive: Archive, review_id: int,
             session: SmtpSession, report: SendReport) -> SendReport:
    """Per recipient: record 'sending' with the SHA-256 of their copy (committed), send one
    message, record the outcome."""
    sent: list[Outcome] = []
    refused: list[Outcome] = []
    uncertain: list[Outcome] = []
    for recipient in pending:
        key = address_key(recipient)
        message = messages[key]
        mid = str(message["Message-ID"])
        copy = copies.get(key)
        digest = copy.pdf.sha256 if copy is not None else None
        archive.record_delivery(review_id, key, "sending", message_id=mid, copy_sha256=digest,
                                at=utc_now())
        state, detail = session.deliver(message.as_bytes(), sender, recipient.address)
        if state == "uncertain":  # left 'sending': it is reported, never resent blindly
            uncertain.append(Outcome(str(recipient), detail))
            continue
        archive.record_delivery(review_id, key, state, message_id=mid, server_reply=detail,
                                copy_sha256=digest, at=utc_now())
        (sent if state == "sent" else refused).append(Outcome(str(recipient), detail))
    return _extend(report, sent=sent, refused=refused, uncertain=uncertain)


def _write_outbox(pending: Sequence[Recipient], messages: dict[str, EmailMessage],
                  folder: Path, report: SendReport) -> SendReport:
    written = []
    for recipient in pending:
        key = address_key(recipient)
        path = folder / "outbox" / f"{_UNSAFE_FILE_CHARS.sub('_', key)}.eml"
        atomic_write(path, messages[key].as_bytes())
        written.append(Outcome(str(recipient), str(path)))
    return _extend(report, written=written)


def _extend(report: SendReport, **outcomes: list[Outcome]) -> SendReport:
    return replace(report, **{name: getattr(report, name) + tuple(items)
                              for name, items in outcomes.items()})


def _when(delivery: Delivery) -> str:
    return f"{delivery.created_at:%Y-%m-%d %H:%M} UTC"


def send_cli_lines(report: SendReport) -> list[str]:
    """What `reportgen send` prints: one line per recipient, then a summary."""
    lines = [f"sent       {o.recipient}: {o.detail}" for o in report.sent]
    lines += [f"wrote      {o.detail} (to {o.recipient})" for o in report.written]
    lines += [f"skipped    {o.recipient}: {o.detail}" for o in report.already_sent]
    lines += [f"uncertain  {o.recipient}: {o.detail}" for o in report.uncertain]
    lines += [f"NOT SENT   {o.recipient}: {o.detail}" for o in report.refused]
    head = f"{report.partnership} {report.quarter} r{report.revision}"
    if report.dry_run:
        lines.append(f"{head}: dry run: {len(report.written)} message(s) written, nothing sent")
        return lines
    lines.append(f"{head}: {len(report.sent)} sent, {len(report.already_sent)} already sent, "
                 f"{len(report.refused)} not sent, {len(report.uncertain)} uncertain")
    if not (report.sent or report.refused):
        lines.append("nothing was sent: every recipient already has it or is uncertain "
                     "(--resend sends it again)")
    return lines
