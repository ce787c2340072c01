"""Validation (docs/workbook.md#validation): every problem reported at once, each with its
sheet and cell."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from reportgen.domain.model import Direction, GovernanceModel, Quarter, Status
from reportgen.errors import Severity
from reportgen.intake.validation import load
from workbooks import example_sheets, portfolio_sheets, write, write_example


def messages(path: Path, severity: Severity = Severity.ERROR) -> list[str]:
    return [str(p) for p in load(path).problems if p.severity is severity]


def test_example_workbook_reads_cleanly(tmp_path):
    loaded = load(write_example(tmp_path / "ex.xlsx"))
    assert loaded.ok
    (review,) = loaded.reviews
    p = review.partnership
    assert p.quarter == Quarter(2025, 3)
    assert p.governance_model is GovernanceModel.STEERING
    assert p.review_date == dt.date(2025, 10, 14)
    assert [r.address for r in p.distribution] == [
        "marcus.lee@techdrive.example", "elena.ortiz@techdrive.example",
        "dana.whitfield@fincorp.example"]
    assert [k.category for k in review.kpis] == [
        "Financial Performance", "Financial Performance", "Operational Stability",
        "Operational Stability", "Strategic Alignment", "Relationship Health"]
    assert review.kpis[0].target.value == 0.05 and review.kpis[0].target.percent
    assert len(review.risks) == 4 and len(review.decisions) == 3
    assert len(review.source_sha256) == 64


def test_ten_problems_in_one_run(tmp_path):
    sheets = example_sheets()
    part = dict((k, i) for i, (k, _) in enumerate(sheets["Partnership"]))
    sheets["Partnership"][part["Quarter"]][1] = "Q5 2025"                      # 1 quarter
    sheets["Partnership"][part["Governance Model"]][1] = "Committee of one"     # 2 governance
    sheets["Partnership"][part["Distribution"]][1] = "Marcus <marcus@@x>; ok@example.com"  # 3
    kpis = sheets["KPIs"]
    kpis[1][3] = "five"                                                        # 4 D2 not a number
    kpis[2][5] = "sideways"                                                    # 5 F3 direction
    kpis[3][8] = "Purple"                                                      # 6 I4 status
    kpis[4][6] = 0.99                                                          # 7 G5 amber above
    kpis[6][7] = 0.05                                                          # 8 H7 weights 95%
    risks = sheets["Risks"]
    risks[2][3] = 7                                                            # 9 D3 probability
    risks[4][0] = "SR-01"                                                      # 10 A5 duplicate
    path = write(tmp_path / "bad.xlsx", sheets)
    errors = messages(path)
    expected = [
        "bad.xlsx: Partnership!B3: 'Q5 2025' is not a quarter",
        "bad.xlsx: Partnership!B7: unknown governance model 'Committee of one'",
        "bad.xlsx: Partnership!B10: 'Marcus <marcus@@x>' is not a valid e-mail address",
        "bad.xlsx: KPIs!D2: Target 'five' is not a number",
        "bad.xlsx: KPIs!F3: unknown direction 'sideways'",
        "bad.xlsx: KPIs!I4: unknown status 'Purple'",
        "bad.xlsx: KPIs!G5: Amber Threshold 99% is above the Target 95%",
        "bad.xlsx: KPIs!H2:H7: weights add up to 95%, not 100%",
        "bad.xlsx: Risks!D3: Probability must be a whole number from 1 to 5, not 7",
        "bad.xlsx: Risks!A5: risk ID 'SR-01' is used twice: A2 and A5",
    ]
    for line in expected:
        assert any(e.startswith(line) for e in errors), (line, errors)
    assert len(errors) == 10, errors


def test_validate_command_reports_all_ten_and_exits_1(tmp_path, capsys):
    from reportgen.cli import main

    sheets = example_sheets()
    sheets["KPIs"][1][3] = "five"
    sheets["Risks"][2][3] = 0
    path = write(tmp_path / "bad.xlsx", sheets)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "bad.xlsx: KPIs!D2: Target 'five' is not a number" in out
    assert "bad.xlsx: Risks!D3: Probability must be a whole number from 1 to 5, not 0" in out


@pytest.mark.parametrize(("text", "year", "number"), [
    ("2025-Q3", 2025, 3), ("Q3 2025", 2025, 3), ("Q3-2025", 2025, 3), ("2025Q3", 2025, 3),
    (" q1 2026 ", 2026, 1),
])
def test_quarter_forms(tmp_path, text, year, number):
    sheets = example_sheets()
    sheets["Partnership"][2][1] = text
    (review,) = load(write(tmp_path / "q.xlsx", sheets)).reviews
    assert review.partnership.quarter == Quarter(year, number)
    assert review.partnership.quarter.label == f"Q{number} {year}"


def test_headers_and_keys_ignore_case_spaces_and_order(tmp_path):
    sheets = example_sheets()
    sheets["Partnership"] = [[f"  {k.upper()} ", v] for k, v in sheets["Partnership"]]
    header, *rows = sheets["KPIs"]
    order = list(reversed(range(len(header))))
    sheets["KPIs"] = [[f" {header[i].lower()}" for i in order]] + [[r[i] for i in order]
                                                                     for r in rows]
    sheets["Risks"][0][1] = "description"
    sheets["Risks"][0][5] = "Mitigation"
    loaded = load(write(tmp_path / "h.xlsx", sheets, quarter_formats=None))
    assert loaded.ok, loaded.problems
    assert loaded.reviews[0].kpis[3].name == "Joint Project Milestone Delivery"
    assert loaded.reviews[0].risks[0].mitigation.startswith("Maintain strong")


def test_numbers_typed_as_text_are_parsed(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][3:5] = ["5%", "6.2%"]
    sheets["KPIs"][1][6] = "4 %"
    sheets["KPIs"][2][3:5] = ["$2.0M", "$1.8M"]
    sheets["KPIs"][2][6] = "$1.5M"
    sheets["KPIs"][3][3:5] = ["99.9%", "99.95 %"]
    sheets["KPIs"][3][6] = "99.5%"
    sheets["KPIs"][5][3:5] = ["+50", "+55"]
    sheets["KPIs"][5][6] = "+45"
    sheets["KPIs"][1][7] = "30%"
    sheets["KPIs"][2][7] = 20
    (review,) = load(write(tmp_path / "t.xlsx", sheets, quarter_formats=None)).reviews
    k = review.kpis
    assert (k[0].target.value, k[0].actual.value, k[0].amber_threshold.value) == (0.05, 0.062, 0.04)
    assert (k[1].target.value, k[1].target.prefix, k[1].target.suffix) == (2.0, "$", "M")
    assert k[2].actual.value == 0.9995
    assert k[4].actual.value == 55 and k[4].actual.plus
    assert [float(x.weight) for x in k] == [0.3, 0.2, 0.15, 0.15, 0.1, 0.1]


def test_mixing_fractions_and_whole_percents_in_a_row_is_an_error(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][4] = 6.2  # E2 plain; D2 and G2 are percentage cells

    def plain(wb):
        wb["KPIs"]["E2"].number_format = "General"

    errors = messages(write(tmp_path / "m.xlsx", sheets, tweak=plain))
    assert errors == ["m.xlsx: KPIs!E2: Actual is a plain number but Target and Amber Threshold "
                      "are percentages (Target 5%, Actual 6.2, Amber Threshold 4%); write them "
                      "all as percentages or all as plain numbers"]


def test_category_continues_from_the_row_above_and_first_blank_is_an_error(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][0] = None
    errors = messages(write(tmp_path / "c.xlsx", sheets))
    assert errors == ["c.xlsx: KPIs!A2: Category is blank and there is no category above it"]


def test_merged_category_cells_continue(tmp_path):
    sheets = example_sheets()

    def merge(wb):
        wb["KPIs"].merge_cells("A2:A3")

    (review,) = load(write(tmp_path / "merged.xlsx", sheets, tweak=merge)).reviews
    assert review.kpis[1].category == "Financial Performance"


def test_missing_sheets_columns_and_keys(tmp_path):
    sheets = example_sheets()
    del sheets["Risks"]
    sheets["KPIs"][0][7] = "Share"
    sheets["Partnership"] = [row for row in sheets["Partnership"] if row[0] != "Partner"]
    errors = messages(write(tmp_path / "x.xlsx", sheets))
    assert "x.xlsx: no 'Risks' sheet" in errors
    assert "x.xlsx: KPIs row 1: required column 'Weight' is missing from the header row" in errors
    assert any(e.startswith("x.xlsx: Partnership: required key 'Partner' is missing")
               for e in errors)


def test_required_cells_blank(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][2][1] = None
    sheets["KPIs"][2][3] = None
    sheets["Risks"][1][1] = "  "
    errors = messages(write(tmp_path / "b.xlsx", sheets))
    assert "b.xlsx: KPIs!B3: KPI is required but blank" in errors
    assert "b.xlsx: KPIs!D3: Target is required but blank" in errors
    assert "b.xlsx: Risks!B2: Risk is required but blank" in errors


def test_error_cells_and_formulas_without_saved_values(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][4] = "=1/0"  # openpyxl writes a formula with no cached value

    def error_cell(wb):
        cell = wb["KPIs"]["E3"]
        cell.value = "#DIV/0!"
        cell.data_type = "e"

    errors = messages(write(tmp_path / "f.xlsx", sheets, tweak=error_cell))
    assert "f.xlsx: KPIs!E2: formula has no saved value (the file was written by a program, " \
           "not Excel); open and save the file in Excel" in errors
    assert "f.xlsx: KPIs!E3: cell holds the error #DIV/0!; fix the formula or type the value" \
        in errors


@pytest.mark.parametrize("key", ["Distribution", "Review Date", "Governance Model", "Partner"])
def test_an_unsaved_formula_in_any_partnership_key_is_reported(tmp_path, key):
    sheets = example_sheets()
    row = [k for k, _ in sheets["Partnership"]].index(key)
    sheets["Partnership"][row][1] = '=CONCAT("a", "b")'
    errors = messages(write(tmp_path / "k.xlsx", sheets))
    assert errors == [f"k.xlsx: Partnership!B{row + 1}: formula has no saved value (the file was "
                      "written by a program, not Excel); open and save the file in Excel"]


def test_blank_actual_is_no_data_not_an_error(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][4] = None
    loaded = load(write(tmp_path / "n.xlsx", sheets))
    assert loaded.ok
    assert loaded.reviews[0].kpis[0].actual is None


def test_directions_overrides_and_warnings(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][5] = "down"
    sheets["KPIs"][1][6] = 0.07  # lower is better: threshold above target is right
    sheets["KPIs"][2][8] = "g"
    sheets["KPIs"][3][6] = None
    path = write(tmp_path / "d.xlsx", sheets)
    loaded = load(path)
    assert loaded.ok, loaded.problems
    k = loaded.reviews[0].kpis
    assert k[0].direction is Direction.LOWER
    assert k[1].override is Status.GREEN
    warnings = messages(path, Severity.WARNING)
    assert warnings == ["d.xlsx: KPIs!G4: warning: no Amber Threshold for 'Service Level "
                        "Agreement (SLA) Adherence': it can only be Green or Red"]


def test_amber_threshold_wrong_side_for_lower_is_better(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][1][5] = "Lower is better"
    errors = messages(write(tmp_path / "l.xlsx", sheets))
    assert errors == ["l.xlsx: KPIs!G2: Amber Threshold 4% is below the Target 5%; when lower "
                      "is better the threshold is the worst value that still counts as Amber"]


def test_extra_columns_sheets_and_hidden_sheets_are_reported(tmp_path):
    sheets = example_sheets()
    sheets["KPIs"][0].append("Notes to self")
    sheets["Scratch"] = [["x"]]

    def hide(wb):
        wb["Decisions"].sheet_state = "hidden"

    path = write(tmp_path / "e.xlsx", sheets, tweak=hide)
    info = messages(path, Severity.INFO)
    assert "e.xlsx: KPIs!L1: info: column 'Notes to self' is not used by reportgen" in info
    assert "e.xlsx: info: sheet 'Scratch' is not used by reportgen" in info
    assert messages(path, Severity.WARNING) == [
        "e.xlsx: Decisions: warning: sheet 'Decisions' is hidden but is read; unhide it to "
        "check what goes into the pack"]


def test_a_missing_optional_column_never_reads_a_cell_further_right(tmp_path):
    """Without Amber Threshold and Status columns, an unknown column to the right of the
    known ones must not stand in for them."""
    sheets = example_sheets()
    header = sheets["KPIs"][0]
    drop = [header.index("Amber Threshold"), header.index("Status")]
    sheets["KPIs"] = [[v for i, v in enumerate(row) if i not in drop] + [extra]
                      for row, extra in zip(sheets["KPIs"], ["Scratch", *["Red"] * 6],
                                            strict=True)]
    path = write(tmp_path / "x.xlsx", sheets, quarter_formats=None)
    loaded = load(path)
    assert loaded.ok, loaded.problems
    kpis = loaded.reviews[0].kpis
    assert all(k.amber_threshold is None and k.override is None for k in kpis)
    assert len(messages(path, Severity.WARNING)) == 6  # "no Amber Threshold" for each KPI


def test_dates_must_be_dates(tmp_path):
    sheets = example_sheets()
    sheets["Partnership"][7][1] = 45000
    sheets["Partnership"][8][1] = "14 October 2025"
    sheets["Decisions"][1][3] = "soon"
    errors = messages(write(tmp_path / "dt.xlsx", sheets))
    assert errors == [
        "dt.xlsx: Partnership!B8: 45000 is a number, not a date; format the cell as a date",
        "dt.xlsx: Decisions!D2: 'soon' is not a date; write it as 2025-10-14",
    ]


def test_header_injection_in_distribution_is_refused(tmp_path):
    sheets = example_sheets()
    sheets["Partnership"][9][1] = "Eve <eve@example.com>\nBcc: all@example.com"
    errors = messages(write(tmp_path / "inj.xlsx", sheets))
    assert errors == ["inj.xlsx: Partnership!B10: 'Bcc: all@example.com' is not a valid e-mail "
                      "address; write Name <name@example.com> or name@example.com"]


def test_portfolio_workbook_gives_one_review_per_partnership_in_order(tmp_path):
    names = ["Gamma Alliance", "Alpha Venture", "Beta Co-Marketing"]
    loaded = load(write(tmp_path / "p.xlsx", portfolio_sheets(names), quarter_formats=None))
    assert loaded.ok, loaded.problems
    assert [r.partnership.name for r in loaded.reviews] == names
    assert all(len(r.kpis) == 6 and len(r.risks) == 4 for r in loaded.reviews)


def test_portfolio_rows_must_name_a_listed_partnership(tmp_path):
    sheets = portfolio_sheets(["Alpha"])
    sheets["KPIs"][2][0] = "Omega"
    sheets["Risks"][1][0] = None
    errors = messages(write(tmp_path / "p.xlsx", sheets, quarter_formats=None))
    assert "p.xlsx: KPIs!A3: partnership 'Omega' is not listed on the Partnerships sheet" in errors
    assert any(e.startswith("p.xlsx: Risks!A2: the Partnership cell is blank") for e in errors)


def test_problems_of_one_kind_are_capped_with_one_line_for_the_rest(tmp_path):
    from reportgen.intake.cells import MAX_PER_KIND

    sheets = example_sheets()
    header, first, *_ = sheets["KPIs"]
    sheets["KPIs"] = [header] + [[*first[:2], None, *first[3:]] for _ in range(MAX_PER_KIND + 30)]
    for n, row in enumerate(sheets["KPIs"][1:]):
        row[1] = f"KPI {n}"
    loaded = load(write(tmp_path / "many.xlsx", sheets, quarter_formats=None))
    metric = [str(p) for p in loaded.problems if "Metric" in p.message or "more like" in p.message]
    last = MAX_PER_KIND + 1
    assert metric[:2] == ["many.xlsx: KPIs!C2: Metric is required but blank",
                          "many.xlsx: KPIs!C3: Metric is required but blank"]
    assert metric[MAX_PER_KIND - 1] == f"many.xlsx: KPIs!C{last}: Metric is required but blank"
    assert metric[MAX_PER_KIND:] == [f"many.xlsx: KPIs!C{last + 1}:C{last + 30}: … and 30 more "
                                     "like this"]
    lines = [str(p) for p in loaded.problems]  # the count follows the last reported in full
    assert lines[lines.index(metric[MAX_PER_KIND - 1]) + 1] == metric[MAX_PER_KIND]
    weights = [str(p) for p in loaded.problems if "weights" in p.message]
    assert len(weights) == 1  # another kind, reported in full
    assert sum(p.severity is Severity.ERROR for p in loaded.problems) < 2 * MAX_PER_KIND + 5


def hide(rows: tuple[int, ...], columns: tuple[str, ...]):
    def tweak(book):
        for number in rows:
            book["KPIs"].row_dimensions[number].hidden = True
        for letter in columns:
            book["KPIs"].column_dimensions[letter].hidden = True
    return tweak


def test_hidden_rows_and_columns_that_hold_data_are_warned_of(tmp_path):
    """Like a hidden sheet: what they hold goes into the pack, unseen in Excel (threats B9)."""
    path = write(tmp_path / "hid.xlsx", example_sheets(), tweak=hide((3, 5, 40), ("K", "Z")))
    loaded = load(path)
    assert loaded.ok and not loaded.fails() and loaded.fails(strict=True)
    assert messages(path, Severity.WARNING)[-2:] == [
        "hid.xlsx: KPIs: warning: rows 3, 5 are hidden but are read; unhide them to check what "
        "goes into the pack",  # row 40 and column Z are hidden but empty: nothing is read
        "hid.xlsx: KPIs: warning: column K is hidden but is read; unhide it to check what goes "
        "into the pack"]


def test_hidden_rows_and_columns_are_found_by_both_readers(tmp_path, monkeypatch):
    from reportgen.intake import scanner

    path = write(tmp_path / "hid.xlsx", example_sheets(), tweak=hide((2, 4), ("B",)))
    plain = scanner.read_workbook(path, ["KPIs"]).sheet("KPIs")
    with zipfile.ZipFile(path) as z:  # a comment sends the sheet to lxml
        part = z.read("xl/worksheets/sheet2.xml").replace(b"<sheetData>",
                                                           b"<!-- x --><sheetData>")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "lx.xlsx", "w") as target:
        for item in source.infolist():
            target.writestr(item, part if item.filename == "xl/worksheets/sheet2.xml"
                            else source.read(item.filename))
    walked = scanner.read_workbook(tmp_path / "lx.xlsx", ["KPIs"]).sheet("KPIs")
    monkeypatch.setattr(scanner, "WHOLE_PARSE_LIMIT", 0)  # lxml streams the sheet
    streamed = scanner.read_workbook(tmp_path / "lx.xlsx", ["KPIs"]).sheet("KPIs")
    for sheet in (plain, walked, streamed):
        assert (sheet.hidden_rows, sheet.hidden_columns) == ({2, 4}, {2})


# --- the risk register's optional columns ---------------------------------------------------

def test_risk_due_dates_and_targets_are_read(tmp_path):
    (review,) = load(write_example(tmp_path / "ex.xlsx")).reviews
    first = review.risks[0]
    assert (first.id, first.due, first.target_probability, first.target_impact) == (
        "SR-01", dt.date(2025, 12, 31), 1, 5)
    assert first.target_score == 5


def test_risks_without_the_optional_columns_read_as_before(tmp_path):
    sheets = example_sheets()
    sheets["Risks"] = [row[:8] for row in sheets["Risks"]]  # no Due, no targets
    loaded = load(write(tmp_path / "old.xlsx", sheets))
    assert loaded.ok
    assert {(r.due, r.target_score) for r in loaded.reviews[0].risks} == {(None, None)}


def test_risk_column_aliases(tmp_path):
    sheets = example_sheets()
    sheets["Risks"][0][8:11] = ["Mitigation Due", "Target Probability (1-5)",
                                "target impact (1-5)"]
    (review,) = load(write(tmp_path / "aliases.xlsx", sheets)).reviews
    assert review.risks[1].due == dt.date(2025, 11, 28) and review.risks[1].target_score == 6


def test_bad_risk_register_cells_are_located(tmp_path):
    sheets = example_sheets()
    risks = sheets["Risks"]
    risks[1][10] = None          # K2: a target probability without a target impact
    risks[2][9] = 6              # J3: not 1–5
    risks[3][9] = 2.5            # J4: not whole
    risks[4][8] = "next spring"  # I5: not a date
    errors = messages(write(tmp_path / "bad.xlsx", sheets))
    assert errors == [
        "bad.xlsx: Risks!K2: Target Probability is given but Target Impact is blank; give both "
        "(the target score is Target Probability × Target Impact) or neither",
        "bad.xlsx: Risks!J3: Target Probability must be a whole number from 1 to 5, not 6",
        "bad.xlsx: Risks!J4: Target Probability must be a whole number from 1 to 5, not 2.5",
        "bad.xlsx: Risks!I5: 'next spring' is not a date; write it as 2025-10-14",
    ]


def test_a_target_above_the_current_score_is_a_warning(tmp_path):
    sheets = example_sheets()
    sheets["Risks"][4][9:11] = [4, 4]  # SR-04 is 3 × 3 = 9; a target of 16
    path = write(tmp_path / "odd.xlsx", sheets)
    assert load(path).ok
    assert messages(path, Severity.WARNING) == [
        "odd.xlsx: Risks!J5: warning: the target score 16 (Target Probability 4 × Target Impact "
        "4) is above the current score 9; the target is where the mitigation should bring the "
        "risk"]
