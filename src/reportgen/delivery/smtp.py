"""SMTP transport for delivery: settings in, one secured, logged-in connection out.

    Smtp settings (host, port, security, user, password, timeout) + a TLS context factory
      ─ SmtpSession (STARTTLS, implicit TLS, or plain text for a trusted local relay; the
        certificate and host name verified) ─▶ per message and recipient: ("sent", the server's
        reply) | ("refused", why) | ("uncertain", why: the connection failed mid-hand-over)

Failing to connect, secure the connection or log in is a ReportgenError; after that, `deliver`
reports each recipient's outcome instead of raising. The password goes to the login only and is
scrubbed from every error text (alone, and as AUTH PLAIN / LOGIN would encode it). The login
is sent as UTF-8 (`_Client`), so a password beyond ASCII works with any server that takes it.
Message building and the send flow (archive records, outbox) are in `delivery`.
"""

from __future__ import annotations

import base64
import hmac
import smtplib
import ssl
from collections.abc import Callable
from types import TracebackType
from typing import Any

from ..config import Smtp
from ..errors import ReportgenError

TlsContext = Callable[[], ssl.SSLContext]
_MAX_CHALLENGES = 5  # as smtplib: a server still challenging after this many is broken


class _Client(smtplib.SMTP):
    """smtplib's client, logging in with the user and password as UTF-8.

    smtplib encodes them as ASCII, so `pässwörd` fails with a UnicodeEncodeError before the
    server sees it. RFC 4616 makes AUTH PLAIN UTF-8, and servers read LOGIN and the CRAM-MD5
    key the same way; for ASCII the bytes are the ones smtplib sends.
    """

    def auth(self, mechanism: str, authobject: Any, *,
             initial_response_ok: bool = True) -> tuple[int, bytes]:
        response = authobject() if initial_response_ok else None
        if response is None:
            code, reply = self.docmd("AUTH", mechanism.upper())
        else:
            code, reply = self.docmd("AUTH", f"{mechanism.upper()} {_base64(response)}")
        self._auth_challenge_count = 0 if response is None else 1  # read by auth_login
        while code == 334 and self._auth_challenge_count <= _MAX_CHALLENGES:
            self._auth_challenge_count += 1
            code, reply = self.docmd(_base64(authobject(base64.decodebytes(reply))))
        if code in (235, 503):
            return code, reply
        raise smtplib.SMTPAuthenticationError(code, reply)

    def auth_cram_md5(  # type: ignore[override]  # typeshed overloads it; smtplib passes bytes
            self, challenge: bytes | None = None) -> str | None:
        if challenge is None:
            return None
        digest = hmac.new(self.password.encode("utf-8"), challenge, "md5").hexdigest()
        return f"{self.user} {digest}"


class _SslClient(_Client, smtplib.SMTP_SSL):
    """`_Client` over implicit TLS."""


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class SmtpSession:
    """One connection to the configured server, opened, secured and logged in on entry.

    `starttls` (default) upgrades the connection and refuses a server that does not offer
    STARTTLS; `ssl` is implicit TLS; `none` is plain text, for a trusted local relay. The
    certificate and host name are verified with `tls_context()` (by default
    `ssl.create_default_context()`, which honours SSL_CERT_FILE). Failing to connect is a
    ReportgenError; after that, `deliver` reports each recipient's outcome instead of raising.
    """

    def __init__(self, smtp: Smtp, tls_context: TlsContext = ssl.create_default_context) -> None:
        self._smtp = smtp
        self._tls_context = tls_context
        self._client: smtplib.SMTP | None = None
        self._lost = ""  # why the connection is gone, once it is

    def __enter__(self) -> SmtpSession:
        s = self._smtp
        if s.user and not s.password:
            raise ReportgenError(f"smtp.user is {s.user!r} but REPORTGEN_SMTP_PASSWORD is not "
                                 "set; nothing was sent")
        failure = ""
        try:
            self._client = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            failure = self._explain(exc)
        if failure:  # raised here, outside the handler, so no exception chain holds a secret
            raise ReportgenError(f"SMTP server {s.host}:{s.port}: {failure}; nothing was sent")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._client is None:
            return
        try:
            self._client.quit()
        except (smtplib.SMTPException, OSError):
            self._client.close()

    def _connect(self) -> smtplib.SMTP:
        s = self._smtp
        client: smtplib.SMTP
        if s.security == "ssl":
            client = _SslClient(s.host, s.port, timeout=s.timeout, context=self._tls_context())
        else:
            client = _Client(s.host, s.port, timeout=s.timeout)
        try:
            client.ehlo()
            if s.security == "starttls":
                if not client.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError(
                        "the server does not offer STARTTLS, so the password and the pack would "
                        "travel unencrypted; refusing to send (smtp.security = \"none\" is for a "
                        "trusted local relay only)")
                client.starttls(context=self._tls_context())
                client.ehlo()
            if s.user:
                client.login(s.user, s.password)
        except BaseException:
            client.close()
            raise
        return client

    def deliver(self, data: bytes, sender: str, recipient: str) -> tuple[str, str]:
        """Send one message to one address: ("sent", the server's reply), ("refused", why),
        or ("uncertain", why) when the connection failed while the message was handed over."""
        client = self._client
        if client is None or self._lost:
            return "refused", f"not sent: {self._lost or 'not connected'}"
        try:
            code, reply = client.mail(sender)
            if code != 250:
                return self._refused(client, "the server refused the sender", code, reply)
            code, reply = client.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(client, "the server refused the recipient", code, reply)
        except (smtplib.SMTPException, OSError) as exc:
            return "refused", self._lose(exc)
        try:
            code, reply = client.data(data)
        except smtplib.SMTPDataError as exc:  # no 354: the message itself was never sent
            return self._refused(client, "the server refused the message", exc.smtp_code,
                                 exc.smtp_error)
        except (smtplib.SMTPException, OSError) as exc:
            return "uncertain", self._lose(exc)
        if code != 250:
            return self._refused(client, "the server refused the message", code, reply)
        return "sent", self._reply(code, reply)

    def _refused(self, client: smtplib.SMTP, why: str, code: int,
                 reply: bytes | str) -> tuple[str, str]:
        try:
            client.rset()
        except (smtplib.SMTPException, OSError) as exc:
            self._lose(exc)
        return "refused", f"{why}: {self._reply(code, reply)}"

    def _lose(self, exc: BaseException) -> str:
        self._lost = f"the connection to the server was lost ({self._explain(exc)})"
        return self._lost

    def _reply(self, code: int, reply: bytes | str) -> str:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        return self._scrub(f"{code} {' '.join(text.split())}")

    def _explain(self, exc: BaseException) -> str:
        """A one-line reason for `exc`, with the password scrubbed out."""
        if isinstance(exc, ssl.SSLCertVerificationError):
            text = (f"its TLS certificate was not accepted ({exc.verify_message}); check "
                    "smtp.host, or make its certificate authority trusted (SSL_CERT_FILE)")
        elif isinstance(exc, ssl.SSLError):
            text = f"the TLS handshake failed ({exc.reason or exc})"
        elif isinstance(exc, smtplib.SMTPAuthenticationError):
            text = f"login as {self._smtp.user!r} was refused: " + self._reply(exc.smtp_code,
                                                                               exc.smtp_error)
        elif isinstance(exc, smtplib.SMTPResponseException):
            text = self._reply(exc.smtp_code, exc.smtp_error)
        elif isinstance(exc, TimeoutError):
            text = f"no answer within {self._smtp.timeout:g} s"
        else:
            text = str(exc) or type(exc).__name__
        return self._scrub(text)

    def _scrub(self, text: str) -> str:
        """`text` without the password, alone or as AUTH PLAIN / LOGIN would send it."""
        password, user = self._smtp.password, self._smtp.user
        if not password:
            return text
        forms = [f"\x00{user}\x00{password}", password]
        secrets = [base64.b64encode(f.encode()).decode() for f in forms] + [password]
        for secret in secrets:
            text = text.replace(secret, "********")
        return text
