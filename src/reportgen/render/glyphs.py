"""A review's text → the characters no installed font can draw, each located at its cell.

The PDF falls back from the pack's fonts to any installed font that has a character
(fontconfig), so a character is drawn when the shipped Inter or any font fontconfig knows has
a glyph for it. One that none has would print as an empty box (".notdef"); `unshown` finds
those before anything is rendered and names the sheet, the cell and the character, so the build
can warn (or, with `--strict`, refuse) in reportgen's own words rather than the renderer's.

Fontconfig is read through its C library (`libfontconfig`, which pango, and so WeasyPrint,
already loads): each installed font's character set, once per process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from ..domain.model import ReviewInput, SourceRef
from ..errors import Problem, Severity
from .fonts import covers

_IGNORED = ("Cc", "Cf", "Zs", "Zl", "Zp")  # controls, joiners and spaces need no glyph


@dataclass(frozen=True)
class Unshown:
    """A character no installed font has, and the first cell that holds it."""

    char: str
    file: str
    sheet: str
    cell: str | None
    elsewhere: int = 0  # other cells that hold it

    def problem(self, severity: Severity = Severity.WARNING) -> Problem:
        also = (f", which is also in {self.elsewhere} other cell{'s' * (self.elsewhere != 1)}"
                if self.elsewhere else "")
        return Problem(self.file, f"{missing_glyph(self.char, also)}; install a font that has "
                       "it, or change the text", self.sheet, self.cell, severity=severity)

    def __str__(self) -> str:
        """The warning: "book.xlsx: KPIs!J5: no installed font has the character …"."""
        problem = self.problem()
        return f"{problem.file}: {problem.where}: {problem.message}"


def missing_glyph(char: str, also: str = "") -> str:
    """What the pack does with `char`, in words: "no installed font has the character '𘬀'
    (U+18B00 KHITAN SMALL SCRIPT CHARACTER-18B00): the pack shows an empty box in its place"."""
    name = f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()
    return (f"no installed font has the character '{char}' ({name}){also}: the pack shows an "
            "empty box in its place")


def unshown(review: ReviewInput) -> list[Unshown]:
    """Each character of the review's text that no installed font can draw, at the first
    cell (in sheet order) that holds it."""
    found: dict[str, Unshown] = {}
    for text, source, column in _texts(review):
        for char in sorted(set(text)):
            if char in found:
                found[char] = replace(found[char], elsewhere=found[char].elsewhere + 1)
            elif not drawable(char):
                found[char] = Unshown(char, source.file, source.sheet, source.cell_of(column))
    return list(found.values())


def _texts(review: ReviewInput) -> Iterator[tuple[str, SourceRef, str]]:
    """(text, where it came from, its column) for every piece of workbook text a pack shows."""
    p = review.partnership
    if p.source is not None:
        for key, text in (("Partnership", p.name), ("Partner", p.partner),
                          ("Executive Sponsor", p.executive_sponsor),
                          ("Partner Sponsor", p.partner_sponsor),
                          ("Alliance Manager", p.alliance_manager),
                          ("Confidentiality", p.confidentiality),
                          ("Distribution", " ".join(str(r) for r in p.distribution))):
            yield text, p.source, key
    categories: set[str] = set()
    for k in review.kpis:
        if k.source is None:
            continue
        if k.category not in categories:  # the cell that names it is the category's first
            categories.add(k.category)
            yield k.category, k.source, "Category"
        for column, text in (("KPI", k.name), ("Metric", k.metric), ("Owner", k.owner),
                             ("Commentary", k.commentary)):
            yield text, k.source, column
    for r in review.risks:
        if r.source is not None:
            for column, text in (("Risk ID", r.id), ("Risk", r.description),
                                 ("Category", r.category), ("Mitigation", r.mitigation),
                                 ("Owner", r.owner)):
                yield text, r.source, column
    for d in review.decisions:
        if d.source is not None:
            for column, text in (("ID", d.id), ("Decision", d.text), ("Owner", d.owner),
                                 ("Notes", d.notes)):
                yield text, d.source, column


@cache
def drawable(char: str) -> bool:
    """Whether the shipped Inter or an installed font has a glyph for `char` (a character
    that needs none, such as a space or a joiner, counts as drawable)."""
    if unicodedata.category(char) in _IGNORED or 0xFE00 <= ord(char) <= 0xFE0F:
        return True
    return covers(char) or any(_has(charset, ord(char)) for charset in _charsets())


@cache
def _fontconfig() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    lib.FcConfigGetFonts.restype = ctypes.POINTER(_FontSet)
    lib.FcConfigGetFonts.argtypes = (ctypes.c_void_p, ctypes.c_int)
    lib.FcPatternGetCharSet.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_void_p))
    lib.FcCharSetHasChar.argtypes = (ctypes.c_void_p, ctypes.c_uint32)
    return lib


class _FontSet(ctypes.Structure):
    _fields_ = (("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p)))


@cache
def _charsets() -> tuple[int, ...]:
    """The character set of every font fontconfig knows (pointers into its configuration,
    which lives as long as the process)."""
    lib = _fontconfig()
    if lib is None:
        return ()
    config = lib.FcInitLoadConfigAndFonts()
    fonts = lib.FcConfigGetFonts(config, 0)  # FcSetSystem
    if not config or not fonts:
        return ()
    found = []
    for index in range(fonts.contents.nfont):
        charset = ctypes.c_void_p()
        if lib.FcPatternGetCharSet(fonts.contents.fonts[index], b"charset", 0,
                                   ctypes.byref(charset)) == 0 and charset.value:
            found.append(charset.value)
    return tuple(found)


def _has(charset: int, codepoint: int) -> bool:
    lib = _fontconfig()
    return lib is not None and bool(lib.FcCharSetHasChar(charset, codepoint))
