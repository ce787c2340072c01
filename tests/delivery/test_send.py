"""`reportgen.delivery.send` against a real SMTP server: aiosmtpd on 127.0.0.1, plain, STARTTLS and
implicit TLS (certificates from a trustme test CA), with AUTH, refusals and dropped connections.

One pack is built per session (the example workbook, Q3 2025) and each test sends a fresh copy
of its outputs folder, archive included. The client trusts the test CA through the injectable
`tls_context` factory (a default context plus the CA), or through SSL_CERT_FILE, which
`ssl.create_default_context()` honours.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json
import logging
import shutil
import ssl
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import insert

from reportgen.archive import tables as t
from reportgen.archive.repository import Archive
from reportgen.cli import main
from reportgen.config import Settings, Smtp, load_settings
from reportgen.delivery.send import SendReport, send_cli_lines, send_pack
from reportgen.errors import ReportgenError
from workbooks import write_example

SLUG = "fincorp-techdrive-wealth-platform"
KEY = "fincorp–techdrive wealth platform"  # the partnership's name, case and spaces folded
SENDER = "QBR Office <qbr@fincorp.example>"
DISTRIBUTION = ["marcus.lee@techdrive.example", "elena.ortiz@techdrive.example",
                "dana.whitfield@fincorp.example"]
PASSWORD = "Fake-Pa55word-7f3c"
UNICODE_PASSWORD = "Fäke-Pässwörd-€7f3c"  # smtplib alone would fail to encode it as ASCII


# --- a real SMTP server ----------------------------------------------------------------------

class Capture:
    """An aiosmtpd handler that keeps every message and refuses the addresses in `refuse`."""

    def __init__(self, refuse: tuple[str, ...] = (), drop_during_data: str = "") -> None:
        self.refuse = refuse
        self.drop_during_data = drop_during_data  # accept, then hang up before replying
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        if envelope.rcpt_tos == [self.drop_during_data]:
            server.transport.close()
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    @property
    def recipients(self) -> list[str]:
        return [address for _, rcpt, _ in self.received for address in rcpt]


class CramMd5(Capture):
    """A Capture whose server also offers AUTH CRAM-MD5 (RFC 2195) for one user and secret."""

    def __init__(self, user: bytes, secret: bytes) -> None:
        super().__init__()
        self.user, self.secret = user, secret
        self.logins = 0

    async def auth_CRAM__MD5(self, server: Any, args: list[str]) -> AuthResult:
        challenge = b"<1896.697170952@qbr.example>"
        response = await server.challenge_auth(challenge)
        expected = self.user + b" " + hmac.new(self.secret, challenge, "md5").hexdigest().encode()
        self.logins += response == expected
        return AuthResult(success=response == expected, handled=False)


class _Controller(Controller):
    """Listens on an ephemeral port (aiosmtpd itself would try to reach port 0)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


Serve = Callable[..., tuple[Capture, int]]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start an SMTP server: `serve(handler, **aiosmtpd options)` → (handler, port)."""
    running: list[Controller] = []

    def start(handler: Capture | None = None, **options: Any) -> tuple[Capture, int]:
        handler = handler or Capture()
        controller = _Controller(handler, hostname="127.0.0.1", port=0, **options)
        controller.start()
        running.append(controller)
        return handler, controller.port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def trusting(ca: trustme.CA) -> Callable[[], ssl.SSLContext]:
    """The production context (verification on) that also trusts the test CA."""
    def factory() -> ssl.SSLContext:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        return context
    return factory


def accept_password(server: Any, session: Any, envelope: Any, mechanism: str,
                    auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password in (
        PASSWORD.encode(), UNICODE_PASSWORD.encode("utf-8"))
    return AuthResult(success=ok)


# --- a built pack ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example pack, built once: the outputs folder (with archive.sqlite)."""
    root = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1759311000")
        mp.chdir(root)
        workbook = write_example(root / "fincorp-techdrive-2025-Q3.xlsx", quarter=3)
        assert main(["build", str(workbook), "--out", str(root / "outputs")]) == 0
    return root / "outputs"


@pytest.fixture
def pack(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built outputs; the pack's revision folder r1."""
    shutil.copytree(built, tmp_path / "outputs")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "outputs" / SLUG / "2025-Q3" / "r1"


def settings(port: int, security: str = "none", **smtp: Any) -> Settings:
    return Settings(smtp=Smtp(host="127.0.0.1", port=port, security=security, sender=SENDER,
                              timeout=10, **smtp))


def send(pack: Path, config: Settings, *, to: tuple[str, ...] = (), resend: bool = False,
         dry_run: bool = False, attach_docx: bool = False, **kwargs: Any) -> SendReport:
    return send_pack(pack, to=to, attach_docx=attach_docx, dry_run=dry_run, resend=resend,
                     settings=config, archive_url=None, **kwargs)


def states(pack: Path) -> dict[str, str]:
    with Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}") as archive:
        review = archive.find_review(KEY, "2025-Q3", 1)
        assert review is not None
        return {k: d.state for k, d in archive.delivery_states(review.id).items()}


def pdf_sha256(pack: Path) -> str:
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    return next(o["sha256"] for o in manifest["outputs"] if o["kind"] == "pdf")


def attachment_digests(message: EmailMessage) -> dict[str, str]:
    return {str(part.get_filename()): hashlib.sha256(part.get_content()).hexdigest()
            for part in message.iter_attachments()}


# --- sending ---------------------------------------------------------------------------------

def test_plain_relay_sends_one_message_per_recipient_with_the_pack(
        pack: Path, serve: Serve) -> None:
    handler, port = serve()
    report = send(pack, settings(port))

    assert [o.recipient.rpartition("<")[2].rstrip(">") for o in report.sent] == DISTRIBUTION
    assert report.exit_code == 0
    assert handler.recipients == DISTRIBUTION
    pdf = f"{SLUG}-2025-Q3-qbr.pdf"
    for (mail_from, rcpt, message), address in zip(handler.received, DISTRIBUTION, strict=True):
        assert mail_from == "qbr@fincorp.example" and rcpt == [address]
        assert message["To"].addresses[0].addr_spec == address
        assert message["Bcc"] is None and message["Cc"] is None
        assert message["Subject"] == ("QBR pack: FinCorp–TechDrive Wealth Platform, Q3 2025 "
                                      "(83/100, Amber)")
        assert message["Message-ID"].endswith("@fincorp.example>")
        assert attachment_digests(message) == {pdf: pdf_sha256(pack)}
        text = message.get_body(("plain",)).get_content()
        assert "83 out of 100 (Amber)" in text and "Q3 2025" in text
        assert "\u200b" not in text
        assert "<strong>FinCorp–TechDrive Wealth Platform</strong>" in \
            message.get_body(("html",)).get_content()
    assert states(pack) == dict.fromkeys(DISTRIBUTION, "sent")
    lines = send_cli_lines(report)
    assert lines[0].startswith("sent       Marcus Lee <marcus.lee@techdrive.example>: 250 ")
    assert lines[-1].endswith("r1: 3 sent, 0 already sent, 0 not sent, 0 uncertain")


def test_archive_records_the_server_reply_and_message_id(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    send(pack, settings(port), to=("Marcus <Marcus.Lee@TechDrive.example>",))
    with Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}") as archive:
        review = archive.find_review(KEY, "2025-Q3", 1)
        assert review is not None
        (delivery,) = archive.delivery_states(review.id).values()
    assert delivery.recipient == "marcus.lee@techdrive.example"  # the address, case-folded
    assert delivery.server_reply == "250 2.0.0 Ok: queued as Q1"
    assert delivery.message_id == handler.received[0][2]["Message-ID"]


def test_a_second_send_delivers_nothing_and_resend_sends_again(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    send(pack, settings(port))
    again = send(pack, settings(port))
    assert len(handler.received) == 3
    assert not again.sent and len(again.already_sent) == 3 and again.exit_code == 0
    assert "already sent" in again.already_sent[0].detail
    assert "nothing was sent" in send_cli_lines(again)[-1]
    # a recipient named with --to is the same recipient, whatever the case of the address
    assert send(pack, settings(port), to=("ELENA.ORTIZ@techdrive.example",)).already_sent

    resent = send(pack, settings(port), resend=True)
    assert len(resent.sent) == 3 and len(handler.received) == 6
    first, second = handler.received[0][2], handler.received[3][2]
    assert first["Message-ID"] == second["Message-ID"]  # the same message, sent again


def test_attach_docx_adds_the_word_file(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    send(pack, settings(port), to=("dana.whitfield@fincorp.example",), attach_docx=True)
    names = sorted(attachment_digests(handler.received[0][2]))
    assert names == [f"{SLUG}-2025-Q3-qbr.docx", f"{SLUG}-2025-Q3-qbr.pdf"]


def test_one_refused_recipient_does_not_stop_the_others(pack: Path, serve: Serve) -> None:
    handler, port = serve(Capture(refuse=("elena.ortiz@techdrive.example",)))
    report = send(pack, settings(port))

    assert handler.recipients == ["marcus.lee@techdrive.example", "dana.whitfield@fincorp.example"]
    assert len(report.sent) == 2 and report.exit_code == 1
    (refused,) = report.refused
    assert refused.recipient == "Elena Ortiz <elena.ortiz@techdrive.example>"
    assert "550 5.1.1" in refused.detail
    assert states(pack)["elena.ortiz@techdrive.example"] == "refused"
    assert any(line.startswith("NOT SENT   Elena Ortiz") and "550" in line
               for line in send_cli_lines(report))

    handler.refuse = ()
    rerun = send(pack, settings(port))  # only the one who did not get it
    assert [o.recipient for o in rerun.sent] == ["Elena Ortiz <elena.ortiz@techdrive.example>"]
    assert len(rerun.already_sent) == 2 and rerun.exit_code == 0


def test_a_connection_lost_during_data_is_uncertain_and_the_rest_not_sent(
        pack: Path, serve: Serve) -> None:
    _, port = serve(Capture(drop_during_data="elena.ortiz@techdrive.example"))
    report = send(pack, settings(port))

    assert [o.recipient for o in report.sent] == ["Marcus Lee <marcus.lee@techdrive.example>"]
    assert [o.recipient for o in report.uncertain] == [
        "Elena Ortiz <elena.ortiz@techdrive.example>"]
    assert [o.recipient for o in report.refused] == [
        "Dana Whitfield <dana.whitfield@fincorp.example>"]
    assert "connection to the server was lost" in report.refused[0].detail
    assert states(pack) == {"marcus.lee@techdrive.example": "sent",
                            "elena.ortiz@techdrive.example": "sending",
                            "dana.whitfield@fincorp.example": "refused"}
    assert report.exit_code == 1


def test_a_sending_row_left_by_a_crash_is_uncertain_and_not_resent(
        pack: Path, serve: Serve) -> None:
    handler, port = serve()
    with Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}") as archive:
        review = archive.find_review(KEY, "2025-Q3", 1)
        assert review is not None
        archive.record_delivery(review.id, "marcus.lee@techdrive.example", "sending",
                                at=dt.datetime.now(dt.UTC))

    report = send(pack, settings(port))
    assert handler.recipients == DISTRIBUTION[1:]
    (uncertain,) = report.uncertain
    assert uncertain.recipient == "Marcus Lee <marcus.lee@techdrive.example>"
    assert "may or may not have arrived" in uncertain.detail and report.exit_code == 1
    assert any(line.startswith("uncertain  Marcus Lee") for line in send_cli_lines(report))

    assert send(pack, settings(port), resend=True, to=(DISTRIBUTION[0],)).sent
    assert handler.recipients[-1] == DISTRIBUTION[0]


# --- TLS -------------------------------------------------------------------------------------

def test_starttls_with_a_trusted_ca_and_login(pack: Path, serve: Serve, ca: trustme.CA) -> None:
    handler, port = serve(tls_context=server_tls(ca), require_starttls=True,
                          authenticator=accept_password, auth_required=True)
    config = settings(port, "starttls", user="qbr", password=PASSWORD)
    report = send(pack, config, tls_context=trusting(ca))
    assert len(report.sent) == 3 and handler.recipients == DISTRIBUTION


def test_starttls_trusts_the_ca_in_ssl_cert_file(pack: Path, serve: Serve, ca: trustme.CA,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _, port = serve(tls_context=server_tls(ca), require_starttls=True)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    assert len(send(pack, settings(port, "starttls")).sent) == 3


def test_implicit_tls(pack: Path, serve: Serve, ca: trustme.CA) -> None:
    handler, port = serve(ssl_context=server_tls(ca))
    report = send(pack, settings(port, "ssl"), tls_context=trusting(ca))
    assert len(report.sent) == 3 and len(handler.received) == 3


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_certificate_the_client_does_not_trust_is_refused(
        pack: Path, serve: Serve, ca: trustme.CA, security: str) -> None:
    self_signed = trustme.CA()  # its own certificate: self-signed, and not trusted
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(*_pem_files(self_signed, pack.parents[3]))
    option = {"tls_context": server} if security == "starttls" else {"ssl_context": server}
    handler, port = serve(**option)

    with pytest.raises(ReportgenError, match="certificate was not accepted") as caught:
        send(pack, settings(port, security), tls_context=trusting(ca))
    assert "self-signed certificate" in str(caught.value)
    assert "nothing was sent" in str(caught.value)
    assert handler.received == [] and states(pack) == {}


def _pem_files(ca: trustme.CA, folder: Path) -> tuple[str, str]:
    cert, key = folder / "self-signed.pem", folder / "self-signed.key"
    ca.cert_pem.write_to_path(str(cert))
    ca.private_key_pem.write_to_path(str(key))
    return str(cert), str(key)


def test_a_server_without_starttls_is_refused(pack: Path, serve: Serve) -> None:
    handler, port = serve()  # offers no STARTTLS
    with pytest.raises(ReportgenError, match="does not offer STARTTLS"):
        send(pack, settings(port, "starttls", user="qbr", password=PASSWORD))
    assert handler.received == [] and states(pack) == {}


# --- credentials -----------------------------------------------------------------------------

def refuse_everyone(server: Any, session: Any, envelope: Any, mechanism: str,
                    auth_data: Any) -> AuthResult:
    return AuthResult(success=False, handled=False)  # handled=False: the server replies 535


def echo_password(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    """A hostile server that puts the password it received into its refusal."""
    password = auth_data.password.decode()
    return AuthResult(success=False, handled=False, message=f"535 5.7.8 {password} is wrong")


@pytest.mark.parametrize("password", [PASSWORD, UNICODE_PASSWORD])
def test_the_password_never_appears_in_output_logs_or_errors(
        pack: Path, serve: Serve, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, tmp_path: Path, password: str) -> None:
    caplog.set_level(logging.DEBUG)
    _, good = serve(authenticator=accept_password, auth_require_tls=False)
    _, hostile = serve(authenticator=echo_password, auth_require_tls=False)
    env = {"REPORTGEN_SMTP_HOST": "127.0.0.1", "REPORTGEN_SMTP_SECURITY": "none",
           "REPORTGEN_SMTP_USER": "qbr", "REPORTGEN_SMTP_PASSWORD": password,
           "REPORTGEN_SMTP_FROM": SENDER}
    config = load_settings(env={**env, "REPORTGEN_SMTP_PORT": str(good)})
    report = send(pack, config, to=(DISTRIBUTION[0],))
    print("\n".join(send_cli_lines(report)))
    assert report.sent

    with pytest.raises(ReportgenError, match="login as 'qbr' was refused") as caught:
        send(pack, load_settings(env={**env, "REPORTGEN_SMTP_PORT": str(hostile)}),
             to=(DISTRIBUTION[1],))
    error = str(caught.value)
    assert "********" in error  # the server echoed it; it was scrubbed
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    out, err = capsys.readouterr()
    # every log record but the test server's own (mail.log), which shows what it was sent
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    for text in (out, err, error, logged, repr(config), str(config)):
        assert password not in text


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN", "CRAM-MD5"])
@pytest.mark.parametrize("user", ["qbr", "jürgen.müller"])
def test_a_password_beyond_ascii_logs_in_as_utf8(pack: Path, serve: Serve, mechanism: str,
                                                 user: str) -> None:
    logins: list[tuple[str, bytes, bytes]] = []
    secret = UNICODE_PASSWORD.encode("utf-8")

    def accept(server: Any, session: Any, envelope: Any, used: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            logins.append((used, data.login, data.password))
            return AuthResult(success=data.password == secret, handled=False)
        return AuthResult(success=False, handled=False)

    cram = CramMd5(user.encode("utf-8"), secret) if mechanism == "CRAM-MD5" else Capture()
    handler, port = serve(cram, authenticator=accept, auth_require_tls=False,
                          auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN")
                                                  if m != mechanism])
    config = settings(port, user=user, password=UNICODE_PASSWORD)
    report = send(pack, config, to=(DISTRIBUTION[0],))
    assert [o.recipient for o in report.sent] == [DISTRIBUTION[0]]
    assert handler.recipients == [DISTRIBUTION[0]]
    if mechanism == "CRAM-MD5":
        assert cram.logins == 1
    else:
        assert logins == [(mechanism, user.encode("utf-8"), secret)]


def test_a_server_refusing_the_utf8_password_is_one_line_and_nothing_is_sent(
        pack: Path, serve: Serve) -> None:
    handler, port = serve(authenticator=refuse_everyone, auth_require_tls=False)
    with pytest.raises(ReportgenError) as caught:
        send(pack, settings(port, user="qbr", password=UNICODE_PASSWORD))
    message = str(caught.value)
    assert message.startswith(f"SMTP server 127.0.0.1:{port}: login as 'qbr' was refused: 535")
    assert message.endswith("nothing was sent") and "\n" not in message
    assert UNICODE_PASSWORD not in message
    assert handler.received == [] and states(pack) == {}


def test_a_user_without_a_password_is_refused_before_connecting(pack: Path) -> None:
    with pytest.raises(ReportgenError, match="REPORTGEN_SMTP_PASSWORD is not set"):
        send(pack, settings(9, "starttls", user="qbr"))


# --- header injection and bad addresses ------------------------------------------------------

@pytest.mark.parametrize("bad", [
    "x@example.com\r\nBcc: evil@example.com",
    "x@example.com\n",
    "Eve\r\nBcc: evil@example.com <x@example.com>",
    "=?UTF-8?Q?=0ABcc:_evil=40example.com?= <x@example.com>",
    "x\x00@example.com",
    "not an address",
])
def test_a_bad_to_address_stops_everything(pack: Path, serve: Serve, bad: str) -> None:
    handler, port = serve()
    with pytest.raises(ReportgenError) as caught:
        send(pack, settings(port), to=("ok@example.com", bad))
    assert repr(bad) in str(caught.value) and "nothing was sent" in str(caught.value)
    assert handler.received == [] and states(pack) == {}


def test_an_injected_header_in_the_archived_distribution_stops_everything(
        pack: Path, serve: Serve) -> None:
    handler, port = serve()
    bad = "Eve <eve@example.com>\r\nBcc: evil@example.com"
    with Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}") as archive:
        review = archive.find_review(KEY, "2025-Q3", 1)
        assert review is not None
        with archive.engine.begin() as conn:
            conn.execute(insert(t.distribution).values(review_id=review.id, position=9,
                                                       recipient=bad))
        assert archive.distribution(review.id)[-1] == bad
    with pytest.raises(ReportgenError, match="distribution list archived") as caught:
        send(pack, settings(port))
    assert repr(bad) in str(caught.value)
    assert handler.received == [] and states(pack) == {}


def test_a_sender_with_a_line_break_is_refused(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    config = Settings(smtp=Smtp(host="127.0.0.1", port=port, security="none",
                                sender="QBR <qbr@fincorp.example>\nBcc: evil@example.com"))
    with pytest.raises(ReportgenError, match=r"smtp\.sender"):
        send(pack, config)
    assert handler.received == []


# --- the user's e-mail templates -------------------------------------------------------------

@pytest.mark.parametrize(("name", "text", "says"), [
    ("email/subject.txt.j2", "QBR {{ message.nope }}", "email/subject.txt.j2:1: "),
    ("email/body.txt.j2", "Hello\n{{ message.__class__.__init__ }}", "email/body.txt.j2:2: "),
    ("email/body.html.j2", "<p>\n\n{% for %}", "email/body.html.j2:3: syntax error"),
    ("email/subject.txt.j2", "{% include 'email/nowhere.j2' %}", "no template 'email/nowhere.j2'"),
])
def test_a_broken_email_template_is_one_line_and_nothing_is_sent(
        pack: Path, serve: Serve, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, name: str, text: str, says: str) -> None:
    handler, port = serve()
    template = pack.parents[3] / "templates" / name
    template.parent.mkdir(parents=True)
    template.write_text(text, encoding="utf-8")
    for key, value in {"REPORTGEN_SMTP_HOST": "127.0.0.1", "REPORTGEN_SMTP_PORT": str(port),
                       "REPORTGEN_SMTP_SECURITY": "none", "REPORTGEN_SMTP_FROM": SENDER}.items():
        monkeypatch.setenv(key, value)
    (pack.parents[3] / "reportgen.toml").write_text('templates = "templates"\n',
                                                    encoding="utf-8")
    assert main(["send", str(pack)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"templates/{name}:") and says in line, line
    assert line.endswith("; nothing was sent")
    assert handler.received == [] and states(pack) == {}


def test_an_email_template_linked_outside_the_folder_is_refused(pack: Path, serve: Serve,
                                                                 tmp_path: Path) -> None:
    handler, port = serve()
    folder = tmp_path / "templates"
    (folder / "email").mkdir(parents=True)
    (folder / "email" / "body.txt.j2").symlink_to("/etc/passwd")
    config = settings(port).model_copy(update={"templates": folder})
    with pytest.raises(ReportgenError, match=r"body\.txt\.j2: refused: it is a link to "
                                             r"/etc/passwd, outside the template folder"):
        send(pack, config)
    assert handler.received == [] and states(pack) == {}


def test_an_email_template_that_never_ends_is_stopped(pack: Path, serve: Serve,
                                                      tmp_path: Path) -> None:
    handler, port = serve()
    folder = tmp_path / "templates"
    (folder / "email").mkdir(parents=True)
    (folder / "email" / "body.txt.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        encoding="utf-8")
    config = settings(port).model_copy(update={"templates": folder, "render_timeout": 0.5})
    with pytest.raises(ReportgenError, match=r"render_timeout \(0\.5 seconds\).*nothing was sent"):
        send(pack, config)
    assert handler.received == [] and states(pack) == {}


# --- the pack --------------------------------------------------------------------------------

def test_a_pdf_changed_since_it_was_built_is_refused(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    pdf = pack / f"{SLUG}-2025-Q3-qbr.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%% edited\n")
    with pytest.raises(ReportgenError, match="changed since it was built"):
        send(pack, settings(port))
    assert handler.received == [] and states(pack) == {}


def test_pack_may_be_the_pdf_the_revision_or_the_quarter_folder(pack: Path) -> None:
    (pack.parent / "r2").mkdir()  # no manifest: not a revision
    for given in (pack / f"{SLUG}-2025-Q3-qbr.pdf", pack, pack.parent):
        report = send(given, settings(9), dry_run=True)
        assert (report.revision, len(report.written)) == (1, 3)
    with pytest.raises(ReportgenError, match="not the pack's PDF"):
        (pack / "other.pdf").write_bytes(b"%PDF-1.7\n")
        send(pack / "other.pdf", settings(9), dry_run=True)
    with pytest.raises(ReportgenError, match="no archive here yet"):
        (pack.parents[2] / "archive.sqlite").unlink()
        send(pack, settings(9), dry_run=True)


def test_dry_run_writes_the_exact_messages_and_sends_nothing(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    report = send(pack, settings(port), dry_run=True, to=("Ann Example <ann@example.com>",))

    (written,) = report.written
    path = pack / "outbox" / "ann@example.com.eml"
    assert written.detail == str(path)
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert str(message["To"]) == "Ann Example <ann@example.com>"
    assert message["Subject"].startswith("QBR pack: FinCorp–TechDrive Wealth Platform, Q3 2025")
    assert attachment_digests(message) == {f"{SLUG}-2025-Q3-qbr.pdf": pdf_sha256(pack)}
    assert handler.received == [] and states(pack) == {}
    assert send_cli_lines(report)[-1].endswith("dry run: 1 message(s) written, nothing sent")


def test_the_message_opens_with_the_packs_headline_and_the_decisions_requested(
        pack: Path) -> None:
    """An executive who never opens the attachment still knows the state and the asks: the
    same sentences as the pack (kept in its manifest), in both bodies."""
    send(pack, settings(9), dry_run=True, to=("Ann Example <ann@example.com>",))
    message = email.message_from_bytes((pack / "outbox" / "ann@example.com.eml").read_bytes(),
                                       policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    headline = manifest["headline"]
    assert headline[0].startswith("Overall health is 83 out of 100 (Amber); Q3 2025 is the first")
    text = message.get_body(("plain",)).get_content()
    lines = text.splitlines()
    assert lines[2:8] == ["FinCorp–TechDrive Wealth Platform, Q3 2025, in brief:", "",
                          *headline]
    assert ("  - D-02: Fund a dedicated TechDrive delivery team in exchange for a larger revenue "
            "share on new features; owner Dana Whitfield; due 31 Oct 2025") in lines
    assert text.index("Decisions requested of this meeting:") < text.index("Attached is")
    html = message.get_body(("html",)).get_content()
    for sentence in headline:
        assert f"<p style=\"margin: 0 0 0.6em 0;\">{sentence.replace(chr(39), '&#39;')}</p>" \
            in html
    assert "Owner General Counsel; due 15 Nov 2025" in html
    pdf = (pack / f"{SLUG}-2025-Q3-qbr.pdf").read_bytes()
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        summary = " ".join(document[2].get_textpage().get_text_range().split())
    finally:
        document.close()
    assert " ".join(headline) in summary.replace("\u200b", "")  # what the PDF says


def test_a_manifest_changed_since_it_was_built_is_refused(pack: Path, serve: Serve) -> None:
    handler, port = serve()
    manifest = pack / "manifest.json"
    document = json.loads(manifest.read_text(encoding="utf-8"))
    document["headline"] = ["All is well."]
    manifest.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ReportgenError, match=r"manifest\.json: changed since the pack was built"):
        send(pack, settings(port))
    assert handler.received == [] and states(pack) == {}
