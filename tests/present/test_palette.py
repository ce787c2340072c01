"""The one palette: every text colour is legible on its background (WCAG AA, 4.5:1), and the
PDF's stylesheet and both charts take their colours from it."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import example_review
from reportgen.config import Settings
from reportgen.present.palette import PALETTE, contrast, hex_digits
from reportgen.present.view import build_view
from reportgen.render.charts.svg import trend_svg
from reportgen.render.html import render_html

SWATCHES = [*PALETTE.status.items(), *PALETTE.rating.items(), *PALETTE.decision.items()]


def test_contrast_is_the_wcag_ratio():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert hex_digits("#1a2230") == "1A2230"


@pytest.mark.parametrize(("name", "swatch"), SWATCHES, ids=[name for name, _ in SWATCHES])
def test_every_swatch_has_legible_ink(name, swatch):
    assert contrast(swatch.fill, swatch.ink) >= 4.5


@pytest.mark.parametrize("fill", [*PALETTE.solid.values(), Settings().branding.primary_colour])
def test_white_words_on_solid_fills_are_legible(fill):
    assert contrast(fill, PALETTE.white) >= 4.5


def test_body_and_muted_text_are_legible_on_white_and_on_panels():
    for background in (PALETTE.white, PALETTE.faint, PALETTE.total):
        assert contrast(PALETTE.ink, background) >= 7
        assert contrast(PALETTE.muted, background) >= 4.5


def test_the_stylesheet_and_the_chart_use_the_palette():
    view = build_view(example_review(3), Settings(), dt.datetime(2025, 10, 1, tzinfo=dt.UTC))
    html = render_html(view)
    for name, swatch in PALETTE.rating.items():
        assert (f".rating-{name} {{ background: {swatch.fill}; color: {swatch.ink}; "
                f"border-color: {swatch.edge}; }}") in html
    svg = str(trend_svg(view.trend, line_colour="#123456"))
    for css in ("green", "amber", "red"):
        assert f'fill="{PALETTE.status[css].fill}"' in svg
