"""The Decisions and Actions sheets (docs/workbook.md#decisions, #actions): read like the other
sheets, every problem located at its cell (duplicate IDs, bad dates, unknown statuses, blank
text), Financial Impact shown as the workbook formats it, and `init`'s example has both."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from reportgen.cli import main
from reportgen.domain.model import ActionState, DecisionState
from reportgen.errors import Severity
from reportgen.intake.validation import load
from workbooks import example_sheets, portfolio_sheets, write, write_example


def errors(path: Path) -> list[str]:
    return [str(p) for p in load(path).problems if p.severity is Severity.ERROR]


def test_the_example_reads_its_decisions_and_actions(tmp_path):
    (review,) = load(write_example(tmp_path / "ex.xlsx")).reviews
    assert [(d.id, d.state) for d in review.decisions] == [
        ("D-01", DecisionState.DECIDED), ("D-02", DecisionState.OPEN),
        ("D-03", DecisionState.OPEN)]
    d02 = review.decisions[1]
    assert d02.recommendation == "Approve: four dedicated engineers for 12 months"
    assert d02.financial_impact == "$1.2M"  # 1.2 in the format "$"0.0"M"
    assert review.decisions[2].financial_impact == "+2 pts revenue share"  # text as typed
    assert [(a.id, a.owner, a.due, a.state) for a in review.actions] == [
        ("A-01", "Joint PMO", dt.date(2025, 8, 15), ActionState.DONE),
        ("A-02", "Marcus Lee", dt.date(2025, 9, 30), ActionState.OPEN),
        ("A-03", "Partnership Finance Lead", dt.date(2025, 11, 28), ActionState.OPEN)]
    assert review.actions[1].source is not None and review.actions[1].source.row == 3


def test_init_writes_an_actions_sheet_in_both_example_workbooks(tmp_path):
    assert main(["init", str(tmp_path / "demo")]) == 0
    for quarter, count in ((2, 1), (3, 3)):
        loaded = load(tmp_path / "demo" / f"fincorp-techdrive-2025-Q{quarter}.xlsx")
        (review,) = loaded.reviews
        assert len(review.actions) == count
        assert not [p for p in loaded.problems if "Actions" in str(p)]  # read, not ignored


def test_every_problem_in_the_two_sheets_is_located(tmp_path):
    sheets = example_sheets()
    decisions, actions = sheets["Decisions"], sheets["Actions"]
    decisions[3][0] = "d-02"        # A4: the same ID as A3, in another case
    decisions[2][3] = "31/10/2025"  # D3: not a date
    decisions[1][4] = "Maybe"       # E2: unknown status
    actions[2][0] = "A-01"          # A3: A-01 again
    actions[3][4] = "Parked"        # E4: unknown status
    actions[1][1] = None            # B2: no action text
    assert errors(write(tmp_path / "agenda.xlsx", sheets)) == [
        "agenda.xlsx: Decisions!E2: unknown decision status 'Maybe'; use Open or Decided",
        "agenda.xlsx: Decisions!D3: '31/10/2025' is not a date; write it as 2025-10-14",
        "agenda.xlsx: Decisions!A4: decision ID 'd-02' is used twice: A3 and A4; IDs must be "
        "unique",
        "agenda.xlsx: Actions!B2: Action is required but blank",
        "agenda.xlsx: Actions!A3: action ID 'A-01' is used twice: A2 and A3; IDs must be unique",
        "agenda.xlsx: Actions!E4: unknown action status 'Parked'; use Open or Done",
    ]


def test_blank_ids_are_numbered_by_position_and_may_not_clash(tmp_path):
    sheets = example_sheets()
    sheets["Actions"] = [["Action", "Status"], ["First", "done"], ["Second", "In progress"],
                         ["Third", "Completed"]]
    (review,) = load(write(tmp_path / "numbered.xlsx", sheets)).reviews
    assert [(a.id, a.state) for a in review.actions] == [
        ("A-01", ActionState.DONE), ("A-02", ActionState.OPEN), ("A-03", ActionState.DONE)]
    sheets["Actions"] = [["ID", "Action"], ["A-02", "Typed"], [None, "Numbered A-02"]]
    assert errors(write(tmp_path / "clash.xlsx", sheets)) == [
        "clash.xlsx: Actions row 3: action ID 'A-02' is used twice: A2 and row 3; IDs must be "
        "unique"]


def test_the_actions_sheet_is_optional_and_needs_its_action_column(tmp_path):
    sheets = example_sheets()
    del sheets["Actions"]
    (review,) = load(write(tmp_path / "none.xlsx", sheets)).reviews
    assert review.actions == ()
    sheets["Actions"] = [["ID", "Task"], ["A-01", "Something"]]
    assert "missing.xlsx: Actions row 1: required column 'Action' is missing from the header " \
           "row" in errors(write(tmp_path / "missing.xlsx", sheets))


def test_a_portfolio_gives_each_partnership_its_own_actions(tmp_path):
    sheets = portfolio_sheets(["Alpha Venture", "Beta Co-Marketing"])
    sheets["Actions"].append(["Gamma", "A-09", "Unknown partnership", "x", None, "Open", ""])
    assert errors(write(tmp_path / "portfolio.xlsx", sheets, quarter_formats=None)) == [
        "portfolio.xlsx: Actions!A8: partnership 'Gamma' is not listed on the Partnerships sheet"]
    sheets["Actions"].pop()
    reviews = load(write(tmp_path / "portfolio.xlsx", sheets, quarter_formats=None)).reviews
    assert [[a.id for a in r.actions] for r in reviews] == [["A-01", "A-02", "A-03"]] * 2


def test_a_decisions_risk_column_names_the_risks_it_answers_checked_against_the_risks(tmp_path):
    sheets = example_sheets()
    decisions = sheets["Decisions"]
    width = len(decisions[0])
    decisions[0].append("Risk")
    decisions[1].append(None)
    decisions[2].append("sr-02; SR-03")  # I3: matched as names are, written as the Risks sheet
    decisions[3].append("SR-02, SR-99")  # I4: SR-99 is on no row of the Risks sheet
    path = write(tmp_path / "linked.xlsx", sheets)
    loaded = load(path)
    (review,) = loaded.reviews
    assert [d.risks for d in review.decisions] == [(), ("SR-02", "SR-03"), ("SR-02",)]
    column = chr(ord("A") + width)
    assert [str(p) for p in loaded.problems if p.severity is Severity.WARNING] == [
        f"linked.xlsx: Decisions!{column}4: warning: risk 'SR-99' is not a Risk ID on the Risks "
        "sheet; the decision is shown without it: write the ID as the Risks sheet does"]
    # a risk ID named in the decision's text or recommendation counts too, as a whole word
    d = review.decisions[0]
    assert replace(d, text="Fund the fix for SR-01 now").answers(["SR-01", "SR-0"]) == ("SR-01",)
    assert replace(d, recommendation="see sr-04").answers(["SR-04"]) == ("SR-04",)
    assert replace(d, text="SR-010 is another").answers(["SR-01"]) == ()
