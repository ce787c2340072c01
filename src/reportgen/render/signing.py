"""PAdES signatures: PDF bytes + the configured PKCS#12 certificate in, signed PDF bytes out; and
a signed PDF + a trust root in, what its signature says out.

    [signing] pkcs12 + its passphrase (from the variable passphrase_env names)
      ─ load_signer ─▶ Signer (the key, held in memory for the run)
    PDF bytes ─ Signer.sign (pyHanko, an incremental update: the signed file is the input plus
      a signature over every byte; an encrypted file is signed with its owner password) ─▶ bytes
    PDF bytes (+ trust root, + password) ─ check_signature ─▶ SignatureCheck

The master is signed at build and each recipient's copy at send, so the SHA-256 a manifest or
the delivery log keeps is of the signed bytes. The passphrase goes to the PKCS#12 decoder only;
no error text carries it. pyHanko is imported inside these functions, so commands that sign
nothing do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import SigningSettings
from ..errors import ReportgenError

FIELD = "reportgen-signature"


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says. `signed` False: the file carries no signature."""

    signed: bool
    intact: bool = False  # not a byte of the signed range changed, and it covers the whole file
    trusted: bool | None = None  # None: no trust root given, so the signer was not checked
    signer: str = ""  # the certificate's subject, as people read it
    signed_at: dt.datetime | None = None
    problem: str = ""  # why the signature could not be read or checked, when it could not
    locked: bool = False  # encrypted and no password given: the signature was not checked

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted is not False and not self.problem


class Signer:
    """A loaded signing key: signs PDF bytes with a PAdES (ETSI.CAdES.detached) signature."""

    def __init__(self, signer: Any, source: str) -> None:
        self._signer = signer
        self.source = source  # "signing.pkcs12 (<path>)", for messages

    def sign(self, data: bytes, owner_password: str | None = None) -> bytes:
        """`data` signed over every byte; `owner_password` for a file encrypted with one."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            if owner_password is not None:
                writer.encrypt(owner_password)
            meta = signers.PdfSignatureMetadata(
                field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
            out = io.BytesIO()
            signers.sign_pdf(writer, meta, signer=self._signer, output=out)
        except Exception as exc:  # pyHanko's errors name the file's structure, never a secret
            raise ReportgenError(f"{self.source}: signing the PDF failed "
                                 f"({type(exc).__name__}: {exc})") from None
        return out.getvalue()


def load_signer(signing: SigningSettings) -> Signer | None:
    """The configured signer, or None when `[signing] pkcs12` is not set. A missing file or
    passphrase, or one that does not open it, is a one-line ReportgenError naming the key."""
    if signing.pkcs12 is None:
        return None
    source = f"signing.pkcs12 ({signing.pkcs12})"
    if not signing.passphrase:
        raise ReportgenError(f"{source}: its passphrase is not set: put it in the environment "
                             f"variable {signing.passphrase_env} (signing.passphrase_env)")
    try:
        data = Path(signing.pkcs12).read_bytes()
    except OSError as exc:
        raise ReportgenError(f"{source}: cannot be read ({exc.strerror})") from None
    with warnings.catch_warnings():  # pyHanko's import warns of DSA's deprecation
        warnings.simplefilter("ignore")
        from pyhanko.sign import signers
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, [], passphrase=signing.passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise ReportgenError(f"{source}: cannot be opened with the passphrase in "
                             f"{signing.passphrase_env}: a wrong passphrase, or not a PKCS#12 "
                             "file with a key and a certificate")
    return Signer(signer, source)


def check_signature(data: bytes, trust: Path | None = None,
                    password: str | None = None) -> SignatureCheck:
    """The last signature of `data`, checked: intact over the whole file, and (given `trust`, a
    PEM or DER CA certificate) made by a certificate that chains to it. `password` opens an
    encrypted file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyhanko.keys import load_cert_from_pemder
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            if password is None:
                return SignatureCheck(True, problem="the file is encrypted: give its password "
                                                    "(--password-file) to check its signature",
                                      locked=True)
            if reader.decrypt(password).status.name == "FAILED":
                return SignatureCheck(True, problem="the password does not open the file")
        signatures = reader.embedded_signatures
    except Exception as exc:
        return SignatureCheck(False, problem=f"not a readable PDF ({type(exc).__name__})")
    if not signatures:
        return SignatureCheck(False)
    context = None
    if trust is not None:
        try:
            context = ValidationContext(trust_roots=[load_cert_from_pemder(str(trust))])
        except Exception as exc:
            raise ReportgenError(f"{trust}: not a certificate ({type(exc).__name__})") from None
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:
        return SignatureCheck(True, problem=f"the signature cannot be checked "
                                            f"({type(exc).__name__}: {exc})")
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid and whole),
        trusted=bool(status.trusted) if context is not None else None,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
    )
