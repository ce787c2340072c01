"""E-mail recipients: `Name <name@example.com>` or a bare address → `Recipient`.

One rule for the workbook's Distribution cell (read by `intake`) and for `reportgen send --to`
(read by `delivery`), so an address that validates is an address that can be sent to. The
address itself is judged by `email-validator` (syntax only: no DNS look-up, no network), which
knows what a mail server will refuse: two dots in a row, a dot at either end of a part, a
domain without a dot, reserved names such as `localhost`. Addresses are plain ASCII (as the mail
is sent without SMTPUTF8), and a name may not carry a line break, NUL or an encoded word, which
would let it forge a header.

A recipient who reads another language than the pack's is written with its tag after the
address, `Kenji Sato <kenji@example.jp> [ja]`: they are sent the pack in that language (built
beside the pack's own, see docs/languages.md). A tag reportgen does not ship is a
`RecipientLanguageError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .language import language_tag
from .model import Recipient

_RECIPIENT = re.compile(r'^(?:(?P<name>[^<>@]*?)\s*<(?P<addr>[^<>\s]+)>|(?P<bare>[^<>\s]+))$')
_LANGUAGE = re.compile(r"(?:(?<=>)|\s+)\[(?P<tag>[^\[\]]*)\]$")  # `… <addr> [ja]`
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?")
MAX_ADDRESS = 200  # characters: a dry run writes <address>.eml through a temporary file whose
# name adds 18 to it, and a file name may have 255 (mail allows 254-character addresses)


class AddressError(ValueError):
    """Not a recipient; `reason` says why in a few words ('' when the form itself is wrong)."""

    def __init__(self, text: str, reason: str = "") -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{text!r} is not an e-mail address" + (f" ({reason})" if reason else ""))


class RecipientLanguageError(ValueError):
    """A recipient's `[tag]` names no language reportgen ships (`reason` says which it does)."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"asks for a language reportgen cannot write: {reason}")


def parse_recipient(text: str) -> Recipient:
    """`Name <addr>` or `addr`, optionally followed by a language tag in brackets (`[ja]`) →
    Recipient; `AddressError` or `RecipientLanguageError` (both ValueErrors) when it is not
    one."""
    if any(char in text for char in "\r\n\x00"):
        raise AddressError(text, "it holds a line break or NUL character")
    written = text.strip()
    language = ""
    tagged = _LANGUAGE.search(written)
    if tagged is not None:
        try:
            language = language_tag(tagged["tag"])
        except ValueError as exc:
            raise RecipientLanguageError(text, str(exc)) from None
        written = written[:tagged.start()].rstrip()
    match = _RECIPIENT.match(written)
    if not match:
        raise AddressError(text)
    address = match["addr"] or match["bare"]
    name = (match["name"] or "").strip().strip('"').strip()
    if _ENCODED_WORD.search(name):
        raise AddressError(text, "its name holds an encoded word (=?…?=)")
    if not address.isascii():
        raise AddressError(text, "it has characters other than plain ASCII letters, digits "
                                 "and punctuation")
    if len(address) > MAX_ADDRESS:
        raise AddressError(text, f"it is {len(address)} characters long; reportgen takes "
                                 f"at most {MAX_ADDRESS}")
    reason = _problem(address)
    if reason:
        raise AddressError(text, reason)
    return Recipient(name, address, language)


def readers_languages(recipients: Sequence[Recipient], language: str) -> list[str]:
    """The languages, other than the pack's `language`, that `recipients` ask to read it in
    (`Name <addr> [ja]`), each once, in the order the list first names them."""
    return list(dict.fromkeys(r.language for r in recipients
                              if r.language and r.language != language))


@lru_cache(maxsize=4096)  # 26 µs a call; a portfolio names the same few people many times
def _problem(address: str) -> str:
    """Why a mail server would refuse `address`, in a few words; '' when it would not."""
    from email_validator import EmailNotValidError, validate_email  # 40 ms: only when needed

    try:
        validate_email(address, check_deliverability=False, allow_smtputf8=False,
                       allow_quoted_local=False, allow_domain_literal=False)
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        return reason[:1].lower() + reason[1:]
    return ""
