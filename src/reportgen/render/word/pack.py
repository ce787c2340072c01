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
from ...present.risks import HeatCell, RiskRow
from ...present.scorecard import KpiRow
from ...present.status import RatingView, StatusView
from ...present.view import PackView
from ..charts.png import trend_alt_text
from .wordml import CM, PLAIN, WHITE, Cell, Look, Writer, cell, open_reference

# (fill, text) by the view's css names: the PDF's chip colours (templates/pack.css). Every pair
# has at least 4.5:1 contrast (WCAG AA), checked in tests/render/test_docx.py.
STATUS_COLOURS = {
    "green": ("D8F0DF", "0F5132"),
    "amber": ("FCE9C2", "7A4100"),
    "red": ("F9D6D3", "8A1C14"),
    "nodata": ("E4E7EC", "3A4250"),
}
RATING_COLOURS = {
    "low": STATUS_COLOURS["green"],
    "medium": ("FFF1C2", "6B4500"),
    "high": ("FBD3B0", "7A2E00"),
    "critical": ("C8281E", "FFFFFF"),
}
TILE = "F3F4F6"  # neutral fill of the summary tiles
INK = "1F2937"
MUTED = "4B5563"

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
        if view.branding.organisation:
            w.paragraph([(view.branding.organisation, Look(bold=True, colour=WHITE))])
        w.paragraph([(view.title, white)], "Title", space_before=(CM if logo else 2 * CM))
        w.paragraph([(view.partnership, white)], "Subtitle")
        w.paragraph([(view.quarter_label, Look(bold=True, size=20, colour=WHITE))])

    w.columns([1], band, fill=w.primary, padding=round(0.9 * CM), rule=w.accent)
    w.paragraph("")
    _facts(w, [
        ("Partner", view.partner),
        ("Executive sponsor", view.executive_sponsor),
        ("Partner sponsor", view.partner_sponsor),
        ("Review date", view.review_date),
    ], fraction=0.6, size=11)
    w.paragraph([(view.confidentiality, Look(bold=True, size=11, colour=MUTED))],
                space_before=2 * CM)


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
    w.heading("Executive summary")
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

    w.heading("What needs the sponsor's attention", 2)
    if view.exceptions:
        w.table([0.9, 5.2, 3.2, 1.7], [
            [cell(e.kind, BOLD), cell(e.name), cell(e.reason, BOLD if e.severity <= 2 else PLAIN),
             cell(e.ref)] for e in view.exceptions
        ], header=("Type", "Item", "Why it is listed", "Reference"))
    else:
        w.paragraph("Nothing needs the sponsor's attention this quarter.")
    w.columns([1.2, 1], lambda: _top_risks(w, view), lambda: _open_decisions(w, view))


def _top_risks(w: Writer, view: PackView) -> None:
    w.heading("Top risks", 2)
    if view.top_risks:
        w.table([1.0, 5, 0.9, 1.2], [
            [cell(r.id, BOLD), cell(r.description), cell(r.score, align="center"),
             rating_cell(r.rating)] for r in view.top_risks
        ], header=("ID", "Risk", "Score", "Rating"))
    else:
        w.paragraph("No open risks this quarter.")


def _open_decisions(w: Writer, view: PackView) -> None:
    w.heading("Open decisions", 2)
    if view.open_decisions:
        w.table([0.8, 5, 1.4], [[cell(d.id, BOLD), cell(d.text), cell(d.due)]
                                for d in view.open_decisions], header=("ID", "Decision", "Due"))
    else:
        w.paragraph("No decisions are waiting for the sponsor.")


def _scorecard(w: Writer, view: PackView) -> None:
    w.heading("Partnership Health Scorecard")
    rows = [_kpi_cells(row) for row in view.kpis]
    rows.append([
        cell("Overall", BOLD, span=5), status_cell(view.status), cell(view.total_weight, BOLD,
                                                                       align="right"),
        cell(view.score, BOLD, align="right"), cell(view.score_delta or "—", BOLD),
    ])
    w.table([2.2, 3.6, 1.4, 1.2, 1.2, 1.9, 1.0, 1.0, 1.9], rows, header=(
        "Category", "KPI", "Metric", "Target", "Actual", "Status", "Weight", "Points", "Change"))
    if view.commentary:
        w.heading("Commentary", 2)
        w.table([3, 2, 8], [[cell(row.name, BOLD), cell(row.owner), cell(row.commentary)]
                            for row in view.kpis if row.commentary],
                header=("KPI", "Owner", "Commentary"))


def _kpi_cells(row: KpiRow) -> list[Cell]:
    if row.category_span:
        category = cell(row.category, BOLD, merge="restart" if row.category_span > 1 else None)
    else:
        category = cell("", merge="continue")
    note = f"set by hand; rules give {row.computed.word}" if row.computed else ""
    change = f"{row.change} {row.change_text}" if row.change else "—"
    return [category, cell(row.name), cell(row.metric), cell(row.target, align="right"),
            cell(row.actual, align="right"), status_cell(row.status, note),
            cell(row.weight, align="right"), cell(row.points, align="right"),
            cell(change)]


def _risks(w: Writer, view: PackView) -> None:
    w.heading("Strategic Risk Assessment Matrix")
    if view.risks:
        w.table([0.85, 3.3, 0.4, 0.4, 0.75, 1.0, 4.3, 1.4, 1.7],
                [_risk_cells(r) for r in view.risks],
                header=("ID", "Risk", "P", "I", "Score", "Rating", "Mitigation / sponsor action",
                        "Owner", "Trend"))
        w.paragraph("P = probability, I = impact, each 1–5; score = P × I.", "caption")
    else:
        w.paragraph("No open risks this quarter.")
    if view.closed_risks:
        w.heading("Closed risks", 2)
        w.table([0.7, 6, 2], [[cell(r.id, BOLD), cell(r.description), cell(r.owner)]
                              for r in view.closed_risks], header=("ID", "Risk", "Owner"))
    w.heading("Heat map", 2)
    w.columns([1.8, 1], lambda: _heatmap(w, view), lambda: _heat_key(w, view))


def _risk_cells(r: RiskRow) -> list[Cell]:
    description = Cell(((r.description, PLAIN),) + (((r.category, NOTE),) if r.category else ()))
    trend = f"{r.trend_arrow} {r.trend}" if r.trend else "—"
    if r.previous_score and r.trend in ("Up", "Down"):
        trend += f" from {r.previous_score}"
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


def _risk_bands(w: Writer, view: PackView) -> None:
    w.table([1, 1.3], [[rating_cell(RatingView(b.label, b.css)), cell(b.rule)]
                       for b in view.methodology.risk_bands], header=("Risk rating", "Risk score"))


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
    w.heading("Trend")
    trend = view.trend
    if trend.first_quarter:
        point = trend.points[-1]
        w.paragraph(f"{view.quarter_label} is the first archived quarter for this partnership, so "
                    f"there is no trend yet: the overall score is {point.score} "
                    f"({point.status.word}).")
    elif png is None:
        w.paragraph(trend_alt_text(trend))
    else:
        w.picture(png, min(w.width, 20 * CM), trend_alt_text(trend), name="Trend chart")
        w.paragraph("Overall score by quarter, with the Green, Amber and Red bands in force.",
                    "caption", align="center")
    w.heading("KPI status by quarter", 2)
    quarters = [p.quarter for p in trend.points]
    rows = [[cell(r.kpi), *(status_cell(s, align="center") if s else
                            cell("not reported", NOTE, align="center") for s in r.cells)]
            for r in trend.kpi_grid]
    w.table([3.2] + [1.0] * len(quarters), rows, header=("KPI", *quarters),
            total=min(w.width, (7 + 2.6 * len(quarters)) * CM))


def _decisions(w: Writer, view: PackView) -> None:
    w.heading("Decisions and escalations")
    w.table([0.7, 5, 1.8, 1.2, 1, 4], [
        [cell(d.id, BOLD), cell(d.text), cell(d.owner), cell(d.due),
         cell(d.status, BOLD if d.status == "Open" else PLAIN), cell(d.notes)]
        for d in view.decisions
    ], header=("ID", "Decision", "Owner", "Due", "Status", "Notes"))


def _governance(w: Writer, view: PackView) -> None:
    w.heading("Governance", new_page=not view.decisions)  # shares the decisions' page
    _facts(w, [
        ("Governance model", view.governance_model),
        ("Executive sponsor", view.executive_sponsor),
        ("Partner sponsor", view.partner_sponsor),
        ("Alliance manager", view.alliance_manager),
        ("Review cadence", "Quarterly business review"),
        ("This review", view.review_date),
        ("Next review", view.next_review),
        ("Distribution", "\n".join(view.distribution)),
    ])


def _appendix(w: Writer, view: PackView) -> None:
    m = view.methodology
    w.heading("Appendix")
    w.heading("Methodology", 2)
    w.paragraph("KPI status. Where higher is better, a KPI is Green when its actual meets the "
                "target, Amber when it misses the target but reaches the Amber threshold, and Red "
                "otherwise; where lower is better the rule is mirrored. A KPI with no actual is "
                "No data. A status set by hand in the workbook replaces the computed one, and the "
                "scorecard shows both.")
    w.paragraph("Points and overall score. Each KPI earns its weight times the factor of its "
                "status, rounded half-up to whole points; should that make the column add up to "
                "more than the exact total, the rows rounded furthest give a point back. The "
                "overall score is the sum of the points shown, and the overall status follows it.")
    w.paragraph("Risks. A risk's score is its probability times its impact (each 1–5), and its "
                "rating follows the score. Open risks are ranked by score, then by ID; closed "
                "risks leave the matrix.", keep_next=True)
    w.columns(
        [1, 1, 1],
        lambda: w.table([1, 1.3], [[status_cell(status), cell(text)] for status, text in m.factors],
                        header=("KPI status", "Points earned")),
        lambda: w.table([1, 1.3], [[status_cell(StatusView(b.label, b.label[0], b.css)),
                                    cell(b.rule)] for b in m.overall_bands],
                        header=("Overall status", "Overall score")),
        lambda: _risk_bands(w, view),
    )
    w.heading("Provenance", 2)
    p = view.provenance
    _facts(w, [
        ("Source workbook", p.source_file),
        ("SHA-256", p.source_sha256),
        ("Generated", p.generated_at),
        ("reportgen version", p.version),
        ("Configuration digest", p.config_digest),
    ], fraction=0.8)


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
