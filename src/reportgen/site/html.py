"""Site page views → HTML bytes, and the site's assets (stylesheet, script, fonts, logo).

Input: a page view from `site.pages` and the settings (branding, score bands). Output: the
page as UTF-8 HTML, rendered from the built-in templates in `templates/site/` with autoescaping
on and undefined names failing; `assets()` gives the files of `assets/`. The trend chart and
the sparklines are `render.charts.svg`'s. Unlike the pack's environment (`render.html`), this
one inserts no zero-width spaces into long words: the page's CSS wraps them, and a SHA-256
copied from the page must stay exactly as archived. No value a page prints carries a bidi
control (`domain.text.strip_bidi`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..config import Settings
from ..domain.text import strip_bidi
from ..present.language import speak, speaking
from ..present.palette import PALETTE
from ..present.trend import Trend, TrendPoint
from ..render.assets import TEMPLATES
from ..render.charts.spark import spark_svg
from ..render.charts.svg import trend_svg
from .pages import IndexPage, Page, PartnershipPage, QuarterPage, QuartersPage
from .views import score_spark

FONTS = ("Inter-Regular.otf", "Inter-SemiBold.otf", "Inter-Bold.otf", "LICENSE-Inter.txt")
_TEMPLATE_OF = {IndexPage: "site/index.html.j2", PartnershipPage: "site/partnership.html.j2",
                QuarterPage: "site/quarter.html.j2", QuartersPage: "site/quarters.html.j2"}
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
_ICON = (  # the tab's icon: three rising bars on the branding colour
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="{primary}"/>'
    '<rect x="7" y="17" width="4.5" height="8" fill="#FFFFFF"/>'
    '<rect x="13.75" y="12" width="4.5" height="13" fill="#FFFFFF"/>'
    '<rect x="20.5" y="7" width="4.5" height="18" fill="{accent}"/></svg>\n'
)


@dataclass(frozen=True)
class SiteInfo:
    """What every page's frame shows."""

    title: str
    organisation: str
    logo: str | None  # the logo's path inside the site ("assets/logo.png"), if configured
    generated: str  # "2025-10-01 09:30 UTC"
    generated_iso: str
    version: str
    partnerships: int
    revisions: int


def _without_bidi_controls(value: Any) -> Any:
    """Every value a page prints, without bidi controls (`domain.text.strip_bidi`): a name
    cannot reverse the text after it."""
    if isinstance(value, Markup):
        return Markup(strip_bidi(str(value)))
    return strip_bidi(value) if isinstance(value, str) else value


class SiteRenderer:
    """Renders the pages of one site with one Jinja environment."""

    def __init__(self, settings: Settings, info: SiteInfo) -> None:
        self.settings = settings
        self.info = info
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
            finalize=_without_bidi_controls,
        )
        speak(self.env)  # `_` and `ngettext` in the templates: the settings' language
        scoring, colour = settings.scoring, settings.branding.primary_colour
        self._chart = partial(trend_svg, green_from=scoring.green_from,
                              amber_from=scoring.amber_from, line_colour=colour,
                              font_family='"Reportgen Inter", "DejaVu Sans", sans-serif')
        self._templates = {kind: self.env.get_template(name) for kind, name in _TEMPLATE_OF.items()}

    def page(self, page: Page) -> bytes:
        with speaking(self.settings.language):
            return self._templates[type(page)].render(
                site=self.info, page=page, sparkline=self.sparkline, chart=self.chart,
                language=self.settings.language,
            ).encode("utf-8")

    def sparkline(self, points: Sequence[TrendPoint]) -> Markup:
        spark = score_spark(points, self.settings.scoring.rules)
        return spark_svg(spark, self.settings.branding.primary_colour)

    def chart(self, trend: Trend) -> Markup:
        return self._chart(trend)

    def assets(self) -> dict[str, bytes]:
        """The files of `assets/`, by their path inside the site."""
        branding = self.settings.branding
        css = self.env.get_template("site/site.css.j2").render(
            primary=branding.primary_colour, accent=branding.accent_colour, palette=PALETTE)
        files = {
            "assets/icon.svg": _ICON.format(primary=branding.primary_colour,
                                            accent=branding.accent_colour).encode(),
            "assets/site.css": css.encode("utf-8"),
            "assets/site.js": (TEMPLATES / "site" / "site.js").read_bytes(),
        }
        for name in FONTS:
            files[f"assets/fonts/{name}"] = (TEMPLATES / "fonts" / name).read_bytes()
        logo = logo_asset(branding.logo)
        if logo is not None and branding.logo is not None:
            files[logo] = branding.logo.read_bytes()
        return files


def logo_asset(logo: Path | None) -> str | None:
    """The configured logo's path inside the site, or None."""
    if logo is None or logo.suffix.lower() not in LOGO_TYPES:
        return None
    return f"assets/logo{logo.suffix.lower()}"

