"""`Trend` → the trend chart as PNG bytes for the Word pack, and its text alternative.

Word needs a raster image, so this chart is drawn with matplotlib (imported inside
`trend_png`, Agg canvas, no pyplot state) to look like the PDF's SVG chart: the overall score
over the archived quarters on the trend's fitted axis, the Green / Amber / Red bands shaded and
named where they fall on it, each
point labelled with its score, quarter and status word. Fixed layout (no `tight_layout`) and no
PNG metadata, so the same trend gives the same bytes. Only meaningful for two points or more.
"""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import as_file, files

from ...present.palette import PALETTE
from ...present.trend import Trend
from ...present.wording import WORDS
from ..fonts import chart_families
from . import band_labels

WIDTH_IN, HEIGHT_IN, DPI = 7.6, 2.8, 150
BAND_OPACITY = 0.6  # the status bands behind the line, as in the SVG chart


def trend_alt_text(trend: Trend) -> str:
    """The chart in words: "Overall score by quarter: Q2 2025 88 (Green), Q3 2025 83 (Amber)."."""
    points = ", ".join(f"{p.quarter} {p.score} ({p.status.word})" for p in trend.points)
    return f"{WORDS.chart.title}: {points}."


def trend_png(trend: Trend, green_from: float, amber_from: float, line_colour: str) -> bytes:
    """The overall score per quarter as a line over the shaded status bands, as PNG bytes."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ink, muted = PALETTE.ink, PALETTE.muted
    with rc_context({"font.family": chart_families(_font_family()), "font.size": 8.5}):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(figure)
        figure.subplots_adjust(left=0.06, right=0.83, top=0.93, bottom=0.2)
        axes = figure.add_subplot()
        count = len(trend.points)
        xs = list(range(count))
        axes.set_xlim(-0.5, count - 0.5)
        low, high = trend.axis
        axes.set_ylim(low, high)
        edges = ((high, max(green_from, low)), (min(green_from, high), max(amber_from, low)),
                 (min(amber_from, high), low))
        names = band_labels(green_from, amber_from)
        swatches = (PALETTE.status[css] for css in ("green", "amber", "red"))
        for (top, bottom), swatch, name in zip(edges, swatches, names, strict=True):
            if top <= bottom:
                continue
            axes.axhspan(bottom, top, color=swatch.fill, alpha=BAND_OPACITY, zorder=0,
                         linewidth=0)
            axes.text(1.015, ((top + bottom) / 2 - low) / (high - low), name,
                      transform=axes.transAxes,
                      color=swatch.ink, fontweight="bold", va="center")
        axes.set_yticks(trend.ticks)
        axes.grid(axis="y", color=PALETTE.grid, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.tick_params(colors=muted, length=0)
        axes.set_xticks(xs, [f"{p.quarter}\n{p.status.word}" for p in trend.points], color=ink)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.spines["left"].set_color(muted)
        scores = [p.score for p in trend.points]
        axes.plot(xs, scores, color=line_colour, linewidth=2.2, solid_joinstyle="round", zorder=3)
        axes.scatter(xs, scores, s=[30] * (count - 1) + [55], color=line_colour, edgecolors="white",
                     linewidths=1.5, zorder=4)
        for x, score in zip(xs, scores, strict=True):
            axes.annotate(str(score), (x, score), xytext=(0, 8), textcoords="offset points",
                          ha="center", color=ink, fontweight="bold",
                          fontsize=10 if x == count - 1 else 8.5)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


@cache
def _font_family() -> str:
    """Register the packaged Inter with matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    fonts = files("reportgen") / "templates" / "fonts"
    family = "DejaVu Sans"
    for name in ("Inter-Regular.otf", "Inter-Bold.otf"):
        with as_file(fonts / name) as path:  # a real file even when installed as a zip
            font_manager.fontManager.addfont(str(path))
            family = font_manager.get_font(str(path)).family_name
    return family
