"""`PackView` → the Word pack (.docx bytes), built on a reference document (docs/pack.md#word).

Like pandoc's reference docx: the reference's body is deleted, and its styles, page margins,
header and footer parts are kept; a style the pack needs that the reference lacks is copied from
the packaged `templates/reference.docx`. Fonts, headings and spacing therefore come from the
reference, while table header rows and status fills use the pack's colours (the branding colour,
as in the PDF). The sections, their order and every number are those of the PDF: all text shown
is already formatted and cleaned by the view.

This module holds the pack's sections, colours and document properties; the generic
WordprocessingML (reference and styles, the `Writer` and its tables) is in `render.wordml`.
Status is never shown by colour alone. The output is deterministic: the same view gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from docx.document import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image

from ...errors import RenderError
from ...present.palette import PALETTE, hex_digits
from ...present.risks import HeatCell, RiskRow
from ...present.scorecard import KpiRow
from ...present.status import RatingView, StatusView
from ...present.view import PackView
from ...present.wording import WORDS
from ..charts.png import trend_alt_text
from .wordml import CM, PLAIN, WHITE, Cell, Look, Writer, cell, open_reference

# (fill, text) as WordprocessingML writes colours, from the one palette (present/palette.py)
STATUS_COLOURS = {css: (hex_digits(s.fill), hex_digits(s.ink))
                  for css, s in PALETTE.status.items()}
RATING_COLOURS = {css: (hex_digits(s.fill), hex_digits(s.ink))
                  for css, s in PALETTE.rating.items()}
TILE = hex_digits(PALETTE.faint)  # neutral fill of the summary tiles
INK = hex_digits(PALETTE.ink)
MUTED = hex_digits(PALETTE.muted)

BOLD = Look(bold=True)
NOTE = Look(size=8, colour=MUTED)


def status_cell(status: StatusView, note: str = "", align: str | None = None) -> Cell:
    fill, ink = STATUS_COLOURS[status.css]
    lines = [(status.word, Look(bold=True, colour=ink))]
    if note:
        lines.append((note, Look(size=7.5, colour=ink)))
    return Cell(tuple(lines), fill=fill, align=align)


def rating_cell(rating: RatingView) -> Cell:
    fill, ink = RATING_COLOURS[rating.css]
    return Cell(((rating.word, Look(bold=True, colour=ink)),), fill=fill)


def render_docx(view: PackView, *, reference: Path | None = None,
                trend_png: bytes | None = None, logo: bytes | None = None) -> bytes:
    """The pack as .docx bytes, built on `reference` (default: the packaged reference.docx).

    `trend_png` is the trend chart (`chart_png.trend_png`); without it, or with a single
    quarter, the trend is told in a sentence. `logo` is the configured logo as PNG or JPEG
    bytes (`word_logo`), shown on the cover as in the PDF.
    """
    doc = open_reference(reference)
    header = " · ".join(t for t in (view.partnership, view.quarter_label, view.confidentiality)
                        if t)
    writer = Writer(doc, page_size=view.page_size, primary=view.branding.primary_colour,
                    accent=view.branding.accent_colour, header=header)
    _cover(writer, view, logo)
    writer.contents()
    writer.orientation(landscape=True)  # the sections of wide tables, on a portrait pack too
    _summary(writer, view)
    _scorecard(writer, view)
    _risks(writer, view)
    _trend(writer, view, trend_png)
    if view.decisions:
        _decisions(writer, view)
    writer.orientation(landscape=writer.base_landscape)
    _governance(writer, view)
    _appendix(writer, view)
    writer.finish()
    generated = view.provenance.generated.replace(tzinfo=None)  # UTC, as Word stores it
    _core_properties(doc, view, generated)
    return _save(doc, generated)


# --- the pack's sections ---------------------------------------------------------------------
def _facts(w: Writer, rows: Sequence[tuple[str, str]], fraction: float = 0.6,
           size: float | None = None) -> None:
    """A two-column table of labels and values (cover, governance, provenance)."""
    label, value = Look(bold=True, size=size, colour=MUTED), Look(size=size)
    w.table([1, 2.6], [[cell(key, label), cell(text or "—", value)] for key, text in rows],
            total=round(w.width * fraction))


def _cover(w: Writer, view: PackView, logo: bytes | None) -> None:
    white = Look(colour=WHITE)

    def band() -> None:  # the branding colour behind title, partnership and quarter
        if logo is not None:  # on a white plate, as in the PDF: most logos are dark
            width, height = _fit(logo, 6 * CM, round(1.4 * CM))
            plate = round(0.15 * CM)
            w.columns([1], lambda: w.picture(logo, width, view.branding.organisation or "Logo",
                                             name="Logo", height_twips=height, align="left"),
                      fill=WHITE, padding=plate, total=width + 2 * plate)
        top = [(view.branding.organisation.upper(), Look(bold=True, colour=WHITE))
               ] if view.branding.organisation else []
        w.paragraph([*top, ("\t" if top else "", PLAIN),
                     (view.confidentiality.upper(), Look(bold=True, size=9, colour=WHITE))],
                    align=None if top else "right")
        w.paragraph([(view.title, white)], "Title", space_before=(CM if logo else 2 * CM))
        w.paragraph([(view.partnership, white)], "Subtitle")
        w.paragraph([(f"with {view.partner}", Look(size=14, colour=WHITE))])
        w.paragraph([(view.quarter_label, Look(bold=True, size=20, colour=WHITE))])

    w.columns([1], band, fill=w.primary, padding=round(0.9 * CM), rule=w.accent)
    w.paragraph("")
    _facts(w, view.cover_facts, fraction=0.7, size=11)


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


def _summary(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.summary)
    big, small = Look(bold=True, size=22), Look(size=8)
    if view.score_delta:
        change = ((view.score_delta, big), (f"points since {view.previous_quarter_label}", small))
    else:
        change = (("—", big), ("first archived quarter: nothing to compare yet", small))
    tiles = [  # label, value lines, fill, text colour
        ("Overall score", ((view.score, big), ("out of 100", small)), TILE, INK),
        ("Overall status", ((view.status.word, big),), *STATUS_COLOURS[view.status.css]),
        ("Change since last quarter", change, TILE, INK),
        *((f"{status.word} KPIs", ((str(count), big),), *STATUS_COLOURS[status.css])
          for status, count in view.status_counts),
    ]
    labels = [cell(label, replace(small, colour=ink), fill=fill) for label, _, fill, ink in tiles]
    values = [Cell(tuple((text, replace(look, colour=ink)) for text, look in lines), fill=fill)
              for _, lines, fill, ink in tiles]
    w.table([1.4, 1.4, 2.0, 1, 1, 1, 1], [labels, values], tiles=True, keep_together=True)
    if view.changes:  # as the PDF's change tile, in one paragraph: the page keeps its panels
        shown = [*view.changes_in_brief, *([view.changes_more] if view.changes_more else [])]
        w.paragraph([(f"Since {view.previous_quarter_label}: ", BOLD),
                     ("  ·  ".join(shown), PLAIN)], space_before=round(0.3 * CM))

    w.heading(WORDS.sections.attention, 2)
    if view.exceptions:
        w.table([0.4, 1.3, 6.0, 3.2], [
            [cell(str(n), align="right"),
             Cell(((e.kind.upper(), Look(bold=True, size=7.5, colour=MUTED)),
                   *(((e.ref, BOLD),) if e.kind != "KPI" else ()))),
             cell(e.name, BOLD), cell(e.reason)]
            for n, e in enumerate(view.exceptions, start=1)
        ], header=WORDS.columns.attention)
    else:
        w.paragraph(WORDS.empty.attention)
    w.columns([1.2, 1], lambda: _top_risks(w, view), lambda: _open_decisions(w, view))


def _top_risks(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.top_risks, 2)
    if view.top_risks:
        w.table([1.0, 4.2, 0.9, 1.3, 1.6], [
            [cell(r.id, BOLD), cell(r.description), cell(r.score, align="right"),
             rating_cell(r.rating), cell(_risk_trend(r))] for r in view.top_risks
        ], header=WORDS.columns.top_risks)
    else:
        w.paragraph(WORDS.empty.top_risks)


def _open_decisions(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.open_decisions, 2)
    if view.open_decisions:
        w.table([0.8, 4.2, 1.8, 1.6], [[cell(d.id, BOLD), cell(d.text), cell(d.owner), cell(d.due)]
                                       for d in view.open_decisions],
                header=WORDS.columns.open_decisions)
    else:
        w.paragraph(WORDS.empty.open_decisions)


def _scorecard(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.scorecard)
    rows = [_kpi_cells(row) for row in view.kpis]
    rows.append([
        cell("Overall", BOLD, span=5), status_cell(view.status), cell(view.total_weight, BOLD,
                                                                       align="right"),
        cell(view.score, BOLD, align="right"), cell(view.score_delta or "—", BOLD),
    ])
    *columns, change = WORDS.columns.scorecard
    if view.previous_quarter_label:
        change = f"{change} vs {view.previous_quarter_label}"
    w.table([2.2, 3.6, 1.4, 1.2, 1.2, 1.9, 1.0, 1.0, 1.9], rows, header=(*columns, change))
    if not view.previous_quarter_label:
        w.paragraph(WORDS.empty.no_previous, "caption")
    if view.commentary:
        w.heading(WORDS.sections.commentary, 2)
        w.table([3, 2, 8], [[cell(row.name, BOLD), cell(row.owner), cell(row.commentary)]
                            for row in view.commentary], header=WORDS.columns.commentary)


def _kpi_cells(row: KpiRow) -> list[Cell]:
    if row.category_span:
        category = cell(row.category, BOLD, merge="restart" if row.category_span > 1 else None)
    else:
        category = cell("", merge="continue")
    note = f"{WORDS.set_by_hand} {row.computed.word}" if row.computed else ""
    change = f"{row.change} {row.change_text}" if row.change else "—"
    return [category, cell(row.name), cell(row.metric), cell(row.target, align="right"),
            cell(row.actual, align="right"), status_cell(row.status, note),
            cell(row.weight, align="right"), cell(row.points, align="right"),
            cell(change)]


def _risks(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.risks)
    if view.risks:
        w.table([0.85, 3.3, 0.4, 0.4, 0.75, 1.0, 4.3, 1.4, 1.7],
                [_risk_cells(r) for r in view.risks], header=WORDS.columns.risks)
        w.paragraph(WORDS.risk_key, "caption")
    else:
        w.paragraph(WORDS.empty.risks)
    w.heading(WORDS.sections.heat_map, 2)
    w.columns([1.8, 1], lambda: _heatmap(w, view), lambda: _heat_key(w, view))
    if view.closed_risks:
        w.heading(WORDS.sections.closed_risks, 2)
        w.table([0.7, 4, 1, 1.6, 4], [[cell(r.id, BOLD), cell(r.description),
                                       cell(r.score, align="right"), cell(r.owner),
                                       cell(r.mitigation)] for r in view.closed_risks],
                header=WORDS.columns.closed_risks)


def _risk_trend(r: RiskRow) -> str:
    trend = f"{r.trend_arrow} {r.trend}" if r.trend else "—"
    if r.previous_score and r.trend in ("Up", "Down"):
        trend += f" from {r.previous_score}"
    return trend


def _risk_cells(r: RiskRow) -> list[Cell]:
    description = Cell(((r.description, PLAIN),) + (((r.category, NOTE),) if r.category else ()))
    trend = _risk_trend(r)
    return [cell(r.id, BOLD), description, cell(r.probability, align="center"),
            cell(r.impact, align="center"), cell(r.score, BOLD, align="center"),
            rating_cell(r.rating), cell(r.mitigation), cell(r.owner), cell(trend)]


def _heatmap(w: Writer, view: PackView) -> None:
    axis = Look(bold=True, colour=MUTED)
    rows: list[list[Cell]] = []
    for index, heat_row in enumerate(view.heatmap):
        side = cell("Probability →", axis, merge="restart" if index == 0 else "continue",
                    align="center", rotate=True)
        label = cell(str(heat_row[0].probability), axis, align="center")
        rows.append([side, label, *(_heat_cell(c, view.previous_quarter_label) for c in heat_row)])
    rows.append([cell("", span=2), *(cell(str(i), axis, align="center") for i in range(1, 6))])
    rows.append([cell("", span=2), cell("Impact →", axis, align="center", span=5)])
    w.table([1.2, 0.6, 2.6, 2.6, 2.6, 2.6, 2.6], rows, total=min(w.width, 15 * CM), tiles=True,
            heights=[CM] * 5, keep_together=True)


def _heat_key(w: Writer, view: PackView) -> None:
    w.paragraph("Open risks by probability (up) and impact (across). Each cell shows the risks in "
                "it, then its score (probability × impact) and rating:", "caption")
    _risk_bands(w, view)
    if any(c.previous_ids for row in view.heatmap for c in row):
        w.paragraph(f"In italics: where a risk that has moved since sat in "
                    f"{view.previous_quarter_label}.", "caption")


def _risk_bands(w: Writer, view: PackView, fraction: float = 1) -> None:
    w.table([1, 1.3], [[rating_cell(RatingView(b.label, b.css)), cell(b.rule)]
                       for b in view.methodology.risk_bands], header=WORDS.columns.risk_bands,
            total=round(w.width * fraction))


def _heat_cell(c: HeatCell, previous_label: str) -> Cell:
    fill, ink = RATING_COLOURS[c.rating.css]
    lines: list[tuple[str, Look]] = []
    if c.ids:
        lines.append((", ".join(c.ids), Look(bold=True, size=10, colour=ink)))
    if c.previous_ids:
        lines.append((f"{', '.join(c.previous_ids)} in {previous_label}",
                      Look(italic=True, size=7.5, colour=ink)))
    lines.append((f"{c.score} · {c.rating.word}", Look(size=7, colour=ink)))
    return Cell(tuple(lines), fill=fill, align="center")


def _trend(w: Writer, view: PackView, png: bytes | None) -> None:
    w.heading(WORDS.sections.trend)
    trend = view.trend
    w.paragraph(view.trend_lead)
    if png is not None:
        w.picture(png, min(w.width, 20 * CM), trend_alt_text(trend), name="Trend chart")
        w.paragraph(view.trend_caption, "caption", align="center")
    w.heading(WORDS.sections.kpi_grid, 2)
    quarters = [p.quarter for p in trend.points]
    rows = [[cell(r.kpi, BOLD), *(status_cell(s, align="center") if s else
                                  cell(WORDS.empty.not_reported, NOTE, align="center")
                                  for s in r.cells)]
            for r in trend.kpi_grid]
    rows.append([cell("Overall", BOLD), *(status_cell(p.status, f"score {p.score}", align="center")
                                           for p in trend.points)])
    w.table([3.2] + [1.0] * len(quarters), rows, header=(WORDS.columns.kpi_grid_first, *quarters),
            total=min(w.width, (7 + 2.6 * len(quarters)) * CM))


def _decisions(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.decisions)
    w.table([0.7, 5, 1.8, 1.2, 1, 4], [
        [cell(d.id, BOLD), cell(d.text), cell(d.owner), cell(d.due),
         cell(d.status, BOLD if d.status == "Open" else PLAIN), cell(d.notes)]
        for d in view.decisions
    ], header=WORDS.columns.decisions)


def _governance(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.governance, new_page=not view.decisions)  # shares their page
    _facts(w, view.governance_facts, fraction=0.75)


def _appendix(w: Writer, view: PackView) -> None:
    m, s, c = view.methodology, WORDS.sections, WORDS.columns
    w.heading(s.appendix)
    w.heading(s.method_status, 2)
    for rule in m.status_rules:
        w.paragraph([("•  ", PLAIN), (rule.lead, BOLD), (f" {rule.text}", PLAIN)])
    w.heading(s.method_points, 2)
    w.paragraph(m.points_rule, keep_next=True)
    w.columns(
        [1, 1],
        lambda: w.table([1, 1.3], [[status_cell(status), cell(text)] for status, text in m.factors],
                        header=c.factors),
        lambda: w.table([1, 1.3], [[status_cell(StatusView(b.label, b.label[0], b.css)),
                                    cell(b.rule)] for b in m.overall_bands],
                        header=c.overall_bands),
    )
    w.heading(s.method_risks, 2)
    w.paragraph(m.risk_rule, keep_next=True)
    _risk_bands(w, view, fraction=0.45)
    w.heading(s.method_attention, 2)
    w.paragraph(m.attention_rule)
    w.heading(s.provenance, 2)
    _facts(w, view.provenance_facts, fraction=0.8)


# --- document parts ---------------------------------------------------------------------------
def _core_properties(doc: Document, view: PackView, generated: dt.datetime) -> None:
    props = doc.core_properties
    props.title = f"{view.title}: {view.partnership}, {view.quarter_label}"
    props.subject = f"{view.partnership} with {view.partner}, {view.quarter_label}"
    props.author = view.branding.organisation or view.alliance_manager or "reportgen"
    props.keywords = ", ".join(("Quarterly Business Review", view.partnership, view.partner,
                                view.quarter_label))
    props.category = "Quarterly Business Review"
    props.comments = (f"Built by reportgen {view.provenance.version} from "
                      f"{view.provenance.source_file} (SHA-256 {view.provenance.source_sha256}).")
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
