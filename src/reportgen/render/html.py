"""`PackView` → pack HTML, through the Jinja templates (the built-in ones or a user's overlay).

Templates are looked up in the user's folder first, then in the package; the `default:` prefix
(`{% extends "default:pack.html.j2" %}`) always reaches the built-in template. Autoescaping is
always on and undefined names fail. A user's folder is rendered in Jinja's immutable sandbox, so
it cannot reach Python internals or the file system.

Templates receive `view` (the `PackView`) and the render helpers `chart` (the trend chart as
inline SVG), `asset(name)` (the URL of a file shipped beside the templates), `logo` (the logo's
URL or None), `font_stack` (the CSS font-family list), `palette` (`present.palette.PALETTE`,
the pack's colours), `words` (`present.wording.WORDS`, its fixed labels and sentences),
`widths` (`render.widths.PackWidths`, every table's column widths), `categories` (the
scorecard's category cells, `render.widths.category_cells`) and `standalone`. For the PDF the
URLs are the template folder's `file:` URLs that `render.pdf`'s fetcher serves; for the HTML preview
(`standalone=True`) every asset is inlined as a `data:` URI, so the file stands alone. A run
of more than 60 characters without a space gets break opportunities (see `_breakable`).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..present.palette import PALETTE
from ..present.portfolio import PortfolioView
from ..present.view import PackView
from ..present.wording import WORDS
from .charts.svg import trend_svg
from .columns import keep_compounds
from .fonts import css_stack
from .widths import PackWidths, category_cells

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PACK_TEMPLATE = "pack.html.j2"
PORTFOLIO_TEMPLATE = "portfolio.html.j2"
_LONG_RUN = re.compile(r"\S{61,}")  # more than 60 characters without a space
MIME_TYPES = {
    ".otf": "font/otf", ".ttf": "font/ttf", ".woff2": "font/woff2", ".css": "text/css",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml",
}


def template_environment(user_dir: Path | None = None) -> Environment:
    """The Jinja environment: `user_dir` overlays the built-in templates (sandboxed)."""
    package = FileSystemLoader(str(TEMPLATES))
    loaders: list[BaseLoader] = [PrefixLoader({"default": package}, delimiter=":")]
    if user_dir is not None:
        loaders.append(FileSystemLoader(str(user_dir)))
    loaders.append(package)
    kind = Environment if user_dir is None else ImmutableSandboxedEnvironment
    return kind(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_breakable,
    )


def _breakable(value: object) -> object:
    """Plain text: a run of more than 60 characters with no space in it gets a zero-width space
    every 30.

    WeasyPrint breaks a word that has no break opportunity character by character, in time
    that grows with the square of its length (a 5,000-character cell takes 20 s); with a break
    opportunity every 30 characters it lays out like ordinary text. Shorter runs (words,
    numbers, IDs, e-mail addresses) are left whole, as the column widths make room for them
    (`render.widths`); a longer one could never fit a column anyway. A hyphenated compound of up
    to 15 characters is kept from breaking at its hyphens (`columns.keep_compounds`). Markup is
    left as it is.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return keep_compounds(_LONG_RUN.sub(_chunked, value))
    return value


def _chunked(match: re.Match[str]) -> str:
    word = match.group(0)
    return "\u200b".join(word[i:i + 30] for i in range(0, len(word), 30))


@cache
def _default_environment() -> Environment:
    return template_environment()


def render_html(view: PackView, env: Environment | None = None, *, standalone: bool = False,
                continued: frozenset[int] = frozenset()) -> str:
    """The pack as HTML: for WeasyPrint (`standalone=False`) or as one self-contained file.
    `continued` are the scorecard rows that open a page in the middle of their category
    (`render.widths.relayout`), where the PDF labels the category again."""
    environment = env or _default_environment()
    font_stack = css_stack(view.branding.font)
    chart = trend_svg(
        view.trend,
        green_from=view.methodology.green_from,
        amber_from=view.methodology.amber_from,
        line_colour=view.branding.primary_colour,
        font_family=font_stack,
    )
    logo = view.branding.logo_url
    if standalone and logo:
        logo = _inline_logo(logo)
    return environment.get_template(PACK_TEMPLATE).render(
        view=view,
        chart=chart,
        asset=_inline_asset if standalone else _asset_url,
        logo=None if logo is None else escape(logo),
        font_stack=Markup(font_stack),  # built from a checked name: safe inside <style>
        standalone=standalone,
        palette=PALETTE,
        words=WORDS,
        widths=PackWidths(view),
        categories=category_cells(view.kpis, continued),
    )


def render_portfolio_html(view: PortfolioView, env: Environment | None = None) -> str:
    """The portfolio summary as HTML for WeasyPrint (`portfolio.html.j2`, with the pack's CSS)."""
    environment = env or _default_environment()
    return environment.get_template(PORTFOLIO_TEMPLATE).render(
        view=view, asset=_asset_url, font_stack=Markup(css_stack(view.branding.font)),
        palette=PALETTE, words=WORDS,
    )


def _shipped(name: str) -> Path:
    path = (TEMPLATES / name).resolve()
    if not path.is_relative_to(TEMPLATES) or not path.is_file():
        raise ValueError(f"{name!r} is not a file shipped with the templates")
    return path


def _asset_url(name: str) -> Markup:
    return Markup(_shipped(name).as_uri())  # percent-encoded by as_uri: nothing to escape


@cache
def _inline_asset(name: str) -> Markup:
    path = _shipped(name)
    return Markup(_data_uri(path.read_bytes(), MIME_TYPES.get(path.suffix.lower(),
                                                              "application/octet-stream")))


def _inline_logo(url: str) -> str | None:
    """The configured logo (a `file:` URL) as a data: URI; None when it cannot be read."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = Path(url2pathname(parts.path))
    try:
        data = path.read_bytes()
    except OSError:
        return None
    mime = MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    return _data_uri(data, mime or "application/octet-stream")


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
