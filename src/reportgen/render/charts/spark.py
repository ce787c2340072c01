"""A KPI's `Spark` (its actuals by quarter and its target, placed in a unit box by the view) →
a sparkline: inline SVG for the PDF and the HTML preview, PNG bytes for the Word pack.

Both draw the same shapes in the same colours: the dashed target line, the actuals as a line
(broken where a quarter has none) with a dot per quarter, and this quarter's dot larger in its
status colour. The SVG is hand-made text (well under a millisecond, vector in the PDF) whose
text alternative is XML-escaped; the PNG is drawn with Pillow (imported inside `spark_png`) at
four times its size and scaled down, so its lines are smooth, with no metadata, so the same
sparkline gives the same bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache

from markupsafe import Markup, escape

from ...present.palette import PALETTE
from ...present.scorecard import Point, Spark

# the drawing box, in SVG user units and in PNG pixels (before supersampling): 3 : 1
WIDTH, HEIGHT, PAD = 84, 28, 3
PNG_SCALE, SUPERSAMPLE = 3, 4  # PNG pixels per unit; drawn this many times larger, then shrunk
LINE, TARGET_LINE, DOT, LAST_DOT = 1.5, 1.0, 1.7, 2.8  # widths and radii, in units
DASH = (2.5, 1.8)  # the target line's dash and gap, in units


def _place(point: Point) -> tuple[float, float]:
    """A unit-box point (y up) in drawing units (y down)."""
    x, y = point
    return round(PAD + x * (WIDTH - 2 * PAD), 2), round(HEIGHT - PAD - y * (HEIGHT - 2 * PAD), 2)


def spark_svg(spark: Spark, line_colour: str) -> Markup:
    """The sparkline as an inline SVG image, its `alt` as title and label."""
    label = escape(spark.alt)
    target = _place((0, spark.target))[1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" role="img" aria-label="{label}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><title>{label}</title>'
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{target}" y2="{target}" '
        f'stroke="{PALETTE.target}" stroke-width="{TARGET_LINE}" '
        f'stroke-dasharray="{DASH[0]} {DASH[1]}"/>'
    ]
    colour = escape(line_colour)
    for run in spark.lines:
        points = " ".join("{},{}".format(*_place(p)) for p in run)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="{LINE}" stroke-linejoin="round" stroke-linecap="round"/>')
    for point in spark.dots:
        x, y = _place(point)
        last = point == spark.last
        fill = PALETTE.solid[spark.last_css] if last else colour
        parts.append(f'<circle cx="{x}" cy="{y}" r="{LAST_DOT if last else DOT}" fill="{fill}"'
                     + (f' stroke="{PALETTE.white}" stroke-width="0.6"/>' if last else "/>"))
    parts.append("</svg>")
    return Markup("".join(parts))


@lru_cache(maxsize=512)
def spark_png(spark: Spark, line_colour: str) -> bytes:
    """The sparkline as PNG bytes, `WIDTH × PNG_SCALE` by `HEIGHT × PNG_SCALE` pixels."""
    from PIL import Image, ImageDraw

    k = PNG_SCALE * SUPERSAMPLE  # pixels per unit while drawing
    image = Image.new("RGB", (WIDTH * k, HEIGHT * k), PALETTE.white)
    draw = ImageDraw.Draw(image)

    def at(point: Point) -> tuple[float, float]:
        x, y = _place(point)
        return x * k, y * k

    target = _place((0, spark.target))[1] * k
    x, end = float(PAD * k), float((WIDTH - PAD) * k)
    while x < end:  # the dashed target line
        draw.line([(x, target), (min(x + DASH[0] * k, end), target)], fill=PALETTE.target,
                  width=round(TARGET_LINE * k))
        x += (DASH[0] + DASH[1]) * k
    for run in spark.lines:
        draw.line([at(p) for p in run], fill=line_colour, width=round(LINE * k), joint="curve")
    for point in spark.dots:
        cx, cy = at(point)
        last = point == spark.last
        radius = (LAST_DOT if last else DOT) * k
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius],
                     fill=PALETTE.solid[spark.last_css] if last else line_colour,
                     outline=PALETTE.white if last else None, width=round(0.6 * k) if last else 0)
    small = image.reduce(SUPERSAMPLE)  # each pixel the mean of its block: smooth, and fast
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=False)
    return out.getvalue()
