"""HTML rendering: escaping, the user template overlay and its sandbox, preview, chart."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from factories import GENERATED_AT, example_history, example_review
from reportgen.config import Settings
from reportgen.domain.model import Status
from reportgen.errors import RenderError
from reportgen.present.scorecard import Spark
from reportgen.present.status import StatusView
from reportgen.present.trend import Trend, TrendPoint
from reportgen.present.view import PackView, build_view
from reportgen.render.charts.spark import spark_svg
from reportgen.render.charts.svg import trend_svg
from reportgen.render.html import TEMPLATES, render_html, template_environment

HOSTILE = (
    '<img src="file:///etc/hostname">',
    "</td></table><h1>x",
    "<script>alert(1)</script>",
    "<link rel=attachment href=file:///etc/passwd>",
    "Café € “quoted” & ampersand",
)
SECTION_IDS = ["cover", "contents", "summary", "scorecard", "risks", "trend", "decisions",
               "actions", "governance", "attention", "appendix"]
PNG = bytes.fromhex(  # a 1×1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5274e"
    "f60000000049454e44ae426082"
)


class _Tags(HTMLParser):
    """Collects start tags, element ids and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value for key, value in attrs if key == "id" and value]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def view() -> PackView:
    """The example, five attention items on its summary page: Appendix A holds the rest."""
    return build_view(example_review(3), Settings(attention_limit=5), GENERATED_AT)


def hostile_view(view: PackView) -> PackView:
    """The example with hostile text in every kind of field the templates show."""
    kpis = tuple(
        dataclasses.replace(row, name=HOSTILE[i % len(HOSTILE)], commentary=HOSTILE[-1 - i % 5])
        for i, row in enumerate(view.kpis)
    )
    risks = tuple(dataclasses.replace(r, description=HOSTILE[0], mitigation=HOSTILE[2])
                  for r in view.risks)
    return dataclasses.replace(
        view, partnership=HOSTILE[1], partner=HOSTILE[2], kpis=kpis, risks=risks,
        distribution=(HOSTILE[3],), executive_sponsor=HOSTILE[4],
    )


def test_sections_in_order_with_every_title(view: PackView) -> None:
    page = parse(render_html(view))
    assert [i for i in page.ids if i in SECTION_IDS] == SECTION_IDS
    text = " ".join(page.text)
    for title in ("Quarterly Business Review", "Contents", "Executive summary",
                  "Partnership Health Scorecard", "Strategic Risk Assessment Matrix", "Trend",
                  "Decisions and escalations", "Actions from the last review", "Governance",
                  "Appendix A: everything for the sponsors’ attention",
                  "Appendix B: methodology and provenance"):
        assert title in text


def test_decisions_section_only_when_there_are_decisions(view: PackView) -> None:
    page = parse(render_html(dataclasses.replace(view, decisions=(), open_decisions=())))
    assert "decisions" not in page.ids
    assert "Decisions and escalations" not in " ".join(page.text)


def test_workbook_text_is_escaped_never_markup(view: PackView) -> None:
    html = render_html(hostile_view(view))
    page = parse(html)
    assert "script" not in page.tags
    assert "img" not in page.tags  # no logo configured, so no image at all
    assert "link" not in page.tags
    assert page.tags.count("h1") == len(SECTION_IDS) - 1  # one per section but the cover
    text = "".join(page.text)
    for needle in HOSTILE:
        assert needle in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_text_written_right_to_left_is_set_right_to_left(view: PackView) -> None:
    arabic = "تم تحسين زمن الاستجابة بعد نقل الخدمة."
    kpis = (dataclasses.replace(view.kpis[0], commentary=arabic), *view.kpis[1:])
    risks = (dataclasses.replace(view.risks[0], mitigation="מעקב שבועי של הצוות"), *view.risks[1:])
    html = render_html(dataclasses.replace(view, kpis=kpis, risks=risks))
    assert f'class="prose" dir="rtl">{arabic}</td>' in html
    assert re.search(r'class="prose" dir="rtl">(<span id="cut-[^"]+"></span>)?מעקב', html)
    assert html.count('dir="rtl"') == 2  # the other cells are written left to right


def test_long_runs_get_break_opportunities_but_words_and_ids_do_not(view: PackView) -> None:
    address = "dana.whitfield-montgomery@fincorp-wealth-platform.example"  # 57 characters
    row = dataclasses.replace(view.kpis[0], name="Z" * 100, metric=address)
    html = render_html(dataclasses.replace(view, kpis=(row, *view.kpis[1:])))
    assert "\u200b".join(["Z" * 30] * 3 + ["Z" * 10]) in html
    assert address in html


def test_pdf_html_references_only_shipped_assets(view: PackView) -> None:
    html = render_html(view)
    assert f'url("{(TEMPLATES / "fonts" / "Inter-Regular.otf").as_uri()}")' in html
    urls = re.findall(r'url\("([^"]*)"\)|(?:src|href)="([^"#][^"]*)"', html)
    assert urls
    for url in (a or b for a, b in urls):
        assert url.startswith(TEMPLATES.as_uri() + "/"), url


def test_standalone_preview_is_self_contained(view: PackView, tmp_path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    branded = dataclasses.replace(
        view, branding=dataclasses.replace(view.branding, logo_url=logo.as_uri())
    )
    html = render_html(branded, standalone=True)
    assert "file:" not in html
    assert html.count("data:font/otf;base64,") == 4
    assert 'src="data:image/png;base64,' in html
    assert 'class="standalone"' in html


def test_user_template_overrides_one_block(view: PackView, tmp_path) -> None:
    (tmp_path / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}'
        '{% block governance %}<section class="sheet" id="governance"><h1>Our governance</h1>'
        "<p>{{ view.executive_sponsor }}</p></section>{% endblock %}",
        encoding="utf-8",
    )
    text = " ".join(parse(render_html(view, template_environment(tmp_path))).text)
    assert "Our governance" in text
    assert "Review cadence" not in text  # the built-in governance block is gone
    assert "Executive summary" in text and "Partnership Health Scorecard" in text


def test_user_folder_overlays_a_partial(view: PackView, tmp_path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "governance.html.j2").write_text(
        '<section class="sheet" id="governance"><h1>Governance, our way</h1></section>',
        encoding="utf-8",
    )
    text = " ".join(parse(render_html(view, template_environment(tmp_path))).text)
    assert "Governance, our way" in text


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__ }}",
    "{{ view.__class__.__init__.__globals__ }}",
    "{{ asset.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ view.kpis.__class__.__subclasses__() }}",
])
def test_user_templates_are_sandboxed(view: PackView, tmp_path, payload: str) -> None:
    (tmp_path / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}{% block governance %}' + payload + "{% endblock %}",
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match=r"pack\.html\.j2:1: .* is unsafe \(templates from "
                                          r"your folder run in Jinja's sandbox\)$"):
        render_html(view, template_environment(tmp_path))


def test_undefined_names_fail_loudly(view: PackView, tmp_path) -> None:
    (tmp_path / "pack.html.j2").write_text("{{ view.no_such_field }}", encoding="utf-8")
    with pytest.raises(RenderError, match=r"pack\.html\.j2:1: .*has no attribute 'no_such_field'"):
        render_html(view, template_environment(tmp_path))


def test_autoescape_is_on_for_every_environment(tmp_path) -> None:
    for env in (template_environment(), template_environment(tmp_path)):
        assert str(env.from_string("{{ x }}").render(x="<b>")) == "&lt;b&gt;"


def _trend(*scores: int, label: str = "Q{n} 2025") -> Trend:
    points = tuple(
        TrendPoint(label.format(n=i + 1), score, StatusView.of(Status.AMBER))
        for i, score in enumerate(scores)
    )
    return Trend(points, (), first_quarter=len(points) == 1)


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_trend_chart_draws_every_quarter() -> None:
    scores = (70, 74, 79, 86, 88, 83, 90, 100)
    svg = _svg(trend_svg(_trend(*scores), green_from=85, amber_from=70, line_colour="#1F3A5F"))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}circle")) == 8
    line = svg.find(f"{ns}polyline")
    assert line is not None and len(line.get("points", "").split()) == 8
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert all(str(score) in texts for score in scores)
    assert "Green ≥ 85" in texts and "Amber ≥ 70" in texts and "Red < 70" in texts
    ys = [float(c.get("cy", "0")) for c in svg.findall(f"{ns}circle")]
    assert ys[-1] == min(ys)  # 100 is drawn highest


def test_trend_chart_with_one_quarter_has_a_single_point() -> None:
    svg = _svg(trend_svg(_trend(83), line_colour="#1F3A5F"))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}circle")) == 1
    assert svg.find(f"{ns}polyline") is None


def test_trend_chart_escapes_its_text() -> None:
    markup = trend_svg(_trend(50, 60, label="<Q{n}> & </svg>"), line_colour="#1F3A5F")
    svg = _svg(markup)  # still well-formed XML
    assert "&lt;Q1&gt; &amp; &lt;/svg&gt;" in markup
    assert any(t.text == "<Q2> & </svg>" for t in svg.iter("{http://www.w3.org/2000/svg}text"))


def test_trend_chart_on_a_fitted_axis_shows_a_five_point_change_and_every_band() -> None:
    trend = dataclasses.replace(_trend(88, 83), axis=(65, 95), ticks=(65, 70, 75, 80, 85, 90, 95))
    svg = _svg(trend_svg(trend, green_from=85, amber_from=70, line_colour="#1F3A5F"))
    ns = "{http://www.w3.org/2000/svg}"
    high, low = (float(c.get("cy", "0")) for c in svg.findall(f"{ns}circle"))
    assert low - high > 30  # of 184 units of height: a sixth of the plot for 5 points
    assert [t.text for t in svg.iter(f"{ns}text")][:3] == ["Green ≥ 85", "Amber ≥ 70", "Red < 70"]
    assert len(svg.findall(f"{ns}rect")) == 3
    ticks = [t.text for t in svg.iter(f"{ns}text") if t.get("text-anchor") == "end"]
    assert ticks == ["65", "70", "75", "80", "85", "90", "95"]


def test_sparklines_are_drawn_with_their_target_and_described() -> None:
    previous, entry = example_history()
    view = build_view(example_review(3, previous), Settings(), GENERATED_AT, history=[entry])
    html = render_html(view)
    spark = view.kpis[3].spark  # milestone delivery: 96% → 88% against 95%
    assert spark is not None and spark.last_css == "red"
    markup = str(spark_svg(spark, "#1F3A5F"))
    svg = _svg(markup)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("aria-label") == ("Joint Project Milestone Delivery by quarter: Q2 2025 96%, "
                                     "Q3 2025 88%; target 95%.")
    (target,) = svg.findall(f"{ns}line")
    assert target.get("stroke-dasharray")
    first, last = svg.findall(f"{ns}circle")
    assert float(first.get("cy", "0")) < float(target.get("y1", "0")) < float(last.get("cy", "0"))
    assert markup in html
    assert html.count('class="spark"') == 6


def test_a_sparklines_text_is_escaped() -> None:
    points = ((0.0, 0.1), (1.0, 0.9))
    spark = Spark(lines=(points,), dots=points, last=points[1], last_css="green", target=0.5,
                  alt='</svg><script>alert(1)</script> "quoted" & more')
    markup = str(spark_svg(spark, "#1F3A5F"))
    _svg(markup)  # still well-formed XML
    assert "<script>" not in markup and "&lt;script&gt;" in markup
