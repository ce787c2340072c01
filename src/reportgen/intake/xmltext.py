"""How sheet XML carries text: a cell's or shared string's raw text in, the text it stands for out.

The XML's own entities and character references (resolved by lxml when it parses, by `xml_text`
when the scanner reads the bytes itself), then the `_xHHHH_` escape spreadsheet programs write
for characters XML cannot carry (ECMA-376 ST_Xstring).
"""

from __future__ import annotations

import re
from typing import Any

from ..domain.text import clean_text

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"  # SpreadsheetML
_T, _R = f"{MAIN}t", f"{MAIN}r"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unescape(text: str) -> str:
    """Undo the escape spreadsheet programs write for characters XML cannot carry (ECMA-376
    ST_Xstring): `_x000D_` is a carriage return, `_x005F_` an underscore that starts such a
    sequence literally. Escaped surrogate pairs become their character; what XML still forbids
    (other control characters, lone surrogates) is dropped, so no cell text can carry them."""
    if "_x" not in text:
        return text
    text = _ESCAPED.sub(lambda match: chr(int(match[1], 16)), text)
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return clean_text(text)


def string_item(node: Any) -> str:
    """The text of an `<si>` or `<is>`: its `<t>` or its rich-text runs, not phonetic hints."""
    parts: list[str] = []
    for child in node:
        if child.tag == _T:
            return child.text or ""
        if child.tag == _R:
            parts.extend(t.text or "" for t in child if t.tag == _T)
    return "".join(parts)


_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def xml_text(raw: bytes) -> str:
    """Scanned text as the walk gives it: decoded, line ends normalised, entities resolved."""
    text = raw.decode()
    if "\r" in text:  # literal line ends only: a &#13; reference stays a carriage return
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    return unescape(text)


def decoded(raw: bytes) -> str:
    """A walked cell's text (lxml resolved its entities already)."""
    return unescape(raw.decode())


def _entity(match: re.Match[str]) -> str:
    name = match[1]
    if name[0] != "#":
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF):  # as lxml does: XML 1.0 forbids the character
        raise ValueError(f"character reference &{name}; to a character XML forbids")
    return chr(code)
