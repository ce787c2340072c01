"""Charts: a `Trend` (overall score per archived quarter) → an inline SVG line chart for the pack
and the site; a few `TrendPoint`s → a sparkline for a table cell (the site's index).

Hand-made SVG text, no plotting library: it costs well under a millisecond, stays vector in the
PDF and is the same markup in the HTML preview. Every piece of text is XML-escaped, so a quarter
label can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ...domain.measures import format_number
from ...present.trend import Trend, TrendPoint

# Drawing area, in SVG user units (the chart scales to the width of its container).
WIDTH, HEIGHT = 760, 250
LEFT, RIGHT, TOP, BOTTOM = 46, 112, 18, 202  # plot margins: right holds the band labels

_BANDS = (  # fill, label colour (dark text, ≥ 7:1 on the fill)
    ("#E6F4EA", "#0F5132"),
    ("#FDF3DC", "#7A4100"),
    ("#FCF1F0", "#8A1C14"),
)
_LINE = "#1F3A5F"
_GRID = "#C9D0DA"
_MUTED = "#4B5563"


def trend_svg(
    trend: Trend,
    *,
    green_from: float = 85,
    amber_from: float = 70,
    line_colour: str = _LINE,
    font_family: str = "sans-serif",
) -> Markup:
    """The overall score (0–100) over `trend.points`, with Green/Amber/Red bands shaded.

    One point (the first archived quarter) gives a single labelled marker in the middle.
    """
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = BOTTOM - TOP

    def y(score: float) -> float:
        return round(BOTTOM - plot_h * max(0.0, min(100.0, score)) / 100, 2)

    count = len(trend.points)
    step = plot_w / count
    xs = [round(LEFT + step * (index + 0.5), 2) for index in range(count)]

    parts: list[str] = []
    summary = "; ".join(f"{p.quarter}: {p.score} ({p.status.word})" for p in trend.points)
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="{escape(font_family)}" font-size="12">'
        f"<title>Overall score by quarter</title><desc>{escape(summary)}</desc>"
    )
    # Bands: Green at and above green_from, Amber from amber_from, Red below.
    edges = ((100.0, float(green_from)), (float(green_from), float(amber_from)),
             (float(amber_from), 0.0))
    names = (f"Green ≥ {format_number(green_from)}", f"Amber ≥ {format_number(amber_from)}",
             f"Red < {format_number(amber_from)}")
    for (top, bottom), (fill, ink), name in zip(edges, _BANDS, names, strict=True):
        if top <= bottom:
            continue
        height = round(y(bottom) - y(top), 2)
        parts.append(
            f'<rect x="{LEFT}" y="{y(top)}" width="{plot_w}" height="{height}" fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 10}" y="{round((y(top) + y(bottom)) / 2 + 4, 2)}" '
            f'fill="{ink}" font-weight="600">{escape(name)}</text>'
        )
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}" '
            f'stroke="{_GRID}" stroke-width="0.8"/>'
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
            f'stroke="#FFFFFF" stroke-width="2"/>'
            f'<text x="{x}" y="{y(point.score) - 12}" text-anchor="middle" '
            f'font-weight="{700 if last else 600}" font-size="{14 if last else 12}" '
            f'fill="#111827">{point.score}</text>'
            f'<text x="{x}" y="{BOTTOM + 18}" text-anchor="middle" fill="#111827" '
            f'font-weight="600">{escape(point.quarter)}</text>'
            f'<text x="{x}" y="{BOTTOM + 33}" text-anchor="middle" fill="{_MUTED}" '
            f'font-size="11">{escape(point.status.word)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}" stroke="{_MUTED}" '
        f'stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))



SPARK_WIDTH, SPARK_HEIGHT, SPARK_SPAN = 112, 32, 20  # the span: at least 20 points tall
_INK = dict(zip(("green", "amber", "red"), (ink for _, ink in _BANDS), strict=True))


def sparkline_svg(
    points: Sequence[TrendPoint],
    *,
    green_from: float = 85,
    amber_from: float = 70,
    line_colour: str = _LINE,
) -> Markup:
    """A small score history for a table cell: the scores as a line, oldest first, scaled to
    their own range (at least 20 points tall, so a small wobble stays small); the Green and
    Amber thresholds within that range as faint dashed rules; the latest score as a larger dot
    in its status's colour. Its text alternative lists every quarter's score and status."""
    pad = 4
    scores = [p.score for p in points]
    middle = (min(scores) + max(scores)) / 2
    span = max(SPARK_SPAN, max(scores) - min(scores))
    low = max(0.0, min(100.0 - span, middle - span / 2))

    def y(score: float) -> float:
        return round(SPARK_HEIGHT - pad - (score - low) / span * (SPARK_HEIGHT - 2 * pad), 2)

    step = (SPARK_WIDTH - 2 * pad) / max(1, len(points) - 1)
    xs = [round(pad + step * i, 2) if len(points) > 1 else SPARK_WIDTH / 2
          for i in range(len(points))]
    label = "Score history: " + ", ".join(
        f"{p.quarter} {p.score} ({p.status.word})" for p in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}"><title>{escape(label)}</title>'
    ]
    for threshold in (green_from, amber_from):
        if low <= threshold <= low + span:
            parts.append(f'<line x1="0" x2="{SPARK_WIDTH}" y1="{y(threshold)}" '
                         f'y2="{y(threshold)}" stroke="{_GRID}" stroke-width="1" '
                         f'stroke-dasharray="3 2"/>')
    if len(points) > 1:
        line = " ".join(f"{x},{y(p.score)}" for x, p in zip(xs, points, strict=True))
        parts.append(f'<polyline points="{line}" fill="none" stroke="{escape(line_colour)}" '
                     f'stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round"/>')
    for index, (x, point) in enumerate(zip(xs, points, strict=True)):
        last = index == len(points) - 1
        fill = _INK.get(point.status.css, _MUTED) if last else line_colour
        ring = ' stroke="#FFFFFF" stroke-width="1.5"' if last else ""
        parts.append(f'<circle cx="{x}" cy="{y(point.score)}" r="{4 if last else 2}" '
                     f'fill="{escape(fill)}"{ring}/>')
    parts.append("</svg>")
    return Markup("".join(parts))
