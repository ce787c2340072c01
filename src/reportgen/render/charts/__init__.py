"""The trend chart, drawn twice from one `Trend`: `svg` (vector, for the PDF and HTML) and `png`
(raster, for the Word pack)."""

from ...domain.measures import format_number
from ...present.wording import WORDS


def band_labels(green_from: float, amber_from: float) -> tuple[str, str, str]:
    """The trend chart's band names, in both charts: "Green ≥ 85", "Amber ≥ 70", "Red < 70"."""
    chart = WORDS.chart
    return (chart.green.format(n=format_number(green_from)),
            chart.amber.format(n=format_number(amber_from)),
            chart.red.format(n=format_number(amber_from)))
