"""E-mail recipients: `Name <name@example.com>` or a bare address → `Recipient`.

One rule for the workbook's Distribution cell (read by `intake`) and for `reportgen send --to`
(read by `delivery`), so an address that validates is an address that can be sent to.
"""

from __future__ import annotations

import re

from .model import Recipient

ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)
_RECIPIENT = re.compile(r'^(?:(?P<name>[^<>@]*?)\s*<(?P<addr>[^<>\s]+)>|(?P<bare>[^<>\s]+))$')


def parse_recipient(text: str) -> Recipient:
    """`Name <addr>` or `addr` → Recipient; ValueError when it is not one (or holds a NUL)."""
    match = _RECIPIENT.match(text.strip())
    address = (match["addr"] or match["bare"]) if match else ""
    if not match or not ADDRESS.match(address) or "\x00" in text:
        raise ValueError(f"{text!r} is not an e-mail address")
    return Recipient((match["name"] or "").strip().strip('"').strip(), address)
