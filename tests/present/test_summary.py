"""The executive summary's figures and the Decisions and Actions sections, as the view gives them
to both packs: each attention item with why it is listed, the first `attention_limit` and "and N
more", the tiles' counts, the decisions requested, taken and decided before, the actions; and
the same list, with ids, in `score --json`."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace

from rich.console import Console

from factories import GENERATED_AT, archived, example_input, example_review
from reportgen.config import Settings
from reportgen.domain.history import PreviousReview
from reportgen.domain.model import Decision, DecisionState, Measure, Status
from reportgen.domain.scoring import score_review
from reportgen.present.document import reviews_json
from reportgen.present.summary import AttentionRow, summary_of
from reportgen.present.terminal import print_scored
from reportgen.present.view import build_view

RULES = Settings().scoring.rules, Settings().risk_bands.rules


def rows(attention: tuple[AttentionRow, ...]) -> list[tuple[str, str, str, str]]:
    return [(r.kind, r.ref, r.brief, r.why) for r in attention]


def test_each_item_says_why_in_figures_after_q2():
    summary = summary_of(example_review(3, archived(2)), Settings())
    assert rows(summary.attention) == [
        ("KPI", "", "Joint Project Milestone Delivery", "Red: 88% vs 95% target; Green in Q2 2025"),
        ("Action", "A-02", "Agree a succession plan for TechDrive's platform leadership",
         "due 30 Sep 2025, 14 days overdue; owner Marcus Lee"),
        ("Risk", "SR-02", "Disruptive technology makes joint offering obsolete.",
         "High, score 12, up from 9"),
        ("Risk", "SR-03", "Key executive talent leaves partner organization.",
         "High, score 12, up from 9"),
        ("Risk", "SR-01", "Partner is acquired by a direct competitor.", "High, score 10"),
        ("Decision", "D-02", "Fund a dedicated TechDrive delivery team in exchange for a larger…",
         "requested, due 31 Oct 2025; owner Dana Whitfield"),
        ("Decision", "D-03", "Approve the contract amendment for revenue share on jointly built…",
         "requested, due 15 Nov 2025; owner General Counsel"),
        # 11.1% below target before 10% below: the bigger miss first, whatever the weight
        ("KPI", "", "Executive Engagement Score", "Amber: 4.0 vs 4.5 target; Green in Q2 2025"),
        ("KPI", "", "Cost Synergy Realization", "Amber: $1.8M vs $2.0M target; Amber in Q2 2025"),
    ]
    assert [r.number for r in summary.attention] == list(range(1, 10))
    assert [r.mark for r in summary.attention] == ["red", "red", "amber", "amber", "amber", "",
                                                   "", "amber", "amber"]
    assert summary.attention[5].name == ("Fund a dedicated TechDrive delivery team in exchange "
                                         "for a larger revenue share on new features")


def test_the_summary_shows_every_decision_and_the_first_other_items_numbered_from_one():
    review = example_review(3)
    default = summary_of(review, Settings())
    # the decisions requested stand in full above the list, so the list leaves them out
    assert [(d.id, d.due, d.owner, d.financial_impact) for d in default.decisions] == [
        ("D-02", "31 Oct 2025", "Dana Whitfield", "$1.2M"),
        ("D-03", "15 Nov 2025", "General Counsel", "+2 pts revenue share")]
    assert default.decisions[0].text == ("Fund a dedicated TechDrive delivery team in exchange "
                                         "for a larger revenue share on new features")
    assert [(r.number, r.kind, r.ref) for r in default.shown] == [
        (1, "KPI", ""), (2, "Action", "A-02"), (3, "Risk", "SR-02"), (4, "Risk", "SR-03"),
        (5, "Risk", "SR-01"), (6, "KPI", ""), (7, "KPI", "")]
    assert default.more == ""  # all seven are there: no Appendix A
    assert [r.number for r in default.attention] == list(range(1, 10))  # Appendix A: all nine
    three = summary_of(review, Settings(attention_limit=3))
    assert three.shown == default.listed[:3]
    assert three.more == "and 4 more — see Appendix A"
    assert replace(three, shown_count=0).more == "7 items — see Appendix A"


def test_reasons_for_no_data_set_by_hand_new_and_slipping_kpis():
    source = example_input(3)
    kpis = list(source.kpis)
    kpis[0] = replace(kpis[0], actual=None)  # Joint Revenue Growth: no data
    kpis[1] = replace(kpis[1], override=Status.GREEN)  # Cost Synergy: Amber by the rules
    kpis[2] = replace(kpis[2], name="SLA Adherence (new)")  # not in last quarter
    previous = replace(archived(3), kpi_actual={
        **archived(3).kpi_actual, "customer satisfaction (joint offering)": 60.0})
    review = score_review(replace(source, kpis=tuple(kpis)), *RULES, previous)
    why = {r.name: r.why for r in summary_of(review, Settings()).attention}
    assert why["Joint Revenue Growth"] == "No data (target 5%); Green in Q2 2025"
    assert why["Cost Synergy Realization"] == (
        "Set to Green by hand; the rules give Amber: $1.8M vs $2.0M target; Amber in Q2 2025")
    assert why["Customer Satisfaction (Joint Offering)"] == (
        "Green: +55 vs +50 target; down from +60 in Q2 2025")
    assert "SLA Adherence (new)" not in why  # Green and new: nothing to look at


def test_tiles_count_kpis_risks_decisions_and_actions():
    view = build_view(example_review(3, archived(2)), Settings(), GENERATED_AT)
    s = view.summary
    assert [(st.word, n) for st, n in view.status_counts] == [
        ("Green", 3), ("Amber", 2), ("Red", 1), ("No data", 0)]
    assert [(r.word, n) for r, n in s.risk_counts] == [
        ("Critical", 0), ("High", 3), ("Medium", 1), ("Low", 0)]
    assert s.agenda_counts == ((2, "decisions requested"), (0, "decisions overdue"),
                               (2, "actions open"),
                               (1, "action overdue"))  # one: singular
    assert (view.score_delta, s.change_note) == ("−5", "88 (Green) in Q2 2025")
    assert view.appendix_title == "Appendix: methodology and provenance"  # all on page one
    assert build_view(example_review(3), Settings(attention_limit=6),
                      GENERATED_AT).appendix_title == "Appendix B: methodology and provenance"
    calm = replace(example_input(3), decisions=(), actions=())
    view = build_view(score_review(calm, *RULES), Settings(), GENERATED_AT)
    assert view.summary.more == "" and view.appendix_title == (
        "Appendix: methodology and provenance")


def test_decisions_requested_earliest_first_taken_and_decided_before():
    source = example_input(3)
    extra = (Decision("D-04", "Later one", due=dt.date(2026, 3, 1)),
             Decision("D-05", "Overdue one", owner="CFO", due=dt.date(2025, 10, 1)),
             Decision("D-06", "Undated one"),
             Decision("D-00", "Settled long ago", state=DecisionState.DECIDED))
    previous = replace(archived(2), decision_state={"D-01": DecisionState.OPEN,
                                                       "D-00": DecisionState.DECIDED})
    review = score_review(replace(source, decisions=(*source.decisions, *extra)), *RULES,
                          previous)
    agenda = build_view(review, Settings(), GENERATED_AT).agenda
    assert [(d.id, d.due, d.overdue) for d in agenda.requested] == [
        ("D-05", "1 Oct 2025", "13 days overdue"), ("D-02", "31 Oct 2025", ""),
        ("D-03", "15 Nov 2025", ""), ("D-04", "1 Mar 2026", ""), ("D-06", "", "")]
    assert agenda.requested[1].recommendation == "Approve: four dedicated engineers for 12 months"
    assert agenda.requested[1].financial_impact == "$1.2M"
    assert [d.id for d in agenda.taken] == ["D-01"]
    assert [d.id for d in agenda.earlier] == ["D-00"]
    assert agenda.taken_title == "Decisions taken since last quarter"
    assert agenda.decisions_lead == (
        "5 decisions are requested of this meeting, 1 of them overdue (counted on 14 Oct 2025, "
        "the review date); 1 was taken since last quarter.")


def test_actions_with_overdue_flagged_and_counted_on_the_build_day_without_a_review_date():
    source = example_input(3)
    undated = replace(source, partnership=replace(source.partnership, review_date=None))
    review = score_review(undated, *RULES, today=dt.date(2025, 12, 1))
    agenda = build_view(review, Settings(), GENERATED_AT).agenda
    assert [(a.id, a.status, a.overdue) for a in agenda.actions] == [
        ("A-01", "Done", ""), ("A-02", "Open", "62 days overdue"),
        ("A-03", "Open", "3 days overdue")]
    assert agenda.actions_lead == ("2 of 3 actions are open; 2 are overdue (counted on 1 Dec "
                                   "2025, the day the pack was built).")
    assert agenda.taken_title == "Decisions taken"  # no earlier quarter archived


def test_json_has_the_headline_and_the_whole_list_with_ids():
    review = example_review(3, archived(2))
    summary = summary_of(review, Settings())
    document = json.loads(reviews_json([(review, summary)]))["reviews"][0]
    assert document["headline"] == list(summary.headline)
    assert len(document["exceptions"]) == 9  # the whole list, not the summary's seven
    assert document["exceptions"][:2] == [
        {"kind": "kpi", "id": "Joint Project Milestone Delivery",
         "name": "Joint Project Milestone Delivery",
         "reason": "Red: 88% vs 95% target; Green in Q2 2025"},
        {"kind": "action", "id": "A-02",
         "name": "Agree a succession plan for TechDrive's platform leadership",
         "reason": "due 30 Sep 2025, 14 days overdue; owner Marcus Lee"},
    ]
    assert document["decisions"][1] == {
        "id": "D-02", "decision": ("Fund a dedicated TechDrive delivery team in exchange for a "
                                   "larger revenue share on new features"),
        "owner": "Dana Whitfield", "due": "2025-10-31", "status": "Open",
        "recommendation": "Approve: four dedicated engineers for 12 months",
        "financial_impact": "$1.2M", "days_overdue": 0, "risks": []}
    assert document["actions"][1]["days_overdue"] == 14


def test_the_terminal_prints_the_headline_and_the_reasons():
    review = example_review(3)
    out = io.StringIO()
    print_scored(review, summary_of(review, Settings()), Console(file=out, width=200))
    text = out.getvalue()
    assert "  Overall health is 83 out of 100 (Amber); Q3 2025 is the first" in text
    assert "2. ACTION A-02 Agree a succession plan for TechDrive's platform leadership — due 30 " \
           "Sep 2025, 14 days overdue; owner Marcus Lee" in text


def test_a_previous_review_without_decisions_counts_every_decided_one_as_taken():
    previous = PreviousReview("2025-Q2", 88, Status.GREEN)  # archived before decisions were
    assert [d.id for d in example_review(3, previous).decisions_taken] == ["D-01"]


def test_last_quarters_actual_is_written_as_its_workbook_showed_it():
    previous = replace(archived(3), kpi_actual={**archived(3).kpi_actual,
                                                "customer satisfaction (joint offering)": 60.0},
                       kpi_measure={"customer satisfaction (joint offering)":
                                    Measure(60.0, decimals=1, plus=True)})
    why = {r.name: r.why for r in summary_of(example_review(3, previous), Settings()).attention}
    assert why["Customer Satisfaction (Joint Offering)"] == (
        "Green: +55 vs +50 target; down from +60.0 in Q2 2025")


def test_a_reason_names_the_owner_without_their_title():
    source = example_input(3)
    owners = (("D-07", "Dana Whitfield-Montgomery, SVP Innovation, FinCorp"),
              ("D-08", "Maximilian Alexander von Hohenzollern-Sigmaringen"),
              ("D-09", ", Treasury"))
    extra = tuple(Decision(id_, "Sign off", owner=owner, due=dt.date(2025, 10, 20))
                  for id_, owner in owners)
    review = score_review(replace(source, decisions=(*source.decisions, *extra)), *RULES)
    reasons = {r.ref: r.why for r in summary_of(review, Settings(attention_limit=8)).attention}
    assert reasons["D-07"] == "requested, due 20 Oct 2025; owner Dana Whitfield-Montgomery"
    assert reasons["D-08"] == "requested, due 20 Oct 2025; owner Maximilian Alexander von…"
    assert reasons["D-09"] == "requested, due 20 Oct 2025; owner , Treasury"


def test_digests_in_the_provenance_come_in_groups_of_sixteen():
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    facts = dict(view.provenance_facts)
    for label, whole in (("SHA-256", view.provenance.source_sha256),
                         ("Configuration digest", view.provenance.config_digest)):
        groups = facts[label].split(" ")
        assert [len(g) for g in groups] == [16] * 4 and "".join(groups) == whole


def test_items_that_would_read_alike_are_told_apart_by_their_distinguishing_words():
    """The issue's case: risk descriptions that open alike and shorten to the same line keep
    as many first words as leave room, then "…" and the words where they differ; alike in
    full, they stay alike (the Type column's IDs tell them apart)."""
    opening = ("Risk 3: The partner's regional integration team was reorganised in the summer and "
               "since then ")
    source = example_input(3)
    risks = (replace(source.risks[0], id="SR-31", description=opening + "two of its leads left"),
             replace(source.risks[1], id="SR-32", description=opening + "its budget was halved"),
             replace(source.risks[2], id="SR-33", description=opening + "its budget was halved"))
    summary = summary_of(score_review(replace(source, risks=risks), *RULES), Settings())
    briefs = {r.ref: r.brief for r in summary.attention if r.kind == "Risk"}
    assert briefs == {
        "SR-31": "Risk 3: The partner's regional integration … then two of its leads left",
        "SR-32": "Risk 3: The partner's regional integration … then its budget was halved",
        "SR-33": "Risk 3: The partner's regional integration … then its budget was halved"}
    assert all(r.name.startswith(opening) for r in summary.attention if r.kind == "Risk")
