"""`reportgen verify`: a PDF in, whether it is an untouched pack or copy this archive issued out.

    FILE ─ SHA-256 ─ archive.provenance.find_file ─▶ the revision it is (a pack as built) or a
      recipient's copy (whose delivery rows say to whom and when it was sent)
    FILE (+ its password, for an encrypted copy) ─ render.signing.check_signature (+ --trust)
      ─▶ intact, signer, time, trusted
    FILE's embedded scored review (pikepdf) ─ compared with the archived revision ─▶ matches?
      ─▶ VerifyReport: `valid` (exit 0) only when the file is known, its signature (if any)
         intact and trusted, and its embedded review the one archived

A file whose SHA-256 the archive does not know is "unknown", whatever its signature says: one
changed byte makes it so. The password (from --password-file: the passwords file `send` wrote,
where the copy's SHA-256 finds its line, or a file holding the password alone) is used to open
the file and never shown.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..archive.provenance import FileRecord, find_file
from ..archive.repository import Archive
from ..domain.language import NAMES, catalogue_of
from ..errors import ReportgenError
from ..outputs.layout import sha256
from ..render.signing import SignatureCheck, check_signature
from .copies import password_for
from .message import parse_recipient

_JSON = "scored-review.json"


@dataclass(frozen=True)
class VerifyReport:
    file: str
    sha256: str
    signature: SignatureCheck
    record: FileRecord | None  # None: the archive has no file with this SHA-256
    recipient: str = ""  # a copy's recipient, "Name <address>" when the list names them
    embedded: dict[str, Any] = field(default_factory=dict)  # partnership, quarter, score, status
    mismatches: tuple[str, ...] = ()  # how the embedded review differs from the archived one

    @property
    def valid(self) -> bool:
        signature_ok = (not self.signature.signed or self.signature.valid
                        or self.signature.locked)
        return self.record is not None and signature_ok and not self.mismatches

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1


def verify_pdf(path: Path, archive_url: str, *, trust: Path | None = None,
               password_file: Path | None = None) -> VerifyReport:
    """Check the PDF at `path` against the archive at `archive_url` (see the module text)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportgenError(f"{path}: cannot be read ({exc.strerror})") from None
    digest = sha256(data)
    password = None
    if password_file is not None:
        try:
            password = password_for(password_file, digest)
        except (OSError, UnicodeDecodeError) as exc:
            raise ReportgenError(f"{password_file}: cannot be read as a passwords file "
                                 f"({getattr(exc, 'strerror', None) or type(exc).__name__})"
                                 ) from None
    signature = check_signature(data, trust, password)
    with Archive.open(archive_url) as archive:
        record = find_file(archive, digest)
        recipient = _recipient(archive, record)
    embedded = _embedded(data, password)
    return VerifyReport(str(path), digest, signature, record, recipient, embedded,
                        _mismatches(record, embedded))


def _recipient(archive: Archive, record: FileRecord | None) -> str:
    """A copy's recipient as the distribution list names them, else their address."""
    if record is None or not record.deliveries:
        return ""
    address = record.deliveries[0].recipient
    for entry in archive.distribution(record.review.id):
        try:
            named = parse_recipient(entry)
        except ValueError:
            continue
        if named.address.lower() == address:
            return str(named)
    return address


def _embedded(data: bytes, password: str | None) -> dict[str, Any]:
    """The partnership, quarter, score and status of the scored review embedded in the PDF
    ({} when it cannot be opened or carries none)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), password=password or "") as pdf:
            spec = pdf.attachments.get(_JSON)
            if spec is None:
                return {}
            document = json.loads(spec.get_file().read_bytes())
        review = document["reviews"][0]
        return {"partnership": review["partnership"], "quarter": review["quarter"],
                "score": review["overall"]["score"], "status": review["overall"]["status"]}
    except Exception:  # damaged, encrypted without the password, or not reportgen's JSON
        return {}


def _mismatches(record: FileRecord | None, embedded: dict[str, Any]) -> tuple[str, ...]:
    if record is None or not embedded:
        return ()
    r = record.review
    archived = {"partnership": r.partnership, "quarter": r.quarter, "score": r.score,
                "status": r.status.value}
    return tuple(f"its embedded {key} is {embedded.get(key)!r}, the archive's {value!r}"
                 for key, value in archived.items() if embedded.get(key) != value)


def verify_lines(report: VerifyReport) -> list[str]:
    """What `reportgen verify` prints: signature, pack, inputs, copy, then the verdict."""
    s, record = report.signature, report.record
    lines = [f"signature  {_signature_text(s)}"]
    if record is not None:
        r = record.review
        lines.append(f"pack       {r.partnership}, {r.quarter}, revision {r.revision}"
                     + (f" ({record.kind}{_in(record.language)} as built)"
                        if record.kind != "copy" else ""))
    else:
        about = report.embedded
        lines.append("pack       unknown: no file with this SHA-256 "
                     f"({report.sha256[:12]}…) in the archive"
                     + (f"; it says it is {about['partnership']}, {about['quarter']}"
                        if about else ""))
    if record is not None:
        if report.mismatches:
            lines += [f"inputs     DIFFER: {m}" for m in report.mismatches]
        elif report.embedded:
            lines.append(f"inputs     the embedded scored review matches the archive's "
                         f"({report.embedded['score']}, {report.embedded['status']})")
        else:
            lines.append("inputs     not compared (no embedded review could be read; an "
                         "encrypted copy needs --password-file)")
    if record is not None and record.deliveries:
        last = record.deliveries[-1]
        lines.append(f"copy       made for {report.recipient}: {last.state} "
                     f"{last.created_at:%Y-%m-%d %H:%M} UTC"
                     + (f" ({last.server_reply})" if last.server_reply else ""))
    verdict = "valid" if report.valid else "NOT VALID: altered, or not issued by this archive"
    lines.append(f"verdict    {verdict}")
    return lines


def _in(language: str) -> str:
    """" in Japanese (ja)" for a file written in a reader's language, "" for the pack's own."""
    return f" in {NAMES[catalogue_of(language)]} ({language})" if language else ""


def _signature_text(s: SignatureCheck) -> str:
    if not s.signed:
        return f"none{f' ({s.problem})' if s.problem else ''}"
    if s.problem:
        return f"not checked: {s.problem}"
    when = f" at {s.signed_at:%Y-%m-%d %H:%M} UTC" if s.signed_at else ""
    trust = {None: "signer not checked against a trust root (--trust CERT)",
             True: "signer trusted", False: "signer NOT trusted by the given root"}[s.trusted]
    state = "intact" if s.intact else "BROKEN: the file changed after it was signed"
    return f"{state}; signed by {s.signer}{when}; {trust}"


def verify_json(report: VerifyReport) -> str:
    """The report as JSON, for scripts."""
    s, record = report.signature, report.record
    data: dict[str, Any] = {
        "file": report.file, "sha256": report.sha256, "valid": report.valid,
        "signature": {"signed": s.signed, "intact": s.intact, "trusted": s.trusted,
                      "signer": s.signer, "problem": s.problem or None,
                      "signed_at": s.signed_at.isoformat() if s.signed_at else None},
        "pack": None, "copy": None, "embedded": report.embedded or None,
        "mismatches": list(report.mismatches),
    }
    if record is not None:
        r = record.review
        data["pack"] = {"partnership": r.partnership, "quarter": r.quarter,
                        "revision": r.revision, "kind": record.kind,
                        "language": record.language or None}
    if record is not None and record.deliveries:
        data["copy"] = {"recipient": report.recipient, "deliveries": [
            {"state": d.state, "at": d.created_at.isoformat(), "server_reply": d.server_reply}
            for d in record.deliveries]}
    return json.dumps(data, indent=2, ensure_ascii=False)
