"""Charts for the pack: a `Trend` (overall score per archived quarter) → an inline SVG line chart,
on the trend's fitted axis (the KPI sparklines are `spark`'s).

Hand-made SVG text, no plotting library: it costs well under a millisecond, stays vector in the
PDF and is the same markup in the HTML preview. Every piece of text is XML-escaped, so a quarter
label can never become markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ...present.palette import PALETTE
from ...present.trend import Trend
from ...present.wording import WORDS
from . import band_labels

# Drawing area, in SVG user units (the chart scales to the width of its container).
WIDTH, HEIGHT = 760, 250
LEFT, RIGHT, TOP, BOTTOM = 46, 112, 18, 202  # plot margins: right holds the band labels

_MUTED = PALETTE.muted
BAND_OPACITY = 0.6  # the status bands behind the line, as in the Word pack's chart


def trend_svg(
    trend: Trend,
    *,
    green_from: float = 85,
    amber_from: float = 70,
    line_colour: str,
    font_family: str = "sans-serif",
) -> Markup:
    """The overall score over `trend.points` on the trend's axis (fitted to the scores), with
    the Green/Amber/Red bands shaded where they fall on it.

    One point (the first archived quarter) gives a single labelled marker in the middle.
    """
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = BOTTOM - TOP
    low, high = trend.axis

    def y(score: float) -> float:
        return round(BOTTOM - plot_h * (max(low, min(high, score)) - low) / (high - low), 2)

    count = len(trend.points)
    step = plot_w / count
    xs = [round(LEFT + step * (index + 0.5), 2) for index in range(count)]

    parts: list[str] = []
    summary = "; ".join(f"{p.quarter}: {p.score} ({p.status.word})" for p in trend.points)
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="{escape(font_family)}" font-size="12">'
        f"<title>{escape(WORDS.chart.title)}</title><desc>{escape(summary)}</desc>"
    )
    # Bands: Green at and above green_from, Amber from amber_from, Red below.
    edges = ((float(high), max(float(green_from), low)),
             (min(float(green_from), high), max(float(amber_from), low)),
             (min(float(amber_from), high), float(low)))
    names = band_labels(green_from, amber_from)
    swatches = (PALETTE.status[css] for css in ("green", "amber", "red"))
    for (top, bottom), swatch, name in zip(edges, swatches, names, strict=True):
        if top <= bottom:
            continue
        height = round(y(bottom) - y(top), 2)
        parts.append(
            f'<rect x="{LEFT}" y="{y(top)}" width="{plot_w}" height="{height}" '
            f'fill="{swatch.fill}" fill-opacity="{BAND_OPACITY}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 10}" y="{round((y(top) + y(bottom)) / 2 + 4, 2)}" '
            f'fill="{swatch.ink}" font-weight="600">{escape(name)}</text>'
        )
    for tick in trend.ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}" '
            f'stroke="{PALETTE.grid}" stroke-width="0.8"/>'
            f'<text x="{LEFT - 8}" y="{y(tick) + 4}" text-anchor="end" '
            f'fill="{_MUTED}">{tick}</text>'
        )
    if count > 1:
        points = " ".join(f"{x},{y(p.score)}" for x, p in zip(xs, trend.points, strict=True))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{escape(line_colour)}" '
            f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    for index, (x, point) in enumerate(zip(xs, trend.points, strict=True)):
        last = index == count - 1
        radius = 6 if last else 4.5
        parts.append(
            f'<circle cx="{x}" cy="{y(point.score)}" r="{radius}" fill="{escape(line_colour)}" '
            f'stroke="{PALETTE.white}" stroke-width="2"/>'
            f'<text x="{x}" y="{y(point.score) - 12}" text-anchor="middle" '
            f'font-weight="{700 if last else 600}" font-size="{14 if last else 12}" '
            f'fill="{PALETTE.ink}">{point.score}</text>'
            f'<text x="{x}" y="{BOTTOM + 18}" text-anchor="middle" fill="{PALETTE.ink}" '
            f'font-weight="600">{escape(point.quarter)}</text>'
            f'<text x="{x}" y="{BOTTOM + 33}" text-anchor="middle" fill="{_MUTED}" '
            f'font-size="11">{escape(point.status.word)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}" stroke="{_MUTED}" '
        f'stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))

