"""The scorecard's rows: last quarter's actual as its workbook showed it, the variance to target
in the KPI's own unit (+ favourable) for higher- and lower-is-better, percentage and currency
KPIs, a KPI new this quarter, the sparkline, and the † of rows the rounding rule moved."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from factories import example_history, example_input, example_review
from reportgen.config import Settings
from reportgen.domain.history import HistoryEntry
from reportgen.domain.model import Direction, Kpi, Measure, Status
from reportgen.domain.scoring import score_review
from reportgen.domain.text import normalise
from reportgen.present.scorecard import kpi_rows, points_note
from reportgen.present.trend import Quarters

RULES = Settings().scoring.rules, Settings().risk_bands.rules
PERCENT = Measure(0, percent=True, decimals=1)
MONEY = Measure(0, decimals=1, prefix="$", suffix="M")


def q3_after_q2(*extra: Kpi, drop: int = 0):
    """Q3 scored against the example's Q2 (as the archive hands it back), with `extra` KPIs
    added (weights scaled so they still add up to 100%)."""
    previous, entry = example_history()
    source = example_input(3)
    kpis = list(source.kpis[drop:]) + list(extra)
    total = sum(k.weight for k in kpis)
    kpis = [replace(k, weight=k.weight / total) for k in kpis]
    review = score_review(replace(source, kpis=tuple(kpis)), *RULES, previous)
    return review, Quarters(review, [entry])


def rows_by_name(review, quarters):
    return {row.name: row for row in kpi_rows(review, quarters)}


def kpi(name: str, target: Measure, actual: Measure | None, direction: Direction,
        amber: Measure | None = None) -> Kpi:
    return Kpi("Extra", name, "", target, actual, direction, amber, Fraction(1, 10),
               owner="CFO office")


def test_higher_is_better_percentage_and_currency_kpis():
    rows = rows_by_name(*q3_after_q2())
    growth = rows["Joint Revenue Growth"]
    assert (growth.target, growth.previous, growth.actual) == ("5%", "4.6%", "6.2%")
    assert (growth.variance, growth.variance_css) == ("+1.2 pp", "better")
    assert growth.owner == "Head of Partner Sales"
    synergy = rows["Cost Synergy Realization"]
    assert (synergy.previous, synergy.actual, synergy.variance) == ("$1.6M", "$1.8M", "−$0.2M")
    assert synergy.variance_css == "worse"
    milestone = rows["Joint Project Milestone Delivery"]
    assert (milestone.previous, milestone.variance, milestone.change_text) == (
        "96%", "−7 pp", "Green → Red")
    assert rows["Customer Satisfaction (Joint Offering)"].variance == "+5"  # NPS, as +55 is shown
    assert rows["Executive Engagement Score"].variance == "−0.5"


def test_lower_is_better_signs_the_variance_so_plus_is_favourable():
    churn = kpi("Client churn", PERCENT._replace(value=0.02), PERCENT._replace(value=0.025),
                Direction.LOWER, PERCENT._replace(value=0.03))
    cost = kpi("Cost to serve", MONEY._replace(value=1.2), MONEY._replace(value=1.0),
               Direction.LOWER, MONEY._replace(value=1.4))
    rows = rows_by_name(*q3_after_q2(churn, cost))
    assert (rows["Client churn"].variance, rows["Client churn"].variance_css) == (
        "−0.5 pp", "worse")  # 2.5% against a 2.0% ceiling: adverse
    assert rows["Client churn"].status.word == "Amber"
    assert (rows["Cost to serve"].variance, rows["Cost to serve"].variance_css) == (
        "+$0.2M", "better")  # $1.0M against a $1.2M ceiling: favourable
    assert rows["Cost to serve"].direction == "Lower is better"


def test_on_target_and_no_data():
    on_target = kpi("Renewals", PERCENT._replace(value=0.9), PERCENT._replace(value=0.9),
                    Direction.HIGHER)
    no_data = kpi("Referrals", MONEY._replace(value=1.0), None, Direction.HIGHER)
    rows = rows_by_name(*q3_after_q2(on_target, no_data))
    assert (rows["Renewals"].variance, rows["Renewals"].variance_css) == ("0.0 pp", "")
    assert (rows["Referrals"].actual, rows["Referrals"].variance) == ("—", "—")


def test_a_kpi_new_this_quarter_has_no_previous_and_no_sparkline():
    new = kpi("Partner-sourced pipeline", MONEY._replace(value=5.0), MONEY._replace(value=5.5),
              Direction.HIGHER, MONEY._replace(value=4.0))
    rows = rows_by_name(*q3_after_q2(new))
    row = rows["Partner-sourced pipeline"]
    assert (row.previous, row.change, row.change_text) == ("—", "●", "new this quarter")
    assert row.spark is None  # one quarter is a dot, not a line
    assert row.variance == "+$0.5M"
    assert rows["Joint Revenue Growth"].spark is not None


def test_first_archived_quarter_has_no_previous_column_values():
    review = example_review(3)
    rows = kpi_rows(review, Quarters(review, []))
    assert {row.previous for row in rows} == {"—"}
    assert {row.change for row in rows} == {""}
    assert all(row.spark is None for row in rows)


def test_previous_actual_archived_without_its_look_takes_this_quarters():
    previous, entry = example_history()
    bare = replace(previous, kpi_measure={})  # archived before the archive kept looks
    review = score_review(example_input(3), *RULES, bare)
    rows = kpi_rows(review, Quarters(review, [replace(entry, kpi_measure={})]))
    assert [row.previous for row in rows] == ["4.6%", "$1.6M", "99.92%", "96%", "+52", "4.5"]
    finer = replace(bare, kpi_actual={**bare.kpi_actual, "joint revenue growth": 0.0465})
    review = score_review(example_input(3), *RULES, finer)
    assert kpi_rows(review, Quarters(review, []))[0].previous == "4.65%"  # never rounded off


def test_sparkline_places_the_actuals_against_the_target():
    review, quarters = q3_after_q2()
    rows = kpi_rows(review, quarters)
    milestone = rows[3].spark  # 96% then 88%, target 95%
    assert milestone is not None
    assert milestone.dots == ((0.0, 0.9), (1.0, 0.1)) and milestone.last == (1.0, 0.1)
    assert milestone.lines == (((0.0, 0.9), (1.0, 0.1)),)
    assert milestone.target == 0.8 and milestone.last_css == "red"
    assert milestone.alt == ("Joint Project Milestone Delivery by quarter: Q2 2025 96%, "
                             "Q3 2025 88%; target 95%.")


def test_a_quarter_without_the_kpi_breaks_the_line():
    previous, entry = example_history()
    q1 = HistoryEntry("2025-Q1", 80, Status.AMBER, {"Joint Revenue Growth": Status.GREEN},
                      {"Joint Revenue Growth": 0.05})
    gap = replace(entry, kpi_status={k: s for k, s in entry.kpi_status.items()
                                     if normalise(k) != "joint revenue growth"})
    review = score_review(example_input(3), *RULES, previous)
    spark = kpi_rows(review, Quarters(review, [q1, gap]))[0].spark
    assert spark is not None and len(spark.dots) == 2 and spark.lines == ()
    assert spark.alt.startswith("Joint Revenue Growth by quarter: Q1 2025 5.0%, Q3 2025 6.2%")


def test_rows_the_rounding_rule_moved_carry_a_dagger_and_the_note_gives_the_exact_total():
    source = example_input(3)
    template = source.kpis[2]  # 99.95% against 99.9%: Green
    kpis = tuple(replace(template, name=f"KPI {i:02d}", weight=Fraction(1, 8)) for i in range(8))
    review = score_review(replace(source, kpis=kpis), *RULES)
    rows = kpi_rows(review, Quarters(review, []))
    assert review.score == 100
    marked = [row for row in rows if row.points_mark == "†"]
    assert len(marked) == 4 and {row.points for row in marked} == {"12"}
    assert {row.points for row in rows if not row.points_mark} == {"13"}
    assert points_note(review) == (
        "† Rounded down, not up: rounding every row half-up would total 104 points, but the "
        "exact total (weight × status factor, summed) is 100; the marked rows make up the "
        "difference, so the points add up to 100.")


def test_light_kpis_show_points_to_a_tenth_so_their_statuses_read_apart():
    """40 KPIs of 2.5%: whole points would show Green 3 and Amber 2 for some rows and 2 and 2
    for others; to a tenth they are 2.5, 1.9 and 0.8, and the column still adds up."""
    source = example_input(3)
    green, amber = source.kpis[2], source.kpis[1]  # 99.95% vs 99.9%: Green; $1.8M: Amber
    red = source.kpis[3]  # 88% against 95%: Red
    kpis = tuple(replace((green, amber, red)[i % 3], name=f"KPI {i:02d}",
                         weight=Fraction(1, 40)) for i in range(40))
    review = score_review(replace(source, kpis=kpis), *RULES)
    rows = kpi_rows(review, Quarters(review, []))
    assert review.points_unit == Fraction(1, 10)
    by_status = {(row.status.word, row.points) for row in rows if not row.points_mark}
    assert by_status == {("Green", "2.5"), ("Amber", "1.9"), ("Red", "0.8")}
    assert sum(Fraction(row.points) for row in rows) == review.score == 70  # 70.2 exact
    assert all(row.points in {"2.0", "1.8", "0.9", "0.7"} for row in rows if row.points_mark)


def test_a_row_rounded_up_and_an_exact_total_with_decimals():
    source = example_input(3)
    amber, green = source.kpis[1], source.kpis[0]  # $1.8M against $2.0M: Amber; 6.2%: Green
    kpis = (replace(amber, weight=Fraction(1, 8)),
            replace(amber, name="Second", weight=Fraction(1, 8)),
            replace(green, weight=Fraction(3, 4)))
    review = score_review(replace(source, kpis=kpis), *RULES)
    rows = kpi_rows(review, Quarters(review, []))
    assert [(row.points, row.points_mark) for row in rows] == [("9", ""), ("10", "†"), ("75", "")]
    assert points_note(review) == (
        "† Rounded up, not down: rounding every row half-up would total 93 points, but the exact "
        "total (weight × status factor, summed) is 93.75, 94 once rounded; the marked rows make "
        "up the difference, so the points add up to 94.")
    assert points_note(example_review(3)) == ""


def test_a_long_scorecard_closes_each_category_with_its_subtotal():
    source = example_input(3)
    green, amber = source.kpis[2], source.kpis[1]
    kpis = tuple(replace((green, amber)[i % 2], name=f"KPI {i:02d}", weight=Fraction(1, 20),
                         category=f"Category {i // 10}") for i in range(20))
    review = score_review(replace(source, kpis=kpis), *RULES)
    rows = kpi_rows(review, Quarters(review, []))
    subtotals = [(i, row.subtotal) for i, row in enumerate(rows) if row.subtotal]
    assert [i for i, _ in subtotals] == [9, 19]  # under each category's last KPI
    assert [s.label for _, s in subtotals] == ["Subtotal: Category 0", "Subtotal: Category 1"]
    assert [s.weight for _, s in subtotals] == ["50%", "50%"]
    assert sum(int(s.points) for _, s in subtotals) == review.score == 88  # 10 × 5 + 10 × 3.75
    short = score_review(example_input(3), *RULES)  # 6 KPIs: no subtotals
    assert not any(row.subtotal for row in kpi_rows(short, Quarters(short, [])))
