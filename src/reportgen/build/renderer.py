"""The renderer set-up of one build: scored review + history in, the pack's files as bytes out.

`Renderer` holds what every pack of a run shares (the settings, the Jinja environment, the Word
logo, the digest of everything that shapes a pack) and turns one `ScoredReview` into its
`PackView` and then into the formats asked for, with the PDF's attachments, all of it within
`render_timeout`. With a `[signing]` certificate the PDF is signed (PAdES) before it leaves
here, so the manifest's and the archive's SHA-256 are of the signed bytes. Renderers are
imported only when a format needs them. Before rendering,
`unshown` finds the workbook's characters that no installed font can draw
(`render.fonts.unshown`), by cell. Nothing is read from outside the template folder: a file
there that links elsewhere is left out of the digest, and as the Word reference it is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import __version__
from ..config import Settings
from ..domain.history import HistoryEntry
from ..domain.model import ReviewInput
from ..domain.scoring import ScoredReview
from ..errors import RenderError
from ..outputs.layout import Artifact
from ..present.document import reviews_json
from ..present.language import speaking
from ..present.portfolio import PortfolioView
from ..present.summary import Summary, summary_of
from ..present.view import PackView, build_view
from ..render.limits import paused, seconds_text, time_limit

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..render.fonts import Unshown
    from ..render.offload import LayoutProcess
    from ..render.pdfjob import Attachment
    from ..render.signing import Signer


class Renderer:
    """Everything shared by the packs of one run: settings, the Jinja environment, the logo."""

    def __init__(self, settings: Settings, layout: LayoutProcess | None = None) -> None:
        self.settings = settings
        self.layout = layout  # lays out the PDFs in another process, when given and usable
        self._env: Environment | None = None
        self._digests: dict[str, str] = {}
        self._word_logo: tuple[bytes | None, str] | None = None
        self._signer: tuple[Signer | None] | None = None  # loaded on the first PDF
        logo = settings.branding.logo
        self.logo_url = logo.as_uri() if logo else None

    def digest(self, formats: Sequence[str]) -> str:
        """Settings + user templates + Word reference + logo + signing certificate + tool
        version: what shapes a pack (never the signing passphrase)."""
        key = ",".join(sorted(formats))
        if key not in self._digests:
            self._digests[key] = self._digest(formats)
        return self._digests[key]

    def _digest(self, formats: Sequence[str]) -> str:
        h = hashlib.sha256(self.settings.digest().encode())
        h.update(f"{__version__}|{','.join(sorted(formats))}".encode())
        extra = [self.settings.branding.logo, self.settings.word_reference,
                 self.settings.signing.pkcs12]
        folder = self.settings.templates
        if folder and folder.is_dir():
            root = folder.resolve()  # a file linking out of the folder is not the folder's
            extra += sorted(p for p in folder.rglob("*") if p.resolve().is_relative_to(root))
        for path in extra:
            if path is not None and path.is_file():
                h.update(str(path).encode() + path.read_bytes())
        return h.hexdigest()

    def environment(self) -> Environment:
        if self._env is None:
            from ..render.html import template_environment

            self._env = template_environment(self.settings.templates)
        return self._env

    def view(self, scored: ScoredReview, history: Sequence[HistoryEntry],
             generated_at: dt.datetime, language: str = "") -> PackView:
        """The pack's view (in `language` for a reader of another language than the pack's);
        its headline written through the templates (a user's may reword it)."""
        return build_view(scored, self.settings, generated_at, history, self.logo_url,
                          env=self.environment(), language=language)

    def unshown(self, review: ReviewInput) -> list[Unshown]:
        """Each character of the review's text that no installed font has, at its first cell
        (the pack would show an empty box for it)."""
        from ..render.fonts import unshown

        return unshown(review)

    def render(self, scored: ScoredReview, history: Sequence[HistoryEntry], source: bytes,
               formats: Sequence[str], generated_at: dt.datetime,
               unshown: Sequence[Unshown] = (), language: str = ""
               ) -> tuple[list[Artifact], tuple[str, ...], PackView]:
        """The pack in each of `formats`, the warnings rendering gave (`unshown`'s first), and
        the view they show (whose headline and decisions the manifest keeps for the e-mail).
        With `language`, the pack is written in it for a reader of that language (its files
        carry the tag).

        All of it (templates, PDF, Word, preview) must finish within `render_timeout` seconds,
        or it is a RenderError naming the limit."""
        # With a layout process, the Word pack's libraries are imported once the PDF is handed
        # over (its layout is the longer task); either way, no import is the pack's time.
        handed = "pdf" in formats and self.layout is not None and self.layout.usable
        _import_renderers(() if handed else formats, trend_chart=bool(history))
        limit = self.settings.render_timeout
        with time_limit(limit, f"rendering the pack took longer than render_timeout "
                               f"({seconds_text(limit)}) and was stopped"):
            return self._render(scored, history, source, formats, generated_at, unshown,
                                handed, language)

    def render_portfolio(self, view: PortfolioView) -> bytes:
        """The portfolio summary as PDF bytes, from the user's templates when they have one,
        within `render_timeout` like a pack."""
        from ..render.html import render_portfolio_html
        from ..render.pdf import render_portfolio_pdf

        limit = self.settings.render_timeout
        with time_limit(limit, f"rendering the portfolio summary took longer than "
                               f"render_timeout ({seconds_text(limit)}) and was stopped"):
            return self.sign(render_portfolio_pdf(
                view, render_portfolio_html(view, self.environment()), timeout=limit))

    def _render(self, scored: ScoredReview, history: Sequence[HistoryEntry], source: bytes,
                formats: Sequence[str], generated_at: dt.datetime, unshown: Sequence[Unshown],
                handed: bool, language: str
                ) -> tuple[list[Artifact], tuple[str, ...], PackView]:
        view = self.view(scored, history, generated_at, language)
        with speaking(view.language):  # the charts, the PDF's and the Word pack's words
            artifacts, warnings, view = self._formats(view, scored, source, formats, unshown,
                                                      handed)
        return [replace(a, language=language) for a in artifacts], warnings, view

    def _formats(self, view: PackView, scored: ScoredReview, source: bytes,
                 formats: Sequence[str], unshown: Sequence[Unshown], handed: bool
                 ) -> tuple[list[Artifact], tuple[str, ...], PackView]:
        """`_render`'s work once the view is made: the PDF handed to the layout process when
        `handed` (the Word pack is made while it lays out), else laid out here."""
        from ..render.html import pack_relayout, render_html

        artifacts: list[Artifact] = []
        warnings = tuple(str(u) for u in unshown)
        env = self.environment()
        if "pdf" in formats:
            from ..render.pdfjob import pack_job

            job = pack_job(view, render_html(view, env),
                           attachments=self.attachments(scored, source, view.summary),
                           logo=self.settings.branding.logo,
                           timeout=self.settings.render_timeout,
                           source_name=scored.input.source_file)
            elsewhere = False
            with paused():  # waiting for the other process's WeasyPrint, and imports
                if handed and self.layout is not None:
                    elsewhere = self.layout.submit(job)  # else it is gone: WeasyPrint here
                    _import_renderers([f for f in formats if f != "pdf" or not elsewhere],
                                      trend_chart=len(view.trend.points) > 1)
        docx = self._docx(view) if "docx" in formats else None  # while the PDF is laid out
        if "pdf" in formats:
            relayout = pack_relayout(view, env)
            if elsewhere and self.layout is not None:
                result = self.layout.result(relayout)
            else:
                from ..render.pdf import write

                result = write(job, relayout)
            artifacts.append(Artifact("pdf", self.sign(result.data)))
            from ..render.fonts import missing_glyph

            reported = {u.char for u in unshown}
            warnings += result.warnings + tuple(  # characters of the templates' own text
                missing_glyph(char) for char in result.missing if char not in reported)
        if docx is not None:
            artifacts.append(Artifact("docx", docx[0]))
            if docx[1]:
                warnings = (*warnings, docx[1])
        if "html" in formats:
            artifacts.append(Artifact("html", render_html(view, env,
                                                          standalone=True).encode("utf-8")))
        return artifacts, warnings, view

    def sign(self, data: bytes) -> bytes:
        """`data` signed with the configured certificate (as it is without one)."""
        if self._signer is None:
            from ..render.signing import load_signer

            self._signer = (load_signer(self.settings.signing),)
        signer = self._signer[0]
        return data if signer is None else signer.sign(data)

    def _docx(self, view: PackView) -> tuple[bytes, str]:
        """The Word pack, and a warning when the configured logo cannot go on its cover."""
        from ..render.word.pack import render_docx, word_logo

        if self._word_logo is None:  # read once per run: (bytes or None, problem or "")
            try:
                path = self.settings.branding.logo
                self._word_logo = (word_logo(path) if path else None, "")
            except RenderError as exc:
                self._word_logo = (None, str(exc))
        logo, problem = self._word_logo
        chart = None
        if len(view.trend.points) > 1:
            from ..render.charts.png import trend_png

            chart = trend_png(view.trend, self.settings.scoring.green_from,
                              self.settings.scoring.amber_from, view.branding.primary_colour)
        reference = self.settings.word_reference
        if reference is None and self.settings.templates is not None:
            from ..render.html import folder_file

            reference = folder_file(self.settings.templates, "reference.docx")
        return render_docx(view, reference=reference, trend_png=chart, logo=logo), problem

    def attachments(self, scored: ScoredReview, source: bytes,
                    summary: Summary | None = None) -> list[Attachment]:
        """The scored review as JSON (with `summary`, the pack's, else one made here) and, for a
        one-partnership workbook, the workbook itself.

        A portfolio workbook holds other partnerships' figures, so it is never embedded in a
        pack that goes to one partner; the JSON carries this partnership's data instead.
        """
        from ..render.pdfjob import Attachment

        summary = summary or summary_of(scored, self.settings, self.environment())
        data = reviews_json([(scored, summary)]).encode("utf-8")
        items = [Attachment("scored-review.json", data,
                            "The scored review (reportgen)", "application/json", "Data")]
        if source:
            items.insert(0, Attachment(
                scored.input.source_file, source, "Source workbook",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Source"))
        return items


def _import_renderers(formats: Sequence[str], trend_chart: bool) -> None:
    """Import what `formats` need before the pack's clock starts: a first import (WeasyPrint
    takes ~0.6 s, matplotlib ~0.4 s) is not the pack's time, and the alarm must not cut one short.
    """
    from ..render import html  # noqa: F401  (Jinja)

    if "pdf" in formats:
        from ..render import pdf  # noqa: F401  (WeasyPrint)
    if "docx" in formats:
        from ..render.word import pack  # noqa: F401  (python-docx)
        if trend_chart:  # what render.charts.png.trend_png imports for the Word trend chart
            import matplotlib.backends.backend_agg  # noqa: F401
