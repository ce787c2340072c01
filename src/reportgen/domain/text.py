"""Text rules shared by every stage: cleaning workbook text for output, and matching names.

`clean_text` drops the characters XML 1.0 forbids and the control characters no document shows,
once, so that Word (which refuses them), the PDF (where they have no visible form) and the
terminal (where some are escape sequences) get the same text; tabs and line breaks are kept.
`normalise` is how headers, keys, sheet names and KPI names are matched: case-insensitive, with
runs of spaces folded.
"""

from __future__ import annotations

import re
from functools import lru_cache

_XML_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


def clean_text(text: str) -> str:
    """Drop C0 controls (but tab and newlines), DEL, the C1 controls (U+0080–U+009F: U+009B
    starts a terminal escape sequence), lone surrogates, U+FFFE and U+FFFF."""
    return _XML_ILLEGAL.sub("", text) if text else ""


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """How names are matched: case-insensitive, surrounding spaces dropped, inner runs folded."""
    return " ".join(str(text).split()).casefold()
