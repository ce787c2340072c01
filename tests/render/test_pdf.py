"""The PDF pack: content and page furniture read back from the PDF, PDF/A and attachments,
byte-identical output, the locked-down fetcher, hostile and very large inputs, the time limit."""

from __future__ import annotations

import dataclasses
import http.server
import io
import re
import signal
import subprocess
import sys
import threading
from fractions import Fraction
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest

from factories import GENERATED_AT, example_input, example_review
from reportgen.config import Settings
from reportgen.domain.history import HistoryEntry, PreviousReview
from reportgen.domain.model import Direction, Kpi, Measure, ReviewInput, Status
from reportgen.domain.scoring import score_review
from reportgen.domain.text import normalise
from reportgen.errors import RenderError
from reportgen.present.portfolio import PortfolioLine, portfolio_view
from reportgen.present.view import PackView, build_view
from reportgen.render.html import (
    TEMPLATES,
    render_html,
    render_portfolio_html,
    template_environment,
)
from reportgen.render.pdf import (
    AssetFetcher,
    Attachment,
    PdfResult,
    render_pdf,
    render_portfolio_pdf,
)

pdfium = pytest.importorskip("pypdfium2")  # installed with pdfplumber; fast text extraction

HEADER = "FinCorp–TechDrive Wealth Platform · Q3 2025 · Confidential"
TITLES = ("Quarterly Business Review", "Contents", "Executive summary",
          "Partnership Health Scorecard", "Strategic Risk Assessment Matrix", "Trend",
          "Decisions and escalations", "Actions from the last review", "Governance",
          "Appendix A: everything for the sponsors’ attention",
          "Appendix B: methodology and provenance")
WORKBOOK = Attachment("fincorp-techdrive-2025-Q3.xlsx", b"PK\x03\x04 workbook bytes",
                      "Source workbook",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Source")
SCORED = Attachment("scored-review.json", b'{"reviews": []}', "The scored review",
                    "application/json", "Data")


def pages(data: bytes) -> list[str]:
    """The text of every page, with runs of white space (and zero-width spaces) made one space."""
    document = pdfium.PdfDocument(data)
    try:
        texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return [" ".join(text.replace("\u200b", "").split()) for text in texts]


REPEATED = re.compile(  # page furniture and the table headers repeated on every page
    re.escape(HEADER) + r"|Quarterly Business Review Page \d+ of \d+"
    r"|KPI Owner Target Previous Actual Variance Status Weight Points Trend"
    r"|ID Risk P I Score Rating Mitigation / sponsor action Owner Due Trend"
)


def squeezed(texts: list[str]) -> str:
    """The pages' text without what repeats on every page and without white space: a cell's
    text reads the same however it was wrapped, even across a page break."""
    return re.sub(r"[\s\u200b]+", "", REPEATED.sub("", " ".join(texts)))


def render(view: PackView, **kwargs: object) -> PdfResult:
    return render_pdf(view, render_html(view), **kwargs)  # type: ignore[arg-type]


def settings_view(review_input: ReviewInput, **kwargs: object) -> PackView:
    settings = Settings()
    review = score_review(review_input, settings.scoring.rules, settings.risk_bands.rules)
    return build_view(review, settings, GENERATED_AT, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def example_view() -> PackView:
    """The example, five attention items on its summary page: Appendix A holds the rest."""
    return build_view(example_review(3), Settings(attention_limit=5), GENERATED_AT)


@pytest.fixture(scope="module")
def example_pdf(example_view: PackView) -> PdfResult:
    return render(example_view, attachments=(WORKBOOK, SCORED), source_name="example.xlsx")


@pytest.fixture(scope="module")
def example_pages(example_pdf: PdfResult) -> list[str]:
    return pages(example_pdf.data)


# --- what the pack says -------------------------------------------------------------------

def test_every_section_title_and_the_seed_numbers(example_pages: list[str]) -> None:
    text = " ".join(example_pages)
    for title in TITLES:
        assert title in text
    scorecard = next(p for p in example_pages if "Partnership Health Scorecard Overall" in p)
    rows = [row for row in re.findall(r"(\S+(?: pp)?) (?:Green|Amber|Red) (\d+)% (\d+) —",
                                      scorecard) if row[1] != "100"]
    assert [points for _, _, points in rows] == ["30", "15", "15", "5", "10", "8"]
    assert [weight for _, weight, _ in rows] == ["30", "20", "15", "15", "10", "10"]
    assert [variance for variance, _, _ in rows] == ["+1.2 pp", "−$0.2M", "+0.05 pp", "−7 pp",
                                                     "+5", "−0.5"]
    assert "Joint Revenue Growth % QoQ Head of Partner Sales 5% — 6.2% +1.2 pp Green" in scorecard
    assert "Advisory channel now live; growth ahead of plan." in scorecard  # under its KPI
    assert "Overall score Amber 100% 83" in scorecard
    risks = next(p for p in example_pages if "Strategic Risk Assessment Matrix ID" in p)
    assert re.findall(r"SR-0\d .*? \d \d (\d+) → \d+ target (?:High|Medium)", risks) == [
        "12", "12", "10", "9"]
    assert "Executive Sponsor 28 Nov 2025" in risks
    summary = next(p for p in example_pages if "Executive summary Overall health" in p)
    assert "83" in summary and "AMBER" in summary and "First archived quarter" in summary


def test_page_furniture_on_every_page_but_the_cover(example_pages: list[str]) -> None:
    total = len(example_pages)
    assert total >= 8
    assert "Page 1 of" not in example_pages[0] and HEADER not in example_pages[0]
    for number, text in enumerate(example_pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert HEADER in text


def test_contents_gives_the_real_page_numbers(example_pages: list[str]) -> None:
    contents = example_pages[1]
    for title in TITLES[2:]:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?: |$)", contents)
        assert match, title
        page = example_pages[int(match.group(1)) - 1]
        assert title in page.replace(HEADER, ""), (title, match.group(1))


def test_bookmarks_follow_the_headings(example_pdf: PdfResult) -> None:
    with pikepdf.open(io.BytesIO(example_pdf.data)) as pdf, pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
    assert top == ["Cover", *TITLES[1:]]


def outline_titles(data: bytes) -> list[str]:
    """Every bookmark of the PDF's outline, at every level, in order."""
    def walk(items: list[pikepdf.OutlineItem]) -> list[str]:
        return [title for item in items for title in (item.title, *walk(item.children))]

    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        return walk(outline.root)


def test_no_bookmark_is_listed_twice(example_pdf: PdfResult) -> None:
    """The executive summary's own headings ("Decisions requested of this meeting", "For the
    sponsors' attention") are not bookmarks: the sections that give them in full are (they
    were listed under the summary and again under Decisions and the appendix)."""
    titles = outline_titles(example_pdf.data)
    assert "Decisions requested of this meeting" in titles  # once: section 5's
    assert sorted(t for t in set(titles) if titles.count(t) > 1) == []


def test_history_shows_change_arrows_trend_and_previous_positions() -> None:
    q2 = example_review(2)
    previous = PreviousReview(
        quarter="2025-Q2", score=q2.score, status=q2.status,
        kpi_status={normalise(k.kpi.name): k.status for k in q2.kpis},
        kpi_actual={normalise(k.kpi.name): k.kpi.actual.value if k.kpi.actual else None
                    for k in q2.kpis},
        risk_score={r.risk.id: r.score for r in q2.risks},
        risk_cell={r.risk.id: (r.risk.probability, r.risk.impact) for r in q2.risks},
    )
    history = [HistoryEntry("2025-Q1", 86, Status.GREEN),
               HistoryEntry("2025-Q2", q2.score, q2.status,
                            {k.kpi.name: k.status for k in q2.kpis})]
    view = build_view(example_review(3, previous), Settings(), GENERATED_AT, history=history)
    text = " ".join(pages(render(view).data))
    assert f"−{q2.score - 83} points vs Q2 2025" in text
    assert "▼ Green → Red" in text  # milestone delivery
    assert "SR-02 (Q2)" in text and "SR-03 (Q2)" in text
    assert "Q1 2025 86 → Q2 2025 88 → Q3 2025 83" in text
    # archived without their looks (before schema 0002): shown in this quarter's look
    assert "Previous (Q2 2025)" in text
    assert "5% 4.6% 6.2% +1.2 pp Green" in text and "$2.0M $1.6M $1.8M −$0.2M Amber" in text
    assert "the axis runs from 65 to 95 (not from 0)" in text
    assert "first archived quarter" not in text.lower()


# --- the PDF as a file --------------------------------------------------------------------

def test_pdfa3_metadata_and_associated_files(example_pdf: PdfResult) -> None:
    with pikepdf.open(io.BytesIO(example_pdf.data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3"
        assert meta.get("pdfaid:conformance") in ("A", "B")
        title = "Quarterly Business Review — FinCorp–TechDrive Wealth Platform — Q3 2025"
        assert str(pdf.docinfo["/Title"]) == title == meta.get("dc:title")
        assert str(pdf.docinfo["/Author"]) == "Dana Whitfield, SVP Innovation, FinCorp"
        assert "FinCorp–TechDrive" in str(pdf.docinfo["/Subject"])
        assert "Quarterly Business Review" in str(pdf.docinfo["/Keywords"])
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20251001093000")
        assert "/OutputIntents" in pdf.Root and "/StructTreeRoot" in pdf.Root
        files = {name: spec for name, spec in pdf.attachments.items()}
        assert set(files) == {WORKBOOK.filename, SCORED.filename}
        for item in (WORKBOOK, SCORED):
            spec = files[item.filename]
            assert spec.get_file().read_bytes() == item.data
            assert spec.get_file().mime_type == item.mime
            assert spec.obj["/AFRelationship"] == pikepdf.Name("/" + item.relationship)
        associated = [spec.objgen for spec in pdf.Root["/AF"]]
        assert len(associated) == len(set(associated)) == 2


def test_fonts_are_embedded(example_pdf: PdfResult) -> None:
    with pikepdf.open(io.BytesIO(example_pdf.data)) as pdf:
        fonts = {
            str(font.BaseFont): font
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
        assert any("Reportgen-Inter" in name for name in fonts)
        for font in fonts.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_identical_inputs_give_identical_bytes(example_view: PackView,
                                               example_pdf: PdfResult, tmp_path: Path) -> None:
    again = render(example_view, attachments=(WORKBOOK, SCORED), source_name="example.xlsx")
    assert again.data == example_pdf.data
    script = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from factories import GENERATED_AT, example_review\n"
        "from reportgen.config import Settings\n"
        "from reportgen.present.view import build_view\n"
        "from reportgen.render.html import render_html\n"
        "from reportgen.render.pdf import Attachment, render_pdf\n"
        "view = build_view(example_review(3), Settings(attention_limit=5), GENERATED_AT)\n"
        f"items = ({WORKBOOK!r}, {SCORED!r})\n"
        "data = render_pdf(view, render_html(view), attachments=items).data\n"
        "open(sys.argv[1], 'wb').write(data)\n"
    )
    out = tmp_path / "other-process.pdf"
    tests = str(Path(__file__).resolve().parent.parent)
    subprocess.run([sys.executable, "-c", script, str(out), tests], check=True, timeout=120)
    assert out.read_bytes() == example_pdf.data


# --- what it may fetch --------------------------------------------------------------------

def test_example_fetches_only_shipped_files(example_pdf: PdfResult) -> None:
    assert example_pdf.warnings == ()
    for url in example_pdf.requested:
        assert url.startswith((TEMPLATES.as_uri() + "/", "reportgen-attachment:")), url


@pytest.mark.parametrize("url", [
    "file:///etc/hostname",
    "file:///etc/passwd",
    (TEMPLATES / ".." / ".." / ".." / "pyproject.toml").as_uri(),
    TEMPLATES.as_uri() + "/../view.py",
    "file://otherhost" + (TEMPLATES / "pack.css").as_posix(),
    "http://169.254.169.254/latest/meta-data/",
    "https://example.com/logo.png",
    "ftp://example.com/x",
    "data:text/plain,hello",
])
def test_fetcher_refuses_everything_else(url: str) -> None:
    fetcher = AssetFetcher()
    with pytest.raises(PermissionError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_shipped_files_and_the_logo(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    fetcher = AssetFetcher(logo)
    font = fetcher.fetch((TEMPLATES / "fonts" / "Inter-Bold.otf").as_uri())
    assert font.read()[:4] == b"OTTO" and font.content_type == "font/otf"
    assert fetcher.fetch(logo.as_uri()).content_type == "image/svg+xml"
    other = tmp_path / "other.svg"
    other.write_text("x")
    with pytest.raises(PermissionError):
        fetcher.fetch(other.as_uri())


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


def test_template_markup_cannot_reach_files_or_the_network(example_view: PackView,
                                                           tmp_path: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    canary = f"http://127.0.0.1:{server.server_port}/canary.png"
    try:
        (tmp_path / "pack.html.j2").write_text(
            '{% extends "default:pack.html.j2" %}{% block head_extra %}'
            '<link rel="stylesheet" href="file:///etc/passwd">'
            '<link rel="attachment" href="file:///etc/hostname">'
            "<style>@import url(file:///etc/hostname); body { background: url(" + canary + ") }"
            "</style>{% endblock %}"
            '{% block governance %}<img src="file:///etc/hostname"><img src="' + canary + '">'
            "{% endblock %}",
            encoding="utf-8",
        )
        html = render_html(example_view, template_environment(tmp_path))
        result = render_pdf(example_view, html)
    finally:
        server.shutdown()
    assert _Canary.hits == []
    for url in ("file:///etc/passwd", "file:///etc/hostname", canary):
        assert url in result.requested
        assert any(url in warning and "refused" in warning for warning in result.warnings)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert len(pdf.attachments) == 0
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if len(hostname) > 3:
        assert hostname not in " ".join(pages(result.data))


def test_weasyprint_warnings_are_returned(example_view: PackView, tmp_path: Path) -> None:
    (tmp_path / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}{% block head_extra %}'
        "<style>p { colour: red }</style>{% endblock %}",
        encoding="utf-8",
    )
    result = render_pdf(example_view, render_html(example_view, template_environment(tmp_path)))
    assert any("colour" in warning for warning in result.warnings)


def test_logo_is_served_and_drawn(example_view: PackView, tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">'
                    '<rect width="40" height="10" fill="#123456"/></svg>')
    view = dataclasses.replace(
        example_view, branding=dataclasses.replace(example_view.branding, logo_url=logo.as_uri())
    )
    result = render(view, logo=logo)
    assert result.warnings == ()
    assert logo.as_uri() in result.requested
    without = render(view)  # the same URL, but not the configured logo: refused
    assert any("refused" in warning for warning in without.warnings)


# --- hostile and large inputs -------------------------------------------------------------

LONG = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]
HOSTILE = {
    "image": '<img src="file:///etc/hostname">',
    "table": "</td></table><h1>x",
    "script": "<script>alert('x')</script>",
    "attachment": "<link rel=attachment href=file:///etc/passwd>",
    "accents": "Crème brûlée – Zürich naïve façade € 1.000",
}


def hostile_input() -> ReviewInput:
    base = example_input(3)
    k = base.kpis
    kpis = (
        dataclasses.replace(k[0], name=HOSTILE["image"], commentary=LONG),
        dataclasses.replace(k[1], name=HOSTILE["table"], metric="€ M\x07", commentary="\x00nul"),
        dataclasses.replace(k[2], category=HOSTILE["script"], commentary="X" * 5000),
        dataclasses.replace(k[3], name="ctrl\x0b\x1fchars " + HOSTILE["accents"]),
        *k[4:],
    )
    r = base.risks
    risks = (
        dataclasses.replace(r[0], description=HOSTILE["attachment"], mitigation=LONG),
        dataclasses.replace(r[1], description=HOSTILE["accents"], owner=HOSTILE["script"]),
        *r[2:],
    )
    partnership = dataclasses.replace(base.partnership, partner=HOSTILE["table"])
    return dataclasses.replace(base, partnership=partnership, kpis=kpis, risks=risks)


def test_hostile_workbook_text_prints_literally_and_fetches_nothing() -> None:
    result = render(settings_view(hostile_input()), attachments=(SCORED,))
    assert result.warnings == ()
    for url in result.requested:
        assert url.startswith((TEMPLATES.as_uri() + "/", "reportgen-attachment:")), url
    texts = pages(result.data)
    text, flat = " ".join(texts), squeezed(texts)
    for needle in (*HOSTILE.values(), LONG, "X" * 5000, "ctrlchars", "€ M", "nul"):
        assert squeezed([needle]) in flat, needle[:40]
    assert "\x07" not in text and "\x0b" not in text
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert list(pdf.attachments) == [SCORED.filename]
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert all(a.get("/Subtype") != pikepdf.Name.FileAttachment for a in annotations)


def big_input(count: int = 200) -> ReviewInput:
    """`count` KPIs in categories of 30, every seventh one Red."""
    kpis = tuple(
        Kpi(category=f"Category {i // 30 + 1:02d}", name=f"KPI {i + 1:03d} availability",
            metric="% Uptime", target=Measure(0.99, percent=True),
            actual=Measure(0.97 if i % 7 == 0 else 0.995, percent=True),
            direction=Direction.HIGHER, amber_threshold=Measure(0.98, percent=True),
            weight=Fraction(1, count))
        for i in range(count)
    )
    return dataclasses.replace(example_input(3), kpis=kpis)


def test_200_kpis_keep_every_row_and_repeat_the_header() -> None:
    result = render(settings_view(big_input()))
    texts = pages(result.data)
    start = next(i for i, t in enumerate(texts) if "Partnership Health Scorecard Overall" in t)
    end = next(i for i, t in enumerate(texts) if "Overall score Green" in t or
               "Overall score Amber" in t or "Overall score Red" in t)
    scorecard = texts[start:end + 1]
    assert len(scorecard) >= 5
    header = "KPI Owner Target Previous Actual Variance Status Weight Points Trend"
    for text in scorecard:
        assert header in text
    names = re.findall(r"KPI (\d{3}) availability", " ".join(scorecard))
    assert names == [f"{i:03d}" for i in range(1, 201)]


# --- the time limit -----------------------------------------------------------------------

def test_a_render_past_the_time_limit_names_the_source(example_view: PackView) -> None:
    html = render_html(example_view)
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(RenderError, match=r"partner-q3\.xlsx: .*longer than 0\.001 seconds"):
        render_pdf(example_view, html, timeout=0.001, source_name="partner-q3.xlsx")
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_renders_off_the_main_thread_without_a_time_limit(example_view: PackView) -> None:
    html = render_html(example_view)
    results: list[PdfResult] = []
    worker = threading.Thread(target=lambda: results.append(render_pdf(example_view, html,
                                                                       timeout=0.001)))
    worker.start()
    worker.join(120)
    assert results and results[0].data.startswith(b"%PDF-")


# --- the portfolio summary ----------------------------------------------------------------

def test_portfolio_summary_is_a_pdfa_with_page_furniture() -> None:
    settings = Settings()
    other = example_input(3)
    other = dataclasses.replace(other, partnership=dataclasses.replace(
        other.partnership, name="Acme–Beta Payments Alliance", partner="Beta Ltd"))
    lines = [PortfolioLine.of(example_review(3), settings.date_format),
             PortfolioLine.of(score_review(other, settings.scoring.rules,
                                           settings.risk_bands.rules), settings.date_format)]
    view = portfolio_view(lines, "Q3 2025", GENERATED_AT, settings)
    data = render_portfolio_pdf(view, render_portfolio_html(view))
    texts = pages(data)
    assert "Acme–Beta Payments Alliance" in texts[0] and "FinCorp–TechDrive" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Partnership Portfolio Summary — Q3 2025"
        assert pdf.open_metadata().get("pdfaid:part") == "3"


def test_a_forked_worker_leaves_its_parent_s_font_folder(example_view: PackView) -> None:
    """A pool worker is forked holding its parent's FontConfiguration: its exit (which drops
    the fonts it made itself) must not remove the folder the parent's next pack reads from."""
    import multiprocessing

    from reportgen.render.pdf import drop_font_config, font_config

    render_pdf(example_view, render_html(example_view))  # the @font-face fonts are copied
    folder = font_config()._folder
    assert folder is not None and Path(folder).is_dir()
    child = multiprocessing.get_context("fork").Process(target=drop_font_config)
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert Path(folder).is_dir()
    assert render_pdf(example_view, render_html(example_view)).data.startswith(b"%PDF")
