"""E-mail messages (pure): a pack to send and a recipient in, an `EmailMessage` out.

Every address and header value is checked by `header_problem` before it goes into a header: a
line break or NUL could start a new header, and an RFC 2047 encoded word would be decoded into
one. The subject and bodies come from the Jinja templates (user-overridable in the settings'
template folder): `email/subject.txt.j2`, `email/body.txt.j2`, `email/body.html.j2`; each receives
`message`, a `MessageView`, which opens with the pack's headline and the decisions it requests
(the pack's own words, kept in its manifest). See docs/email.md.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment

from ..domain.addresses import AddressError
from ..domain.addresses import parse_recipient as domain_parse_recipient
from ..domain.model import Quarter, Recipient, Status
from ..domain.text import strip_bidi
from ..errors import ReportgenError
from ..present.language import quarter_label, speaking, term
from ..render.html import render_template

SUBJECT = "email/subject.txt.j2"
BODY_TEXT = "email/body.txt.j2"
BODY_HTML = "email/body.html.j2"
MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bq]\?[^?]*\?=", re.IGNORECASE)

@dataclass(frozen=True)
class PackFile:
    kind: str  # "pdf" or "docx"
    name: str
    data: bytes
    sha256: str  # of `data`, equal to the digest archived when the pack was built


@dataclass(frozen=True)
class RequestedDecision:
    """A decision the pack asks of the meeting, as the pack prints it."""

    id: str
    decision: str
    owner: str
    due: str  # "31 Oct 2025", or ""
    overdue: str  # "14 days overdue", or ""


@dataclass(frozen=True)
class PackToSend:
    """One archived revision of a pack, with the bytes of the files to attach."""

    review_id: int
    partnership: str
    quarter: Quarter
    revision: int
    score: int
    status: Status
    exceptions: int | None  # the manifest's exception count; None when it records none
    folder: Path  # the revision folder r<N>
    pdf: PackFile
    docx: PackFile | None  # read only when the Word file is to be attached
    headline: tuple[str, ...] = ()  # the pack's headline; () for a pack built before it had one
    decisions: tuple[RequestedDecision, ...] = ()  # the decisions requested of the meeting
    language: str = "en"  # the pack's (its manifest's): the e-mail's fixed words speak it


@dataclass(frozen=True)
class MessageView:
    """What the email templates receive as `message`."""

    partnership: str
    quarter: str  # "Q3 2025"
    revision: int
    score: int
    status: str  # "Green", "Amber", "Red"
    exceptions: int | None  # None: not known for this pack
    recipient_name: str  # "" for a bare address
    sender_name: str  # "" for a bare address
    attachments: tuple[str, ...]  # file names
    headline: tuple[str, ...] = ()  # the pack's headline sentences (none for an older pack)
    decisions: tuple[RequestedDecision, ...] = ()  # requested of the meeting, earliest due first
    language: str = "en"  # the BCP 47 tag the message is written in (the pack's)
    protected: bool = False  # the attachments open with a password that reaches them otherwise


def header_problem(value: str) -> str | None:
    """Why `value` must not go into a mail header, or None when it is safe.

    A line break or NUL could start a new header (`Bcc:`); an RFC 2047 encoded word (`=?…?=`)
    is decoded by mail programs, and by Python's own header parser, into one.
    """
    if any(char in value for char in "\r\n\x00"):
        return "contains a line break or NUL character"
    if _ENCODED_WORD.search(value):
        return "contains an encoded word (=?…?=), which mail programs would decode"
    return None


def parse_recipient(text: str) -> Recipient:
    """`Name <name@example.com>` or a bare address → `Recipient`; ValueError says why not."""
    problem = header_problem(text)
    if problem:
        raise ValueError(problem)
    try:
        return domain_parse_recipient(text)
    except AddressError as exc:
        reason = f" ({exc.reason})" if exc.reason else ""
        raise ValueError(f"is not an address like Name <name@example.com> or "
                         f"name@example.com{reason}") from None


def parse_recipients(values: Sequence[str], source: str) -> list[Recipient]:
    """Every value parsed, one per address (the first wins); any bad one is a ReportgenError
    naming every bad value."""
    found: dict[str, Recipient] = {}
    bad = []
    for value in values:
        try:
            recipient = parse_recipient(value)
        except ValueError as exc:
            bad.append(f"{source}: {value!r} {exc}")
            continue
        found.setdefault(address_key(recipient), recipient)
    if bad:
        raise ReportgenError("\n".join([*bad, "nothing was sent"]))
    return list(found.values())


def address_key(recipient: Recipient) -> str:
    """How deliveries are archived: the address, case-folded."""
    return recipient.address.lower()


def sender_of(text: str) -> Recipient:
    if not text.strip():
        raise ReportgenError("no sender: set smtp.sender in reportgen.toml or REPORTGEN_SMTP_FROM")
    try:
        return parse_recipient(text)
    except ValueError as exc:
        raise ReportgenError(f"smtp.sender (REPORTGEN_SMTP_FROM): {text!r} {exc}") from None


def build_message(pack: PackToSend, recipient: Recipient, sender: str, env: Environment,
                  attach_docx: bool, *, date: dt.datetime,
                  copy: tuple[PackFile, PackFile | None, bool] | None = None) -> EmailMessage:
    """The email that carries `pack` to `recipient`: subject and bodies from the templates, the
    PDF (and with `attach_docx` the Word file) attached, a Message-ID derived from the pack and
    the recipient; with `copy` (the recipient's own PDF, Word file and whether they are
    password-protected) those files instead. A header value that `header_problem` rejects is a
    ReportgenError, and a failing user template a RenderError naming its file and line."""
    source = sender_of(sender)
    problem = header_problem(recipient.name) or header_problem(recipient.address)
    if problem:
        raise ReportgenError(f"recipient {str(recipient)!r} {problem}; nothing was sent")
    pdf, docx, protected = copy if copy is not None else (pack.pdf, pack.docx, False)
    files = [pdf] + ([docx] if attach_docx and docx else [])
    with speaking(pack.language):
        return _message(pack, recipient, source, env, files, date, protected)


def _message(pack: PackToSend, recipient: Recipient, source: Recipient, env: Environment,
             files: list[PackFile], date: dt.datetime, protected: bool) -> EmailMessage:
    view = MessageView(
        partnership=pack.partnership,
        quarter=quarter_label(pack.quarter),
        revision=pack.revision,
        score=pack.score,
        status=term(pack.status),
        exceptions=pack.exceptions,
        recipient_name=recipient.name,
        sender_name=source.name,
        attachments=tuple(f.name for f in files),
        headline=pack.headline,
        decisions=pack.decisions,
        language=pack.language,
        protected=protected,
    )
    # The PDF's word-breaking `finalize` (zero-width spaces) has no place in mail; the text
    # parts are not HTML. No cache: the overlays must compile the templates themselves.
    html = env.overlay(finalize=None, cache_size=0)
    plain = env.overlay(finalize=None, cache_size=0, autoescape=False)
    subject = strip_bidi(render_template(plain, SUBJECT, message=view)).strip()
    problem = header_problem(subject)
    if problem:
        raise ReportgenError(f"the subject ({SUBJECT}) {problem}: {subject!r}; nothing was sent")

    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = Address(display_name=source.name, addr_spec=source.address)
    message["To"] = Address(display_name=recipient.name, addr_spec=recipient.address)
    message["Subject"] = subject
    message["Date"] = format_datetime(date.astimezone(dt.UTC))
    message["Message-ID"] = message_id(pack, recipient, source.address)
    message.set_content(render_template(plain, BODY_TEXT, message=view), cte="quoted-printable")
    message.add_alternative(render_template(html, BODY_HTML, message=view), subtype="html",
                            cte="quoted-printable")
    for file in files:
        maintype, subtype = MIME_TYPES[file.kind]
        message.add_attachment(file.data, maintype, subtype, filename=file.name)
    return message


def message_id(pack: PackToSend, recipient: Recipient, sender_address: str) -> str:
    """The same for every send of this pack to this recipient, on the sender's domain."""
    key = f"{pack.review_id}\x00{pack.pdf.sha256}\x00{address_key(recipient)}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
    return f"<qbr.{digest}@{sender_address.rpartition('@')[2]}>"
