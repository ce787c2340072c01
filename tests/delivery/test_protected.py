"""Packs that leave the building safely: a throwaway CA and signing certificate (cryptography), a
pack built and signed with it, and copies sent to a local aiosmtpd server, each marked for its
recipient, encrypted with its own password and signed; then `reportgen verify` on them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from delivery.test_send import KEY, SENDER, SLUG, Capture, Serve
from reportgen.archive.repository import Archive
from reportgen.cli import main
from reportgen.config import DeliverySettings, Settings, SigningSettings, Smtp
from reportgen.delivery.send import send_pack
from reportgen.errors import ReportgenError
from reportgen.render.signing import check_signature
from workbooks import write_example

PASSPHRASE = "Sign-Pa55phrase-91ab"
MARCUS = "Marcus Lee <marcus.lee@techdrive.example>"
ELENA = "Elena Ortiz <elena.ortiz@techdrive.example>"


@dataclass(frozen=True)
class Certs:
    ca: Path  # the CA certificate (PEM): the trust root
    pkcs12: Path  # the signer's key and certificate, protected by PASSPHRASE
    other_ca: Path  # a CA that signed nothing here


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _ca(common: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    root = tmp_path_factory.mktemp("certs")
    ca_key, ca = _ca("Test QBR CA")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name("FinCorp QBR Office"))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    (root / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (root / "signer.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"qbr", key, cert, [ca], serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    (root / "other.pem").write_bytes(_ca("Other CA")[1].public_bytes(
        serialization.Encoding.PEM))
    return Certs(root / "ca.pem", root / "signer.p12", root / "other.pem")


def config(certs: Certs, tmp: Path, port: int = 25, **delivery: object) -> Path:
    """A reportgen.toml signing with the test certificate, delivering as `delivery` says."""
    lines = ["[signing]", f'pkcs12 = "{certs.pkcs12}"', f'trust = "{certs.ca}"', "",
             "[smtp]", 'host = "127.0.0.1"', f"port = {port}", 'security = "none"',
             f'sender = "{SENDER}"', "", "[delivery]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in delivery.items()]
    path = tmp / "reportgen.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def signed(tmp_path_factory: pytest.TempPathFactory, certs: Certs) -> Path:
    """The example pack built with the signing certificate: the outputs folder."""
    root = tmp_path_factory.mktemp("signed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1759311000")
        mp.setenv("REPORTGEN_SIGNING_PASSPHRASE", PASSPHRASE)
        mp.chdir(root)
        workbook = write_example(root / "fincorp-techdrive-2025-Q3.xlsx", quarter=3)
        assert main(["build", str(workbook), "--out", str(root / "outputs"), "--format",
                     "pdf,docx", "--config", str(config(certs, root))]) == 0
    return root / "outputs"


@pytest.fixture
def pack(signed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copytree(signed, tmp_path / "outputs")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORTGEN_SIGNING_PASSPHRASE", PASSPHRASE)
    yield tmp_path / "outputs" / SLUG / "2025-Q3" / "r1"


def master(pack: Path) -> Path:
    return pack / f"{SLUG}-2025-Q3-qbr.pdf"


def settings(certs: Certs, port: int, passphrase: str = PASSPHRASE,
             **delivery: object) -> Settings:
    return Settings(smtp=Smtp(host="127.0.0.1", port=port, security="none", sender=SENDER,
                              timeout=10),
                    signing=SigningSettings(pkcs12=certs.pkcs12, trust=certs.ca,
                                            passphrase=passphrase),
                    delivery=DeliverySettings(**delivery))  # type: ignore[arg-type]


def received_pdfs(handler: Capture) -> dict[str, bytes]:
    return {rcpt[0]: next(p.get_content() for p in message.iter_attachments()
                          if p.get_filename().endswith(".pdf"))
            for _, rcpt, message in handler.received}


def passwords(pack: Path) -> dict[str, str]:
    lines = (pack / "passwords.txt").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0]: line.split("\t")[1] for line in lines}


def verify(file: Path, pack: Path, capsys: pytest.CaptureFixture[str], *extra: str
           ) -> tuple[int, str]:
    code = main(["verify", str(file), "--archive",
                 f"sqlite:///{pack.parents[2] / 'archive.sqlite'}", *extra])
    return code, capsys.readouterr().out


# --- the master, signed at build -------------------------------------------------------------

def test_the_built_pack_is_signed_and_its_manifest_digest_is_of_the_signed_bytes(
        pack: Path, certs: Certs) -> None:
    data = master(pack).read_bytes()
    check = check_signature(data, certs.ca)
    assert check.valid and check.intact and check.trusted
    assert "FinCorp QBR Office" in check.signer
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    import hashlib
    assert next(o["sha256"] for o in manifest["outputs"] if o["kind"] == "pdf") == \
        hashlib.sha256(data).hexdigest()


def test_verify_says_the_master_is_valid_and_which_revision_it_is(
        pack: Path, certs: Certs, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(master(pack), pack, capsys, "--trust", str(certs.ca))
    assert code == 0, out
    assert "intact; signed by" in out and "signer trusted" in out
    assert "FinCorp–TechDrive Wealth Platform, 2025-Q3, revision 1" in out
    assert "matches the archive's (83, Amber)" in out
    code, out = verify(master(pack), pack, capsys, "--trust", str(certs.other_ca), "--json")
    assert code == 1 and json.loads(out)["signature"]["trusted"] is False


def test_a_wrong_passphrase_at_build_writes_nothing(
        certs: Certs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORTGEN_SIGNING_PASSPHRASE", "not-the-passphrase")
    workbook = write_example(tmp_path / "w.xlsx", quarter=3)
    code = main(["build", str(workbook), "--out", str(tmp_path / "outputs"),
                 "--config", str(config(certs, tmp_path))])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "signing.pkcs12" in err and "nothing was written" in err
    assert "not-the-passphrase" not in err and "Traceback" not in err
    assert not (tmp_path / "outputs").exists()


# --- each recipient's copy -------------------------------------------------------------------

def test_each_copy_is_marked_encrypted_and_signed_for_its_recipient_and_verify_names_them(
        pack: Path, certs: Certs, serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    handler, port = serve()
    report = send_pack(pack, to=(MARCUS, ELENA), attach_docx=False, dry_run=False,
                       resend=False, archive_url=None,
                       settings=settings(certs, port, watermark=True, encrypt=True))
    assert report.exit_code == 0 and len(report.sent) == 2
    copies, keys = received_pdfs(handler), passwords(pack)
    assert stat.S_IMODE(os.stat(pack / "passwords.txt").st_mode) == 0o600
    assert keys["marcus.lee@techdrive.example"] != keys["elena.ortiz@techdrive.example"]
    for address, name, other in (("marcus.lee@techdrive.example", "Marcus Lee", "Elena"),
                                 ("elena.ortiz@techdrive.example", "Elena Ortiz", "Marcus")):
        data = copies[address]
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(io.BytesIO(data))
        other_key = keys[next(a for a in keys if a != address)]
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(io.BytesIO(data), password=other_key)
        with pikepdf.open(io.BytesIO(data), password=keys[address]) as pdf:
            assert pdf.encryption.R == 6 and pdf.encryption.bits == 256
            assert pdf.allow.print_highres and not pdf.allow.modify_other
        with pdfplumber.open(io.BytesIO(data), password=keys[address]) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
        with pikepdf.open(pack / f"{SLUG}-2025-Q3-qbr.pdf") as built:  # every page marked
            assert len(pages) == len(built.pages) > 1
        assert all(f"Prepared for {name}, techdrive.example" in text and "CONFIDENTIAL" in text
                   for text in pages)
        assert not any(other in text.split("Prepared for")[1] for text in pages)
        check = check_signature(data, certs.ca, keys[address])
        assert check.valid and check.trusted
        for message in (m for _, rcpt, m in handler.received if rcpt == [address]):
            assert keys[address] not in message.as_string()
            assert "password that reaches you separately" in message.get_body(
                ("plain",)).get_content()
        copy = pack.parent / f"{address}.pdf"
        copy.write_bytes(data)
        code, out = verify(copy, pack, capsys, "--trust", str(certs.ca), "--password-file",
                           str(pack / "passwords.txt"))
        assert code == 0, out
        assert f"made for {name} <{address}>: sent" in out
        assert "revision 1" in out and "matches the archive's" in out
    # the master is untouched, and no password is kept in the archive
    assert check_signature(master(pack).read_bytes(), certs.ca).valid
    archive_bytes = (pack.parents[2] / "archive.sqlite").read_bytes()
    assert not any(key.encode() in archive_bytes for key in keys.values())


def test_a_copy_with_one_byte_changed_fails_verify(
        pack: Path, certs: Certs, serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    handler, port = serve()
    send_pack(pack, to=(MARCUS,), attach_docx=False, dry_run=False, resend=False,
              archive_url=None, settings=settings(certs, port, watermark=True))
    data = bytearray(received_pdfs(handler)["marcus.lee@techdrive.example"])
    copy = pack.parent / "copy.pdf"
    copy.write_bytes(bytes(data))
    code, out = verify(copy, pack, capsys, "--trust", str(certs.ca))
    assert code == 0 and "made for Marcus Lee" in out, out
    middle = len(data) // 2
    data[middle] = (data[middle] + 1) % 256
    copy.write_bytes(bytes(data))
    code, out = verify(copy, pack, capsys, "--trust", str(certs.ca), "--json")
    result = json.loads(out)
    assert code == 1 and result["valid"] is False and result["pack"] is None
    assert result["signature"]["intact"] is False


def test_a_wrong_passphrase_sends_nothing_and_never_shows_it(
        pack: Path, certs: Certs, serve: Serve, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    handler, port = serve()
    with pytest.raises(ReportgenError) as caught:
        send_pack(pack, to=(MARCUS,), attach_docx=False, dry_run=False, resend=False,
                  archive_url=None, settings=settings(certs, port, "wrong-Pa55", encrypt=True))
    assert "signing.pkcs12" in str(caught.value) and "nothing was sent" in str(caught.value)
    assert "wrong-Pa55" not in str(caught.value)
    assert not handler.received and not (pack / "passwords.txt").exists()
    monkeypatch.setenv("REPORTGEN_SIGNING_PASSPHRASE", "wrong-Pa55")
    code = main(["send", str(pack), "--to", MARCUS, "--watermark", "--config",
                 str(config(certs, pack.parent, port))])
    out = capsys.readouterr()
    assert code == 1 and out.err.count("\n") == 1 and "wrong-Pa55" not in out.err + out.out
    assert not handler.received
    with Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}") as archive:
        review = archive.find_review(KEY, "2025-Q3", 1)
        assert review is not None and archive.delivery_states(review.id) == {}


def test_a_rerun_sends_nothing_twice_and_each_copy_is_logged_before_it_goes(
        pack: Path, certs: Certs, serve: Serve) -> None:
    handler, port = serve(Capture(refuse=("elena.ortiz@techdrive.example",)))
    config_ = settings(certs, port, watermark=True, encrypt=True)
    first = send_pack(pack, to=(MARCUS, ELENA), attach_docx=False, dry_run=False, resend=False,
                      archive_url=None, settings=config_)
    assert len(first.sent) == 1 and len(first.refused) == 1
    again = send_pack(pack, to=(MARCUS, ELENA), attach_docx=False, dry_run=False,
                      resend=False, archive_url=None, settings=config_)
    assert len(again.already_sent) == 1 and len(again.refused) == 1  # only Elena tried again
    assert len(handler.received) == 1
    with Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}") as archive:
        from reportgen.archive.provenance import find_file

        review = archive.find_review(KEY, "2025-Q3", 1)
        assert review is not None
        sent = archive.delivery_states(review.id)["marcus.lee@techdrive.example"]
        record = find_file(archive, sent.copy_sha256)
    assert record is not None and [d.state for d in record.deliveries] == ["sending", "sent"]
    assert record.deliveries[0].copy_sha256 == record.deliveries[1].copy_sha256
    import hashlib
    assert hashlib.sha256(received_pdfs(handler)["marcus.lee@techdrive.example"]).hexdigest() \
        == sent.copy_sha256


@pytest.mark.parametrize("watermark", [False, True])
def test_attach_docx_with_encryption_encrypts_the_word_file_too_and_marks_it(
        pack: Path, certs: Certs, serve: Serve, watermark: bool) -> None:
    """The Word copy opens with the recipient's password only; marked, every footer (the
    title page's too) ends with the mark the PDF carries, and the body is the pack's."""
    import msoffcrypto
    from docx import Document

    handler, port = serve()
    send_pack(pack, to=(MARCUS,), attach_docx=True, dry_run=False, resend=False,
              archive_url=None, settings=settings(certs, port, encrypt=True,
                                                  watermark=watermark))
    (_, _, message), = handler.received
    docx = next(p.get_content() for p in message.iter_attachments()
                if p.get_filename().endswith(".docx"))
    office = msoffcrypto.OfficeFile(io.BytesIO(docx))
    assert office.is_encrypted()
    office.load_key(password=passwords(pack)["marcus.lee@techdrive.example"])
    out = io.BytesIO()
    office.decrypt(out)
    assert out.getvalue()[:2] == b"PK"
    copy = Document(out)
    built = Document(str(master(pack).with_suffix(".docx")))
    assert [p.text for p in copy.paragraphs] == [p.text for p in built.paragraphs]
    section = copy.sections[0]
    lasts = [story.paragraphs[-1].text for story in (section.footer, section.first_page_footer)]
    if watermark:
        assert all(t.startswith("Prepared for \u2068Marcus Lee\u2069, techdrive.example · ")
                   and t.endswith(" · CONFIDENTIAL") for t in lasts), lasts
        run = section.footer.paragraphs[-1].runs[0]
        assert run.font.size.pt == 7 and run.font.bold
    else:
        assert not any("Prepared for" in t for t in lasts)


def test_password_from_an_environment_variable_and_a_missing_one(
        pack: Path, certs: Certs, serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    handler, port = serve()
    config_ = settings(certs, port, encrypt=True, password_env="QBR_PDF_PASSWORD")
    with pytest.raises(ReportgenError, match=r"delivery.password_env: the variable "
                                             r"QBR_PDF_PASSWORD is not set; nothing was sent"):
        send_pack(pack, to=(MARCUS,), attach_docx=False, dry_run=False, resend=False,
                  archive_url=None, settings=config_)
    monkeypatch.setenv("QBR_PDF_PASSWORD", "Shared-Secret-55")
    send_pack(pack, to=(MARCUS,), attach_docx=False, dry_run=False, resend=False,
              archive_url=None, settings=config_)
    data = received_pdfs(handler)["marcus.lee@techdrive.example"]
    pikepdf.open(io.BytesIO(data), password="Shared-Secret-55").close()
    assert not (pack / "passwords.txt").exists()  # nothing generated, nothing written


def test_a_passphrase_in_the_file_is_refused(tmp_path: Path) -> None:
    from reportgen.config import load_settings
    from reportgen.errors import ConfigError

    path = tmp_path / "reportgen.toml"
    path.write_text('[signing]\npassphrase = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"signing.passphrase: keep the passphrase out"):
        load_settings(path, env={})


def test_no_password_or_passphrase_appears_in_output_logs_archive_or_mail(
        pack: Path, certs: Certs, serve: Serve, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    handler, port = serve()
    caplog.set_level(logging.DEBUG)
    toml = config(certs, pack.parent, port, watermark=True, encrypt=True)
    assert main(["send", str(pack), "--config", str(toml)]) == 0
    assert main(["send", str(pack), "--config", str(toml), "--dry-run", "--resend",
                 "--to", MARCUS]) == 0
    assert main(["verify", str(master(pack)), "--config", str(toml), "--archive",
                 f"sqlite:///{pack.parents[2] / 'archive.sqlite'}"]) == 0
    out = capsys.readouterr()
    secrets = [PASSPHRASE, *passwords(pack).values(),
               *passwords(pack / "outbox").values()]
    assert len(secrets) == 5
    seen = [out.out, out.err, caplog.text, *(m.as_string() for _, _, m in handler.received),
            *(p.read_text(encoding="utf-8") for p in (pack / "outbox").glob("*.eml"))]
    archive_bytes = (pack.parents[2] / "archive.sqlite").read_bytes()
    for secret in secrets:
        assert not any(secret in text for text in seen)
        assert secret.encode() not in archive_bytes
    assert stat.S_IMODE(os.stat(pack / "outbox" / "passwords.txt").st_mode) == 0o600


def test_a_crash_mid_send_leaves_the_copy_logged_as_sending(
        pack: Path, certs: Certs, serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    handler, port = serve(Capture(drop_during_data="marcus.lee@techdrive.example"))
    report = send_pack(pack, to=(MARCUS, ELENA), attach_docx=False, dry_run=False,
                       resend=False, archive_url=None,
                       settings=settings(certs, port, watermark=True))
    assert len(report.uncertain) == 1 and len(report.refused) == 1  # Elena: not tried
    data = received_pdfs(handler)["marcus.lee@techdrive.example"]
    copy = pack.parent / "copy.pdf"
    copy.write_bytes(data)
    code, out = verify(copy, pack, capsys, "--trust", str(certs.ca))
    assert code == 0 and "made for Marcus Lee <marcus.lee@techdrive.example>: sending" in out
    again = send_pack(pack, to=(MARCUS,), attach_docx=False, dry_run=False, resend=False,
                      archive_url=None, settings=settings(certs, port, watermark=True))
    assert again.uncertain and len(handler.received) == 1  # never resent blindly


def test_a_password_command_gives_each_recipient_its_own(
        pack: Path, certs: Certs, serve: Serve) -> None:
    handler, port = serve()
    command = "sh -c 'printf \"pw-%s\" \"$REPORTGEN_RECIPIENT\"'"
    send_pack(pack, to=(MARCUS, ELENA), attach_docx=False, dry_run=False, resend=False,
              archive_url=None,
              settings=settings(certs, port, encrypt=True, password_command=command))
    for address, data in received_pdfs(handler).items():
        pikepdf.open(io.BytesIO(data), password=f"pw-{address}").close()
    failing = settings(certs, port, encrypt=True, password_command="sh -c 'echo secret; exit 3'")
    with pytest.raises(ReportgenError) as caught:
        send_pack(pack, to=(MARCUS,), attach_docx=False, dry_run=False, resend=True,
                  archive_url=None, settings=failing)
    assert "delivery.password_command (sh): gave no password" in str(caught.value)
    assert "secret" not in str(caught.value) and len(handler.received) == 2


def test_an_unknown_pdf_fails_verify(pack: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(other)
    code, out = verify(other, pack, capsys)
    assert code == 1
    assert "signature  none" in out and "pack       unknown" in out and "NOT VALID" in out
