"""The pack's colours, defined once: the CSS of the PDF and HTML, the Word pack and both trend
charts all take them from here, so a status or a rating looks the same in every format.

Every swatch pairs a fill with the ink written on it at a contrast of at least 4.5:1 (WCAG AA;
`tests/present/test_palette.py` checks every pair), and status is never shown by colour alone:
the word is always written on the swatch. The branding colours (primary, accent) come from the
settings, not from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Swatch:
    """A tinted background with its text colour and an edge a shade darker ("#RRGGBB")."""

    fill: str
    ink: str
    edge: str


@dataclass(frozen=True)
class Palette:
    status: dict[str, Swatch]  # by `StatusView.css`: green, amber, red, nodata
    rating: dict[str, Swatch]  # by `RatingView.css`: low, medium, high, critical
    solid: dict[str, str]  # by status css: the strong colour that white status words sit on
    decision: dict[str, Swatch]  # by decision or action state: open, decided, done
    ink: str  # body text
    muted: str  # secondary text, axes, notes
    rule: str  # table rules
    faint: str  # panels and tiles
    grid: str  # chart grid lines
    total: str  # the background of a table's total row
    better: str  # a move for the better (text)
    worse: str  # a move for the worse (text)
    target: str  # a sparkline's dashed target line (≥ 3:1 on white, as graphics need)
    group_rule: str  # the rule above each scorecard category
    cover_title: str  # "Quarterly Business Review" on the cover's band (branding colour)
    cover_partner: str  # "with TechDrive Inc." on the cover's band
    screen: str  # the HTML preview's background, around the pages
    mark: str  # a recipient's mark under the footer of their copy (PDF and Word)
    white: str = "#FFFFFF"  # text and rules on the branding colour


_GREEN = Swatch("#D8F0DF", "#0F5132", "#9ED2AE")
_AMBER = Swatch("#FCE9C2", "#7A4100", "#EDC16A")
_RED = Swatch("#F9D6D3", "#8A1C14", "#E99D96")
_NO_DATA = Swatch("#E4E7EC", "#3A4250", "#B9C0CB")

PALETTE = Palette(
    status={"green": _GREEN, "amber": _AMBER, "red": _RED, "nodata": _NO_DATA},
    rating={
        "low": _GREEN,
        "medium": Swatch("#FFF1C2", "#6B4500", "#E9CD6F"),
        "high": Swatch("#FBD3B0", "#7A2E00", "#EDA66B"),
        "critical": Swatch("#C8281E", "#FFFFFF", "#A11F16"),
    },
    solid={"green": "#1B6B3A", "amber": "#A35200", "red": "#B42318", "nodata": "#4B5563"},
    decision={"open": _AMBER, "decided": _NO_DATA, "done": _NO_DATA},
    ink="#1A2230",
    muted="#4B5563",
    rule="#CDD3DC",
    faint="#F3F5F8",
    grid="#C9D0DA",
    total="#E9EEF5",
    better=_GREEN.ink,
    worse=_RED.ink,
    target="#7A8699",
    group_rule="#9AA5B4",
    mark="#8A9099",
    cover_title="#D5DEEA",
    cover_partner="#E6ECF3",
    screen="#E5E8EC",
)


def hex_digits(colour: str) -> str:
    """"#1A2230" → "1A2230", as WordprocessingML writes colours."""
    return colour.lstrip("#").upper()


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two "#RRGGBB" colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
