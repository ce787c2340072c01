"""The pack's fonts: a configured font name → the font lists of the PDF, the Word pack and the
charts; the shipped Inter's glyph widths for measuring text; and a review's text → the characters
no installed font can draw, each located at its cell.

The PDF asks for the configured font, then the shipped Inter, then one Noto font per script
Inter lacks (Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji, installed by
`scripts/install-system-packages`), then DejaVu Sans; colour emoji come from
fonts-noto-color-emoji by fontconfig's own fallback, which finds any installed font that has a
character the named ones lack. The Word pack names fonts every Office install has (its
reference document's); Word finds the other scripts' fonts itself.

`advance(text, size, weight)` measures text the way the PDF sets it, from Inter's own widths;
a character Inter lacks is given the width of its kind (ideographs a full em), which the
fallback fonts keep to closely enough for sizing table columns. Inter's widths (and so which
characters it has) are read with fontTools once per font set and kept in the user's cache
folder under the fonts' digest (`render.diskcache`): 10 ms on later runs, not 110.

A character no installed font has would print as an empty box (".notdef"): `unshown` finds
those before anything is rendered and names the sheet, the cell and the character, so the build
can warn (or, with `--strict`, refuse) in reportgen's own words rather than the renderer's.
Fontconfig is read through its C library (`libfontconfig`, which pango, and so WeasyPrint,
already loads): each installed font's character set, once per process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

from ..domain.model import ReviewInput, SourceRef
from ..errors import Problem, Severity
from . import diskcache

SHIPPED_FONT = "Reportgen Inter"  # the @font-face family of the OTFs in templates/fonts
# After Inter, in this order: one per script, then DejaVu for symbols. Noto Color Emoji is not
# named: pango then draws digits (which may start an emoji) with it; fontconfig finds it for
# real emoji anyway, as it finds any installed font for a character the named ones lack.
FALLBACK_FONTS = (
    "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai",
    "Noto Sans CJK JP", "DejaVu Sans",
)
_FONT_NAME = re.compile(r"^[A-Za-z0-9 _-]{1,64}$")
_WEIGHTS = {400: "Inter-Regular.otf", 600: "Inter-SemiBold.otf", 700: "Inter-Bold.otf"}
_WIDE = 1.0  # em: ideographs, kana, hangul (East Asian wide and full-width)
_EMOJI = 1.25  # em: a colour emoji is drawn a little wider than an em
_OTHER = 0.62  # em: any other character Inter lacks (Arabic, Hebrew, Devanagari, Thai…)


def configured(font: str) -> str | None:
    """The configured font's name when it is one the pack may ask for (else None)."""
    if font and font.casefold() != "inter" and _FONT_NAME.match(font):
        return font
    return None


def css_stack(font: str) -> str:
    """The CSS font-family list: configured font, shipped Inter, the fallbacks, sans-serif."""
    names = [SHIPPED_FONT, *FALLBACK_FONTS]
    chosen = configured(font)
    if chosen:
        names.insert(0, chosen)
    return ", ".join(f'"{name}"' for name in names) + ", sans-serif"


def chart_families(inter: str) -> list[str]:
    """Matplotlib's family list for the trend chart: Inter (registered as `inter`), then the
    fallbacks that are installed (matplotlib warns of every family it cannot find)."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [inter, *(name for name in FALLBACK_FONTS if name in installed)]


@cache
def _widths() -> dict[int, dict[int, float]]:
    """Inter's advance widths in em, by weight and code point (its three weights share one
    character map): from the cache when it has this font set's (`diskcache`), else read."""
    folder = files("reportgen") / "templates" / "fonts"
    data = {weight: (folder / name).read_bytes() for weight, name in _WEIGHTS.items()}
    digest = hashlib.sha256(_WIDTHS_FORMAT.encode())
    for weight, content in data.items():
        digest.update(f"{weight}:{len(content)}:".encode() + content)
    key = f"inter-widths-{digest.hexdigest()[:32]}"
    widths = _from_cache(diskcache.load(key))
    if widths is None:
        widths = _read_widths(data)
        codepoints = sorted(widths[400])
        diskcache.store(key, {"format": _WIDTHS_FORMAT, "codepoints": codepoints, "widths": {
            str(weight): [table[cp] for cp in codepoints] for weight, table in widths.items()}})
    return widths


_WIDTHS_FORMAT = "reportgen inter widths 1"


def _from_cache(stored: Any) -> dict[int, dict[int, float]] | None:
    """The widths as `_widths` stored them, or None when `stored` is not exactly that."""
    if not isinstance(stored, dict) or stored.get("format") != _WIDTHS_FORMAT:
        return None
    codepoints, tables = stored.get("codepoints"), stored.get("widths")
    if (not isinstance(codepoints, list) or not isinstance(tables, dict)
            or sorted(tables) != sorted(str(w) for w in _WEIGHTS)
            or not all(type(cp) is int for cp in codepoints)):
        return None
    out: dict[int, dict[int, float]] = {}
    for weight in _WEIGHTS:
        table = tables[str(weight)]
        if (not isinstance(table, list) or len(table) != len(codepoints)
                or not all(type(w) is float for w in table)):
            return None
        out[weight] = dict(zip(codepoints, table, strict=True))
    return out


def _read_widths(data: dict[int, bytes]) -> dict[int, dict[int, float]]:
    """The widths read from each weight's font file (`data`: its bytes) with fontTools."""
    from fontTools.ttLib import TTFont

    out: dict[int, dict[int, float]] = {}
    cmap: dict[int, str] = {}
    for weight, content in data.items():
        font = TTFont(io.BytesIO(content), lazy=True)
        cmap = cmap or font.getBestCmap()
        metrics, em = font["hmtx"].metrics, font["head"].unitsPerEm
        out[weight] = {cp: metrics[glyph][0] / em for cp, glyph in cmap.items()}
        font.close()
    return out


def advance(text: str, size: float, weight: int = 400) -> float:
    """How wide `text` is set on one line, in points, at `size` points and `weight`."""
    widths = _widths()[min(_WEIGHTS, key=lambda w: abs(w - weight))]
    total = 0.0
    for char in text:
        width = widths.get(ord(char))
        total += width if width is not None else _fallback_width(char)
    return total * size


@cache
def _fallback_width(char: str) -> float:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # marks and joiners take no width
        return 0.0
    if ord(char) >= 0x1F000 or unicodedata.name(char, "").startswith("EMOJI"):
        return _EMOJI
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE
    return _OTHER


def covers(char: str) -> bool:
    """Whether the shipped Inter has a glyph for `char`."""
    return ord(char) in _widths()[400]


# --- what no installed font can draw --------------------------------------------------------------

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
