"""The pack's fonts: a configured font name → the font lists of the PDF, the Word pack and the
charts, and the shipped Inter's glyph widths for measuring text.

The PDF asks for the configured font, then the shipped Inter, then one Noto font per script
Inter lacks (Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji, installed by
`scripts/install-system-packages`), then DejaVu Sans; colour emoji come from
fonts-noto-color-emoji by fontconfig's own fallback, which finds any installed font that has a
character the named ones lack. A character no installed font has is reported before rendering
(`render.glyphs`). The Word pack names fonts every Office
install has (its reference document's); Word finds the other scripts' fonts itself.

`advance(text, size, weight)` measures text the way the PDF sets it, from Inter's own widths;
a character Inter lacks is given the width of its kind (ideographs a full em), which the
fallback fonts keep to closely enough for sizing table columns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import as_file, files

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
    character map)."""
    from fontTools.ttLib import TTFont

    folder = files("reportgen") / "templates" / "fonts"
    out: dict[int, dict[int, float]] = {}
    cmap: dict[int, str] = {}
    for weight, name in _WEIGHTS.items():
        with as_file(folder / name) as path:
            font = TTFont(str(path), lazy=True)
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
