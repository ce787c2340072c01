"""The risk register and heat map as the view gives them to both packs: the due date in the
settings' date format, the target score, the owner as written, each risk's move marked in the
heat map, and the legend that explains the marks."""

from __future__ import annotations

from dataclasses import replace

from factories import GENERATED_AT, example_history, example_input, example_review
from reportgen.config import Settings
from reportgen.domain.scoring import score_review
from reportgen.present.view import build_view

RULES = Settings().scoring.rules, Settings().risk_bands.rules


def test_risk_rows_carry_due_date_target_and_owner_as_written():
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    first = view.risks[0]
    assert (first.id, first.score, first.target, first.due, first.owner) == (
        "SR-02", "12", "→ 6 target", "28 Nov 2025", "Executive Sponsor")
    iso = build_view(example_review(3), Settings(date_format="%Y-%m-%d"), GENERATED_AT)
    assert iso.risks[0].due == "2025-11-28"


def test_a_risk_without_due_date_or_target_shows_neither():
    source = example_input(3)
    bare = replace(source.risks[0], due=None, target_probability=None, target_impact=None,
                   owner="  Dana Whitfield (SVP) ")
    review = score_review(replace(source, risks=(bare, *source.risks[1:])), *RULES)
    row = next(r for r in build_view(review, Settings(), GENERATED_AT).risks if r.id == "SR-01")
    assert (row.due, row.target) == ("", "")
    assert row.owner == "  Dana Whitfield (SVP) "  # as written; the workbook reader trims


def test_the_key_explains_target_scores_only_when_a_risk_has_one():
    assert build_view(example_review(3), Settings(), GENERATED_AT).risk_key == (
        "P = probability, I = impact, each rated 1 (lowest) to 5 (highest); score = P × I. "
        "“→ 6 target” is the score the mitigation aims for.")
    source = example_input(3)
    bare = tuple(replace(r, target_probability=None, target_impact=None) for r in source.risks)
    review = score_review(replace(source, risks=bare), *RULES)
    assert build_view(review, Settings(), GENERATED_AT).risk_key == (
        "P = probability, I = impact, each rated 1 (lowest) to 5 (highest); score = P × I.")


def test_heat_map_marks_moves_and_where_moved_risks_were():
    previous, entry = example_history()
    view = build_view(example_review(3, previous), Settings(), GENERATED_AT, history=[entry])
    cells = {(c.probability, c.impact): c for row in view.heatmap for c in row}
    assert [m.label for m in cells[(3, 4)].risks] == ["SR-02 ▲"]
    assert [m.label for m in cells[(4, 3)].risks] == ["SR-03 ▲"]
    assert [m.label for m in cells[(2, 5)].risks] == ["SR-01"]  # same place, same score
    assert cells[(3, 3)].was == ("SR-02 (Q2)", "SR-03 (Q2)")
    assert cells[(3, 3)].tag == "Medium 9"
    assert view.heat_legend == (
        "▲ / ▼ after an ID: the risk’s score is up / down since Q2 2025.",
        "An ID in italics followed by (Q2): the cell a risk that has since moved sat in, in "
        "Q2 2025.")


def test_a_new_risk_is_marked_and_the_legend_says_so():
    previous, entry = example_history()
    source = example_input(3)
    new = replace(source.risks[0], id="SR-05", probability=2, impact=2)
    review = score_review(replace(source, risks=(*source.risks, new)), *RULES, previous)
    view = build_view(review, Settings(), GENERATED_AT, history=[entry])
    cell = next(c for row in view.heatmap for c in row if (c.probability, c.impact) == (2, 2))
    assert [m.label for m in cell.risks] == ["SR-05 ●"]
    assert "● after an ID: a risk new this quarter." in view.heat_legend


def test_first_quarter_heat_map_has_no_marks_and_no_legend():
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    assert all(not m.arrow for row in view.heatmap for c in row for m in c.risks)
    assert view.heat_legend == ()
