"""Each recipient's copy: the issued pack + one recipient in, the files that recipient is sent out.

    settings ([delivery], [signing]) + send --watermark ─ plan_copies ─▶ CopyPlan (the signer
      loaded, the password source checked: a bad one stops the run before anything is sent)
    PackToSend + Recipient ─ make_copy ─▶ RecipientCopy
      PDF: marked "Prepared for NAME, ORGANISATION · DATE · CONFIDENTIAL" on every page
        (render.stamp) ─▶ encrypted, AES-256 R6, printing allowed and changes not (pikepdf, with
        a random owner password that is then forgotten) ─▶ signed (render.signing)
      Word file (--attach-docx): the same line under every footer (render.word.mark) ─▶
        encrypted with the same password (msoffcrypto-tool)

`make_copy` is the one seam a recipient's copy goes through (a per-recipient language would be
decided here too). The password is the recipient's own (generated with `secrets`), or read
from the environment variable or the command `[delivery]` names; it goes into the file and,
when generated, into `passwords.txt` (0600, written by `write_password` before the message
goes out) and nowhere else: not the archive, the e-mail, the output or an error.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import shlex
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Settings
from ..domain.measures import format_date
from ..domain.model import Recipient
from ..errors import ReportgenError
from ..outputs.layout import sha256
from ..present.language import gettext, speaking
from ..render.signing import Signer, load_signer
from .message import PackFile, PackToSend

_COMMAND_TIMEOUT = 30  # seconds a password command may take


@dataclass(frozen=True)
class CopyPlan:
    """What is done to every recipient's copy; `personal` False: all get the pack as built."""

    watermark: bool = False
    encrypt: bool = False
    signer: Signer | None = None
    font: str = "Inter"
    date_format: str = "%-d %b %Y"
    password_env: str = ""
    password: str = field(default="", repr=False)  # from password_env, when named
    password_command: str = ""

    @property
    def personal(self) -> bool:
        return self.watermark or self.encrypt or self.signer is not None


@dataclass(frozen=True)
class RecipientCopy:
    """The files one recipient is sent, and the password that opens them (None: not encrypted)."""

    pdf: PackFile
    docx: PackFile | None
    password: str | None = field(default=None, repr=False)
    generated: bool = False  # the password was made here: it goes into the passwords file
    mark: str = ""  # the line marked on every page ("" when not watermarked)


def plan_copies(settings: Settings, watermark: bool = False) -> CopyPlan:
    """The plan `settings` (and `send --watermark`) ask for; a signing certificate that does not
    open, or a password variable that is not set, is a ReportgenError before anything is sent."""
    d = settings.delivery
    try:
        signer = load_signer(settings.signing)
    except ReportgenError as exc:
        raise ReportgenError(f"{exc}; nothing was sent") from None
    password = ""
    if d.encrypt and d.password_env:
        password = os.environ.get(d.password_env, "")
        if not password:
            raise ReportgenError(f"delivery.password_env: the variable {d.password_env} is not "
                                 "set; nothing was sent")
    return CopyPlan(watermark=watermark or d.watermark, encrypt=d.encrypt, signer=signer,
                    font=settings.branding.font, date_format=settings.date_format,
                    password_env=d.password_env, password=password,
                    password_command=d.password_command if d.encrypt else "")


def mark_text(recipient: Recipient, when: dt.datetime, date_format: str) -> str:
    """"Prepared for NAME, ORGANISATION · DATE · CONFIDENTIAL": the organisation is the
    address's domain (the distribution list names people, not their companies). The name is a
    bidi isolate (FSI … PDI), so a right-to-left name, or a direction control inside it, cannot
    reorder the rest of the line."""
    name = recipient.name or recipient.address
    organisation = recipient.address.rpartition("@")[2]
    return gettext("Prepared for {name}, {organisation} · {date} · CONFIDENTIAL").format(
        name=f"\u2068{name}\u2069", organisation=organisation,
        date=format_date(when.date(), date_format))


def make_copy(pack: PackToSend, recipient: Recipient, plan: CopyPlan,
              when: dt.datetime) -> RecipientCopy:
    """`recipient`'s copy of `pack`: marked, encrypted and signed as `plan` says."""
    if not plan.personal:
        return RecipientCopy(pack.pdf, pack.docx)
    data = pack.pdf.data
    mark = ""
    if plan.watermark:
        from ..render.stamp import stamp_pdf

        with speaking(pack.language):  # the pack's, as its own words are
            mark = mark_text(recipient, when, plan.date_format)
        data = stamp_pdf(data, mark, plan.font)
    password, generated, owner = None, False, None
    docx = pack.docx
    if plan.watermark and docx is not None:
        from ..render.word.mark import mark_docx

        docx = _file(docx, mark_docx(docx.data, mark))
    if plan.encrypt:
        password, generated = _password(plan, recipient)
        owner = secrets.token_urlsafe(32)  # lets the signer add its signature; then forgotten
        data = _rewrite(data, password, owner)
        if docx is not None:
            docx = _file(docx, _encrypt_docx(docx.data, password))
    elif not plan.watermark:  # signed only: the master's signature makes way for the copy's
        data = _rewrite(data)
    if plan.signer is not None:
        data = plan.signer.sign(data, owner)
    return RecipientCopy(_file(pack.pdf, data), docx, password, generated, mark)


def write_password(path: Path, recipient: Recipient, password: str, copy_sha256: str) -> None:
    """Append `address<TAB>password<TAB>SHA-256 of the copy` to `path`, readable by its owner
    only (0600), on disk before this returns."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, f"{recipient.address}\t{password}\t{copy_sha256}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def password_for(path: Path, copy_sha256: str) -> str | None:
    """The password `write_password` kept for the copy whose SHA-256 is `copy_sha256`; a file
    holding one line without tabs is taken as the password itself."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(lines) == 1 and "\t" not in lines[0]:
        return lines[0].strip()
    for line in reversed(lines):
        parts = line.split("\t")
        if len(parts) == 3 and parts[2] == copy_sha256:
            return parts[1]
    return None


def _password(plan: CopyPlan, recipient: Recipient) -> tuple[str, bool]:
    """(the recipient's password, whether it was generated here)."""
    if plan.password_env:
        return plan.password, False
    if plan.password_command:
        return _from_command(plan.password_command, recipient), False
    return secrets.token_urlsafe(15), True  # 20 characters, 120 bits


def _from_command(command: str, recipient: Recipient) -> str:
    words = shlex.split(command)  # a command line: checked when the settings were read
    where = f"delivery.password_command ({words[0] if words else ''})"
    try:
        done = subprocess.run(words, capture_output=True, check=False,
                              timeout=_COMMAND_TIMEOUT,
                              env={**os.environ, "REPORTGEN_RECIPIENT": recipient.address})
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        reason = "took too long" if isinstance(exc, subprocess.TimeoutExpired) else \
            getattr(exc, "strerror", None) or type(exc).__name__
        raise ReportgenError(f"{where}: cannot be run ({reason}); nothing was sent") from None
    password = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not password:  # its output is never shown: it may be a secret
        raise ReportgenError(f"{where}: gave no password for {recipient.address} (exit status "
                             f"{done.returncode}); nothing was sent")
    return password


def _rewrite(data: bytes, password: str | None = None, owner: str = "") -> bytes:
    """`data` without its signatures (a copy's bytes are not those signed) and, given
    `password`, encrypted with it: AES-256 (R6), printing allowed and changes not."""
    import pikepdf

    from ..render.stamp import drop_signatures

    encryption: pikepdf.Encryption | bool = False
    if password is not None:
        allow = pikepdf.Permissions(accessibility=True, extract=True, print_lowres=True,
                                    print_highres=True, modify_annotation=False,
                                    modify_assembly=False, modify_form=False, modify_other=False)
        encryption = pikepdf.Encryption(user=password, owner=owner, R=6, allow=allow)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        drop_signatures(pdf)
        out = io.BytesIO()
        pdf.save(out, encryption=encryption)
    return out.getvalue()


def _encrypt_docx(data: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def _file(original: PackFile, data: bytes) -> PackFile:
    return replace(original, data=data, sha256=sha256(data))
