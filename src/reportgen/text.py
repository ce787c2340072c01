"""Cleaning workbook text for every output: characters XML 1.0 forbids are dropped, once, here.

Word (lxml) refuses them outright and they have no visible form in a PDF, so both renderers get
the same cleaned text. Tabs and line breaks are kept.
"""

from __future__ import annotations

import re

_XML_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]"
)


def clean_text(text: str) -> str:
    """Drop C0 controls (but tab and newlines), DEL, lone surrogates, U+FFFE and U+FFFF."""
    return _XML_ILLEGAL.sub("", text) if text else ""
