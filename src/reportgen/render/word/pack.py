"""`PackView` → the Word pack (.docx bytes), built on a reference document (docs/pack.md#word).

Like pandoc's reference docx: the reference's body is deleted, and its styles, page margins,
header and footer parts are kept; a style the pack needs that the reference lacks is copied from
the packaged `templates/reference.docx`. Fonts, headings and spacing therefore come from the
reference, while table header rows and status fills use the pack's colours (the branding colour,
as in the PDF). The sections, their order, every number and every table's column widths
(`render.widths`) are those of the PDF, on the page size and orientation of the settings: all
text shown is already formatted and cleaned by the view.

This module puts the pack together (cover, contents, document properties, bytes); each section
is written by its own module (`summary`, `scorecard`, `risks`, `closing`) with the shared look
of `looks`; the reference document and its styles are opened by `reference`, and the generic
WordprocessingML (the `Writer` and its tables) is in `wordml`.
Status is never shown by colour alone. The output is deterministic: the same view gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx.document import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image

from ...errors import RenderError
from ...present.language import gettext, speaking
from ...present.palette import PALETTE, hex_digits
from ...present.view import PackView
from ...present.wording import WORDS
from ..summary_fit import fit_summary
from .closing import write_actions, write_appendix, write_decisions, write_governance
from .looks import MUTED, TILE, facts
from .reference import open_reference, set_language
from .risks import write_risks
from .scorecard import write_scorecard, write_trend
from .summary import write_attention_appendix, write_summary
from .wordml import CM, PLAIN, WHITE, Look, Writer, cell


def render_docx(view: PackView, *, reference: Path | None = None,
                trend_png: bytes | None = None, logo: bytes | None = None) -> bytes:
    """The pack as .docx bytes, built on `reference` (default: the packaged reference.docx).

    `trend_png` is the trend chart (`chart_png.trend_png`); without it, or with a single
    quarter, the trend is told in a sentence. `logo` is the configured logo as PNG or JPEG
    bytes (`word_logo`), shown on the cover as in the PDF. The summary shows the attention
    items that fit its page, the same as the PDF's (`summary_fit`).
    """
    with speaking(view.language):
        view = fit_summary(view)
        doc = open_reference(reference)
        set_language(doc, view.language)
        header = " · ".join(t for t in (view.partnership, view.quarter_label, view.confidentiality)
                            if t)
        writer = Writer(doc, page_size=view.page_size, primary=view.branding.primary_colour,
                        accent=view.branding.accent_colour, header=header, footer=view.title,
                        page_words=(WORDS.page, WORDS.page_of))
        _cover(writer, view, logo)
        _contents(writer, view)
        write_summary(writer, view)
        write_scorecard(writer, view)
        write_risks(writer, view)
        write_trend(writer, view, trend_png)
        if view.decisions:
            write_decisions(writer, view)
        if view.agenda.actions:
            write_actions(writer, view)
        write_governance(writer, view)
        if view.summary.more:
            write_attention_appendix(writer, view)
        write_appendix(writer, view)
        writer.finish()
        generated = view.provenance.generated.replace(tzinfo=None)  # UTC, as Word stores it
        _core_properties(doc, view, generated)
        return _save(doc, generated)

def _cover(w: Writer, view: PackView, logo: bytes | None) -> None:
    def band() -> None:  # the branding colour behind title, partnership and quarter
        if logo is not None:  # on a white plate, as in the PDF: most logos are dark
            width, height = _fit(logo, 6 * CM, round(1.4 * CM))
            plate = round(0.15 * CM)
            w.columns([1], lambda: w.picture(logo, width, view.branding.organisation or WORDS.logo,
                                             name="Logo", height_twips=height, align="left"),
                      fill=WHITE, padding=plate, total=width + 2 * plate)
        top = [(view.branding.organisation, Look(bold=True, colour=WHITE, caps=True))
               ] if view.branding.organisation else []
        w.paragraph([*top, ("\t" if top else "", PLAIN),
                     (view.confidentiality, Look(bold=True, size=9, colour=WHITE, caps=True))],
                    align=None if top else "right")
        # as in the PDF: the title as a small kicker above the partnership's name, the largest
        w.paragraph([(view.title, Look(bold=True, size=14,
                                       colour=hex_digits(PALETTE.cover_title)))],
                    space_before=(CM if logo else 2 * CM))
        w.paragraph([(view.partnership, Look(size=30, colour=WHITE))], "Title")
        w.paragraph([(WORDS.cover_partner.format(partner=view.partner),
                      Look(size=14, colour=hex_digits(PALETTE.cover_partner)))])
        w.paragraph([(view.quarter_label, Look(bold=True, size=20, colour=WHITE))])

    w.columns([1], band, fill=w.primary, padding=round(0.9 * CM), rule=w.accent)
    w.paragraph("")
    _cover_facts(w, view.cover_facts)


def _cover_facts(w: Writer, rows: tuple[tuple[str, str], ...]) -> None:
    """The cover's facts two to a row, small capitals over large values, as in the PDF."""
    label, value = Look(bold=True, size=7.8, colour=MUTED, caps=True), Look(size=11)
    cells = [c for key, text in rows for c in (cell(key, label), cell(text or "—", value))]
    cells += [cell("")] * (-len(cells) % 4)
    w.table([16, 34, 16, 34], [cells[i:i + 4] for i in range(0, len(cells), 4)],
            keep_together=True)

def _contents(w: Writer, view: PackView) -> None:
    """The contents list and its notes, beside the review at a glance (as in the PDF)."""
    w.paragraph(WORDS.sections.contents, "TOC Heading", page_break=True)

    def listing() -> None:
        w.contents()
        for lead, text in view.contents_notes:
            w.paragraph([(lead, Look(bold=True, colour=MUTED)), (f" {text}", Look(colour=MUTED))],
                        space_before=round(0.2 * CM))

    def glance() -> None:
        w.paragraph([(WORDS.glance.title, Look(bold=True, size=7.5, colour=MUTED, caps=True))])
        facts(w, [(row.label, " ".join(t for t in (
            row.value, row.status.word if row.status else "", row.note) if t))
            for row in view.glance], fraction=1)

    w.columns([47, 53], listing, lambda: w.columns([1], glance, fill=TILE, padding=CM // 3,
                                                    rule=w.primary, rule_side="top"))


def word_logo(path: Path) -> bytes | None:
    """The configured logo's bytes for the Word cover: None for an SVG logo, which Word packs
    leave out (python-docx places PNG and JPEG only). Raises `RenderError` when a PNG or JPEG
    cannot be read."""
    if path.suffix.lower() == ".svg":
        return None
    try:
        data = path.read_bytes()
        Image.from_blob(data)
    except (OSError, UnrecognizedImageError) as exc:
        raise RenderError(f"{path.name}: the logo cannot be read as a PNG or JPEG image "
                          f"({type(exc).__name__}); the Word pack's cover has no logo") from None
    return data

def _fit(image: bytes, width: int, height: int) -> tuple[int, int]:
    """The image's size in twips, as large as fits `width` × `height`, keeping its shape."""
    picture = Image.from_blob(image)
    scale = min(width / picture.px_width, height / picture.px_height)
    return round(picture.px_width * scale), round(picture.px_height * scale)

# --- document parts ---------------------------------------------------------------------------

def _core_properties(doc: Document, view: PackView, generated: dt.datetime) -> None:
    props = doc.core_properties
    props.title = f"{view.title}: {view.partnership}, {view.quarter_label}"
    partner = WORDS.cover_partner.format(partner=view.partner)  # "with TechDrive Inc."
    props.subject = f"{view.partnership} {partner}, {view.quarter_label}"
    props.author = view.branding.organisation or view.alliance_manager or "reportgen"
    props.keywords = ", ".join((view.title, view.partnership, view.partner, view.quarter_label))
    props.category = view.title
    props.comments = gettext("Built by reportgen {version} from {file} (SHA-256 {sha256}).").format(
        version=view.provenance.version, file=view.provenance.source_file,
        sha256=view.provenance.source_sha256)
    props.last_modified_by = f"reportgen {view.provenance.version}"
    props.content_status = view.confidentiality
    props.revision = 1
    props.created = props.modified = generated

def _save(doc: Document, generated: dt.datetime) -> bytes:
    """Save with every zip entry stamped `generated`, so equal views give equal bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    stamp = max(generated, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
