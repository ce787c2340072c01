"""`PackView` → pack HTML, through the Jinja templates (the built-in ones or a user's overlay).

Templates are looked up in the user's folder first, then in the package; the `default:` prefix
(`{% extends "default:pack.html.j2" %}`) always reaches the built-in template. Autoescaping is
always on and undefined names fail. A user's folder is rendered in Jinja's immutable sandbox, so
it cannot reach Python internals or the file system, nor make a huge value in memory, with one
`*` or by any other operation (`render.sandbox`). Every template is read from inside
its folder: a symbolic link leading out of it is refused (`TemplateFolder`). `render_template`
reports a failure in a user's template as a `RenderError` naming its file and line.

Templates receive `view` (the `PackView`) and the render helpers `chart` (the trend chart as
inline SVG), `spark(k.spark)` (a KPI's sparkline as inline SVG), `asset(name)` (the URL of a
file shipped beside the templates), `logo` (the logo's
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
import hashlib
import mimetypes
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from .. import __version__
from ..domain.text import right_to_left
from ..errors import RenderError, ReportgenError
from ..present.language import speak, speaking, words
from ..present.palette import PALETTE
from ..present.portfolio import PortfolioView
from ..present.view import PackView
from . import diskcache
from .assets import MIME_TYPES, TEMPLATES
from .charts.spark import spark_svg
from .charts.svg import trend_svg
from .columns import keep_heading, keep_name, unbreakable, unspaced
from .fonts import css_stack
from .pdfjob import Pages
from .sandbox import Sandbox, budget
from .summary_fit import fit_summary
from .widths import Cut, PackWidths, category_cells, relayout

PACK_TEMPLATE = "pack.html.j2"
PORTFOLIO_TEMPLATE = "portfolio.html.j2"
_LONG_RUN = re.compile(r"\S{61,}")  # more than 60 characters without a space
_MAX_OUTPUT = 20_000_000  # characters from a user's templates (example pack 48,000; preview 1.5M)


def folder_file(folder: Path, name: str) -> Path | None:
    """The file `name` (a `/`-separated path) inside `folder`, resolved; None when there is none.

    A name that resolves outside the folder (a symbolic link to a file or a folder elsewhere,
    such as `/etc/passwd`) is a RenderError: nothing outside the folder is read.
    """
    root = folder.resolve()
    path = root.joinpath(*split_template_path(name))
    if not path.is_file():
        return None
    real = path.resolve()
    if not real.is_relative_to(root):
        raise RenderError(f"{shown(path)}: refused: it is a link to {real}, outside the "
                          f"template folder {shown(root)}")
    return real


def shown(path: Path) -> str:
    """`path` as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class TemplateFolder(BaseLoader):
    """Templates from one folder, never from outside it (see `folder_file`); UTF-8 text.

    `users` marks a user's folder; `served` is every file name it has handed to Jinja (the
    names Jinja gives the templates' frames in a traceback).
    """

    def __init__(self, folder: Path, *, users: bool) -> None:
        self.folder = folder.resolve()
        self.users = users
        self.served: set[str] = set()

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        real = folder_file(self.folder, template)
        if real is None:
            raise TemplateNotFound(template)
        path = self.folder.joinpath(*split_template_path(template))
        try:
            source, mtime = real.read_text(encoding="utf-8"), real.stat().st_mtime
        except UnicodeDecodeError:
            raise RenderError(f"{shown(path)}: not UTF-8 text; save it as UTF-8") from None
        except OSError as exc:
            raise RenderError(f"{shown(path)}: cannot be read ({exc.strerror})") from None

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime == mtime
            except OSError:
                return False

        self.served.add(str(path))
        return source, str(path), uptodate


def template_environment(user_dir: Path | None = None) -> Environment:
    """The Jinja environment: `user_dir` overlays the built-in templates (sandboxed)."""
    package = TemplateFolder(TEMPLATES, users=False)
    loaders: list[BaseLoader] = [PrefixLoader({"default": package}, delimiter=":")]
    if user_dir is not None:
        loaders.append(TemplateFolder(user_dir, users=True))
    loaders.append(package)
    kind = Environment if user_dir is None else Sandbox
    env = kind(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_breakable,
        extensions=["jinja2.ext.i18n"],
    )
    env.globals["heading"] = keep_heading  # for the headings macro, imported without context
    speak(env)
    if user_dir is None:  # a user's folder is compiled afresh by the sandbox, every time
        env.bytecode_cache = CompiledTemplates(env)
    return env


class CompiledTemplates(BytecodeCache):
    """The built-in templates, compiled, kept in the user's cache folder (`render.diskcache`):
    compiling the pack's templates takes about 70 ms, loading them 5 ms. Only the built-in
    environment has one: the sandbox a user's folder runs in compiles its checks into the code
    (`render.sandbox`), so it compiles afresh and runs no code compiled elsewhere.

    A file per template file: the name hashes the template's name and path with what shapes
    the compiled code (the environment's class, code generator, extensions and every option
    that is a flag, number or string, reportgen's version); Jinja checks the template's source
    checksum and its own and Python's versions when it loads one. A file that cannot be read,
    written or loaded is compiled again.
    """

    def __init__(self, env: Environment) -> None:
        options = sorted((name, value) for name, value in vars(env).items()
                         if isinstance(value, bool | int | str))  # trim_blocks, newstyle_gettext…
        shape = (type(env).__qualname__, env.code_generator_class.__qualname__, options,
                 getattr(env.finalize, "__qualname__", None), sorted(env.extensions), __version__)
        self.kind = hashlib.sha256(repr(shape).encode()).hexdigest()[:16]

    def _name(self, bucket: Bucket) -> str:
        return f"jinja-{self.kind}-{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = diskcache.load_bytes(self._name(bucket))
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # cut short or damaged: marshal and pickle raise many kinds
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        diskcache.store_bytes(self._name(bucket), bucket.bytecode_to_string())


def _breakable(value: object) -> object:
    """Plain text: a run of more than 60 characters with no space in it gets a zero-width space
    every 30.

    WeasyPrint breaks a word that has no break opportunity character by character, in time
    that grows with the square of its length (a 5,000-character cell takes 20 s); with a break
    opportunity every 30 characters it lays out like ordinary text. Shorter runs (words,
    numbers, IDs, e-mail addresses) are left whole, as the column widths make room for them
    (`render.widths`); a longer one could never fit a column anyway. A hyphenated compound of up
    to 15 characters is kept from breaking at its hyphens, and a figure from its unit
    (`columns.unbreakable`). Markup is left as it is.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return _broken(value)
    return value


def _broken(text: str) -> str:
    return unbreakable(_LONG_RUN.sub(_chunked, text))


def _chunked(match: re.Match[str]) -> str:
    word = match.group(0)
    return "\u200b".join(word[i:i + 30] for i in range(0, len(word), 30))


@cache
def _default_environment() -> Environment:
    return template_environment()


def render_template(env: Environment, name: str, **context: Any) -> str:
    """Template `name` rendered with `context`.

    A failure whose traceback passes through a template from the user's folder (a syntax
    error, an undefined name, a sandbox refusal, a missing include, an exception) is the user's
    error: a RenderError `FILE:LINE: what went wrong`, naming their innermost template line.
    A failure in the built-in templates alone is reportgen's own and propagates unchanged.
    With a user's folder, output beyond `_MAX_OUTPUT` characters (a runaway loop, which would
    exhaust memory before any time limit) is a RenderError too.
    """
    folder = _user_folder(env)
    try:
        template = env.get_template(name)
        if folder is None:
            return template.render(**context)
        with budget():
            return _capped(template.generate(**context), folder)
    except ReportgenError:
        raise
    except Exception as exc:
        where = _user_line(exc, folder.served if folder else set())
        if where is None:
            raise
        message = f"{where}: {_what(exc)}"
    raise RenderError(message)  # outside the handler: the user needs no Jinja traceback


def _user_folder(env: Environment) -> TemplateFolder | None:
    """The user's template folder that `env` (or the environment it overlays) reads."""
    loader = env.loader
    loaders = loader.loaders if isinstance(loader, ChoiceLoader) else [loader]
    return next((item for item in loaders if isinstance(item, TemplateFolder) and item.users),
                None)


def _capped(chunks: Iterator[str], folder: TemplateFolder) -> str:
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > _MAX_OUTPUT:
            raise RenderError(f"{shown(folder.folder)}: the templates' output passed "
                              f"{_MAX_OUTPUT:,} characters and was stopped (does a loop in "
                              "your templates run away?)")
        kept.append(chunk)
    return "".join(kept)


def _user_line(exc: BaseException, files: set[str]) -> str | None:
    """`FILE:LINE` of the innermost frame of `exc`'s traceback in a user's template, if any."""
    found = None
    if isinstance(exc, TemplateSyntaxError) and exc.filename in files:
        found = (exc.filename, exc.lineno)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in files:  # Jinja gives template frames their file
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return None if found is None else f"{shown(Path(found[0]))}:{found[1]}"


def _what(exc: Exception) -> str:
    if isinstance(exc, TemplateNotFound):
        return f"no template {exc.name!r} in the template folder or among the built-in ones"
    if isinstance(exc, TemplateSyntaxError):
        return f"syntax error: {exc.message}"
    if isinstance(exc, SecurityError):
        return f"{str(exc).rstrip('.')} (templates from your folder run in Jinja's sandbox)"
    if isinstance(exc, TemplateError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def render_html(view: PackView, env: Environment | None = None, *, standalone: bool = False,
                continued: frozenset[int] = frozenset(), whole: frozenset[Cut] = frozenset(),
                breaks: frozenset[Cut] = frozenset()) -> str:
    """The pack as HTML: for WeasyPrint (`standalone=False`) or as one self-contained file.
    `continued` are the scorecard rows that open a page in the middle of their category, where
    the PDF labels the category again, `whole` the tall rows a page break cut badly, now
    kept whole, and `breaks` the rows that open a page so a table's last pages are balanced
    (`pack_relayout`). The summary shows the attention items that fit its page
    (`summary_fit`)."""
    with speaking(view.language):
        view = fit_summary(view)
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
        return render_template(
            environment,
            PACK_TEMPLATE,
            view=view,
            chart=chart,
            asset=_inline_asset if standalone else _asset_url,
            logo=None if logo is None else escape(logo),
            font_stack=Markup(font_stack),  # built from a checked name: safe inside <style>
            standalone=standalone,
            palette=PALETTE,
            words=words(),
            spark=lambda spark: spark_svg(spark, view.branding.primary_colour),
            rtl=_rtl,
            nobreak=_nobreak,
            widths=PackWidths(view, whole, breaks),
            categories=category_cells(view.kpis, continued),
        )


def _nobreak(text: str) -> Markup:
    """A name whose words never break (`columns.keep_name`), a word of a script without spaces
    also in a no-wrap span: Pango breaks Thai between dictionary words, word joiners or not."""
    return Markup(" ").join(Markup('<span class="nowrap">{}</span>').format(word)
                            if unspaced(word) else _broken(word)
                            for word in keep_name(text).split(" "))


def _rtl(text: str) -> Markup:
    """` dir="rtl"` for an element holding `text` written right to left (the templates'
    `rtl`), so it runs and aligns from the right; nothing otherwise."""
    return Markup(' dir="rtl"') if right_to_left(text) else Markup("")


def pack_relayout(view: PackView, env: Environment | None = None
                  ) -> Callable[[Pages], str | None]:
    """For `render_pdf`'s `relayout`: the pack's HTML again once a layout has shown where its
    scorecard categories run on to a new page and which tall rows a page break cut badly."""
    return relayout(view.kpis, lambda continued, whole, breaks: render_html(
        view, env, continued=continued, whole=whole, breaks=breaks), len(view.risks))


def render_portfolio_html(view: PortfolioView, env: Environment | None = None) -> str:
    """The portfolio summary as HTML for WeasyPrint (`portfolio.html.j2`, with the pack's CSS)."""
    environment = env or _default_environment()
    return render_template(environment, PORTFOLIO_TEMPLATE, view=view, asset=_asset_url,
                           font_stack=Markup(css_stack(view.branding.font)), palette=PALETTE,
                           words=words())


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
