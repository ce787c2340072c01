"""The width rule (`render.columns`, `render.widths`) and the scorecard's continued categories
(`render.widths`): what each promises, checked on small tables and on the stress workbook."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import GENERATED_AT, example_history, example_review
from reportgen.config import Page, Settings
from reportgen.domain.scoring import score_review
from reportgen.domain.text import unbroken
from reportgen.intake.validation import load
from reportgen.present.view import PackView, build_view
from reportgen.present.wording import WORDS
from reportgen.render.columns import (
    MM,
    PADDING,
    WORD_JOINER,
    Column,
    Text,
    break_before_held,
    column,
    fit,
    keep_compounds,
    keep_heading,
    keep_name,
    keep_units,
    lines,
    tokens,
)
from reportgen.render.fonts import advance, css_stack
from reportgen.render.html import render_html
from reportgen.render.widths import (
    Cut,
    PackWidths,
    Pages,
    category_cells,
    continued_rows,
    governance_share,
    heat_share,
    kpi_grid_paired,
    relayout,
    stranded,
    text_width,
)
from stress import write_stress

WIDTH = 180 * MM  # an A4 portrait page's text


def inner(share: float, width: float = WIDTH) -> float:
    """A column's room for text, in points, from its percentage."""
    return width * share / 100 - PADDING


def test_widths_add_up_to_100_and_keep_their_order():
    widths = fit([column("ID", ["SR-01"]), column("Risk", ["a " * 200]),
                  column("Score", ["12"], keep=True)], WIDTH)
    assert round(sum(widths), 2) == 100
    assert widths[1] > widths[0] and widths[1] > widths[2]


def test_every_token_fits_its_column():
    cells = ["Performance", "SR-2025-0001", "$12,345.6M", "99.95%", "Whitfield"]
    columns = [column(f"Column {i}", [text, "short"]) for i, text in enumerate(cells)]
    columns.append(column("Commentary", ["a long commentary sentence " * 30]))
    for share, text in zip(fit(columns, WIDTH), cells, strict=False):
        assert advance(text, 8.5) < inner(share)


def test_numbers_and_chips_are_never_wrapped():
    number = "$12,345.6M"
    widths = fit([column("Target", [number], keep=True),
                  Column("Status", (Text(["No data"], 8, 700, keep=True, extra=12),)),
                  column("KPI", ["Joint revenue growth across the region " * 8])], WIDTH)
    assert advance(number, 8.5) < inner(widths[0])
    assert advance("No data", 8, 700) + 12 < inner(widths[1])


def test_long_free_text_gets_the_width():
    widths = fit([column("Owner", ["Dana Whitfield, SVP Innovation"]),
                  column("Commentary", ["Advisory channel now live; growth ahead of plan. " * 8]),
                  column("KPI", ["Joint Revenue Growth"])], WIDTH)
    assert widths[1] > 50 and widths[1] == max(widths)


def test_everything_on_one_line_shares_the_rest_in_proportion():
    widths = fit([column("A", ["one"]), column("B", ["two words"])], WIDTH)
    assert widths[0] < widths[1]
    assert all(advance(t, 8.5) < inner(w) for t, w in zip(("one", "two words"), widths,
                                                           strict=True))


def test_a_word_wider_than_a_third_of_the_table_does_not_take_its_column():
    url = "https://partners.example/" + "x" * 150
    widths = fit([column("Notes", [url]), column("Decision", ["Approve the budget " * 20])],
                 WIDTH)
    assert widths[0] < 100 / 3 + 2  # the long word breaks; the decision keeps its width


def test_when_the_least_widths_do_not_fit_the_widest_tokens_give_way():
    columns = [column(str(i), ["Internationalisation" * 2]) for i in range(8)]
    columns.append(column("Score", ["1234567"], keep=True))
    widths = fit(columns, WIDTH)
    assert round(sum(widths), 2) == 100
    assert advance("1234567", 8.5) < inner(widths[-1])  # what is kept whole keeps its width


def test_tokens_are_words_and_each_wide_character():
    assert tokens("Joint PMO 🚀 co-branded") == ["Joint", "PMO", "🚀", "co-branded"]
    assert tokens("顧客満足度 (日本)") == ["顧", "客", "満", "足", "度", "(", "日", "本", ")"]


def test_short_compounds_are_joined_and_long_ones_may_break_at_a_hyphen():
    assert keep_compounds("Asia-Pacific co-branded") == "Asia-\u2060Pacific co-\u2060branded"
    long = "procurement-approval-workflow"
    assert keep_compounds(long) == long
    assert keep_compounds("SR-2025-0001") == "SR-\u20602025-\u20600001"
    assert keep_compounds("no hyphen") == "no hyphen"


def test_lines_counts_wrapped_lines():
    assert lines("word", 100) == 1
    assert lines("word " * 100, 100) > 20
    assert lines("a\nb\nc", 100) == 3


def test_font_stack_falls_back_to_the_noto_fonts_of_every_script():
    stack = css_stack("Inter")
    for family in ("Reportgen Inter", "Noto Sans Arabic", "Noto Sans Hebrew",
                   "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans CJK JP", "DejaVu Sans"):
        assert f'"{family}"' in stack
    assert "Noto Color Emoji" not in stack  # named, it would draw digits (see render.fonts)
    assert css_stack("Corporate Sans").startswith('"Corporate Sans", "Reportgen Inter"')


def example_view(page: Page | None = None) -> PackView:
    return build_view(example_review(3), Settings(page=page or Page()), GENERATED_AT)


def test_the_summary_list_keeps_each_type_and_id_on_one_line():
    """"DECISION D-02" is one unbroken token of its column, on either orientation."""
    for page in (Page(), Page(orientation="portrait")):
        view = example_view(page)
        layout = PackWidths(view).attention
        width = text_width(view.page_size) * layout.widths[1] / 100 - PADDING
        longest = max(f"{e.kind.upper()} {e.ref}" for e in view.summary.shown)
        assert advance(longest, 7.5, 700) <= width


def test_text_width_is_the_page_less_its_margins():
    assert text_width("A4 landscape") == pytest.approx((297 - 30) * MM)
    assert text_width("Letter portrait") == pytest.approx((215.9 - 30) * MM)


@pytest.fixture(scope="module")
def stress_views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PackView]:
    book = write_stress(tmp_path_factory.mktemp("widths") / "stress.xlsx")
    views = {}
    for orientation in ("portrait", "landscape"):
        settings = Settings(page=Page(orientation=orientation))
        scored = score_review(load(book).reviews[0], settings.scoring.rules,
                              settings.risk_bands.rules, None)
        views[orientation] = build_view(scored, settings, GENERATED_AT)
    return views


def test_stress_tables_keep_ids_and_numbers_whole(stress_views):
    for view in stress_views.values():
        widths, width = PackWidths(view), text_width(view.page_size)
        size = 7.8 if view.page_size.endswith("portrait") else 8.5  # pack.css `.narrow`
        risk_id = inner(widths.risks.widths[0], width)
        assert all(advance(r.id, size, 600) < risk_id for r in view.risks)
        actual = inner(widths.scorecard.widths[4], width)  # KPI, Owner, Target, Previous, Actual
        assert all(advance(k.actual, size, 600) < actual for k in view.kpis)


def test_a_risk_row_is_never_split_however_tall(stress_views):
    view = stress_views["portrait"]
    assert any(len(r.description) > 350 for r in view.risks)  # 20 lines in its column
    assert not PackWidths(view).risks.splits and not PackWidths(view).closed_risks.splits


def test_the_decision_tables_stacked_on_a_page_share_their_column_widths(stress_views):
    widths = PackWidths(stress_views["portrait"])
    view = stress_views["portrait"]
    assert view.agenda.requested and view.agenda.taken
    assert widths.decisions_requested.widths == widths.decisions_taken.widths


def test_the_heat_map_makes_room_for_its_ids(stress_views):
    assert heat_share(stress_views["portrait"]) == 100  # too narrow beside its key
    assert 55 <= heat_share(stress_views["landscape"]) < 70
    assert heat_share(example_view()) == 55


# --- categories continued on a new page ---------------------------------------------------

def test_a_continued_category_is_labelled_again_where_its_page_starts():
    kpis = example_view().kpis  # Financial Performance: rows 0-1, Operational Stability: 2-3
    assert category_cells(kpis) == ("Financial Performance", None, "Operational Stability",
                                    None, "Strategic Alignment", "Relationship Health")
    cells = category_cells(kpis, frozenset({3}))
    assert cells[2] == "Operational Stability"
    assert cells[3] == f"Operational Stability {WORDS.continued}" == "Operational Stability (cont.)"


def test_only_rows_inside_a_category_are_continued():
    kpis = example_view().kpis
    tops = frozenset({"kpi-1", "kpi-2", "summary", "kpi-x", "kpi-99"})
    assert continued_rows(kpis, tops) == frozenset({1})  # row 2 opens its own category


def test_relayout_asks_again_only_when_the_breaks_change():
    kpis = example_view().kpis
    asked: list[tuple[frozenset[int], frozenset[Cut]]] = []
    again = relayout(kpis, lambda continued, whole, _: asked.append((continued, whole)) or "html")
    assert again(Pages(frozenset({"summary"}), {})) is None  # nothing continued: one layout
    assert again(Pages(frozenset({"kpi-1"}), {})) == "html"
    assert asked == [(frozenset({1}), frozenset())]
    assert again(Pages(frozenset({"kpi-1"}), {})) is None  # settled
    cut_badly = {"cut-risks-3-0": 8, "cut-risks-3-1": 9}
    assert again(Pages(frozenset({"kpi-1"}), cut_badly)) == "html"
    assert asked[-1] == (frozenset({1}), frozenset({Cut("risks", 3)}))
    # once whole, a row stays whole though the next layout no longer shows it cut
    assert again(Pages(frozenset({"kpi-1"}), {"risks-x": 9})) is None


def test_a_split_row_with_a_cell_left_empty_at_the_page_foot_is_kept_whole():
    first = {
        "cut-risks-7-0": 8, "cut-risks-7-1": 9, "cut-risks-7-6": 9,  # only the ID fitted
        "cut-risks-2-0": 7, "cut-risks-2-1": 7, "cut-risks-2-6": 7,  # whole on one page
        "cut-actions-0-0": 12, "cut-actions-0-5": 12,  # cut well: every cell began on page 12
        "kpi-3": 4, "risks": 8,
    }
    assert stranded(first) == frozenset({Cut("risks", 7)})


def test_a_row_kept_whole_no_longer_splits(stress_views):
    view = stress_views["portrait"]
    tall = PackWidths(view).decisions_requested.splits
    row = min(tall)
    kept = PackWidths(view, frozenset({Cut("decisions_requested", row),
                                       Cut("actions", row)})).decisions_requested
    assert kept.splits == tall - {row} and kept.name == "decisions_requested"


def test_a_category_of_one_row_is_never_continued():
    kpis = example_view().kpis
    single = replace(kpis[4], first_in_category=True)
    assert continued_rows((single,), frozenset({"kpi-0"})) == frozenset()


def test_the_governance_table_takes_the_whole_width_of_a_portrait_page(stress_views):
    assert governance_share(stress_views["portrait"]) == 100  # its addresses need the room
    assert governance_share(stress_views["landscape"]) == 75


def test_the_kpi_grid_sets_value_and_status_alike_in_every_row():
    """Side by side where every pair fits and the KPI names keep to two lines, else every
    status word under its value: never some rows one way and some the other."""
    previous, q2 = example_history()
    quarters = ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    history = [replace(q2, quarter=q) for q in quarters]
    eight = {orientation: build_view(example_review(3, previous),
                                     Settings(page=Page(orientation=orientation)),
                                     GENERATED_AT, history=history)
             for orientation in ("portrait", "landscape")}
    assert len(eight["portrait"].trend.points) == 8
    assert not kpi_grid_paired(eight["portrait"]) and not kpi_grid_paired(eight["landscape"])
    two = build_view(example_review(3, previous), Settings(), GENERATED_AT, history=[q2])
    assert kpi_grid_paired(two)
    assert 'class="grid kpi-grid stacked"' in render_html(eight["portrait"])
    assert 'class="grid kpi-grid"' in render_html(two)
    # stacked, each quarter is as wide as its widest value or status word, not the pair
    widths = PackWidths(eight["landscape"]).kpi_grid.widths
    assert widths[0] > 2 * max(widths[1:])  # the KPI names keep the room


def test_a_cjk_name_breaks_only_at_its_spaces_and_a_unit_stays_with_its_figure():
    joined = keep_name("田中 美咲 (Head of Sales)")
    assert joined == "田\u2060中 美\u2060咲 (Head of Sales)"
    assert keep_name("Dana Whitfield-Montgomery") == "Dana Whitfield-Montgomery"
    assert keep_units("+1.2 pp, 2.5 M, 1,234.50 €, USD 1,234") == (
        "+1.2\u00a0pp, 2.5\u00a0M, 1,234.50\u00a0€, USD\u00a01,234")
    assert keep_units("3 of 6 KPIs: 1 is Red, due 30 Sep 2025") == (
        "3 of 6 KPIs: 1 is Red, due 30 Sep 2025")  # prose keeps its spaces


def test_a_short_heading_in_japanese_is_one_word_and_its_column_is_as_wide_as_it():
    assert keep_heading("得点") == "得\u2060点"  # never 得 / 点 (found on the Japanese scorecard)
    assert keep_heading("Points") == "Points"
    assert keep_heading("前回（2025年第2四半期）") == "前回（2025年第2四半期）"  # long: may wrap
    narrow = Column("得点", (Text(["30", "15"], 8.5, keep=True),))
    wide = Column("KPI", (Text(["Joint Revenue Growth " * 6], 8.5),))
    widths = fit([narrow, wide], 400)
    heading = advance("得点", 7.8, 600)
    assert widths[0] / 100 * 400 - PADDING >= heading  # the heading fits on one line


def test_a_quarter_label_held_whole_is_one_word_and_word_breaks_before_it():
    """"前回（2025年第2四半期）" (the scorecard's "Previous" heading, `PackView`): the label and
    its brackets are one word to the column widths; Word, which breaks Japanese anywhere, is
    given a line break before it when the heading needs two lines."""
    heading = f"前回（{WORD_JOINER}{unbroken('2025年第2四半期')}{WORD_JOINER}）"
    held = heading[2:]
    assert tokens(heading) == ["前", "回", held]
    assert tokens("2025年第2四半期") == ["2025", "年", "第", "2", "四", "半", "期"]  # not held
    wide = advance(held, 7.8, 600)
    widths = fit([Column(heading), Column("KPI", (Text(["Joint Revenue Growth " * 6]),))], 400)
    assert widths[0] / 100 * 400 - PADDING >= wide  # the column makes room for it whole
    assert break_before_held(heading, 2 * wide, 7.5, 700) == heading  # one line: as it is
    assert break_before_held(heading, wide + 1, 7.5, 700) == f"前回\n{held}"
    assert break_before_held("Previous (Q2\u00a02025)", 20, 7.5, 700) == "Previous (Q2\u00a02025)"


def test_a_thai_name_breaks_only_at_its_space_and_keeps_its_marks_on_their_letters():
    # "สมชาย ใจดี" was set "ใจ / ดี" in a narrow Owner column (Pango breaks Thai between words)
    assert keep_name("สมชาย ใจดี") == "ส\u2060ม\u2060ช\u2060า\u2060ย ใ\u2060จ\u2060ดี"
    assert keep_name("प्रिया शर्मा") == "प्रिया शर्मा"  # Devanagari is written with spaces


def test_the_pdf_sets_a_thai_owner_s_words_whole():
    """Pango breaks Thai between dictionary words whatever joins them: the HTML keeps each
    such word in a no-wrap span, its text escaped."""
    view = example_view()
    risk = replace(view.risks[0], owner="สมชาย ใจดี <b>")
    html = render_html(replace(view, risks=(risk, *view.risks[1:])))
    assert ('<span class="nowrap">ส\u2060ม\u2060ช\u2060า\u2060ย</span> '
            '<span class="nowrap">ใ\u2060จ\u2060ดี</span> &lt;b&gt;') in html
