"""The command line: init, validate, score; exit statuses 0/1/2; fast help."""

from __future__ import annotations

import email
import email.policy
import json
import subprocess
import sys

import pytest

from reportgen.cli import main
from workbooks import example_sheets, write


@pytest.fixture
def demo(tmp_path):
    assert main(["init", str(tmp_path / "demo")]) == 0
    return tmp_path / "demo"


def test_init_writes_both_quarters_and_settings(demo):
    assert sorted(p.name for p in demo.iterdir()) == [
        "fincorp-techdrive-2025-Q2.xlsx", "fincorp-techdrive-2025-Q3.xlsx", "reportgen.toml"]


def test_init_refuses_to_overwrite_without_force(demo, capsys):
    assert main(["init", str(demo)]) == 1
    assert "already exists; use --force" in capsys.readouterr().err
    assert main(["init", str(demo), "--force"]) == 0


def test_example_workbook_guides_its_user(demo):
    import openpyxl

    wb = openpyxl.load_workbook(demo / "fincorp-techdrive-2025-Q3.xlsx")
    assert "Instructions" in wb.sheetnames
    rules = {str(dv.sqref): dv for dv in wb["KPIs"].data_validations.dataValidation}
    assert rules["I2:I200"].formula1 == '"Green,Amber,Red"'
    assert rules["F2:F200"].formula1 == '"Higher is better,Lower is better"'
    scale = next(dv for dv in wb["Risks"].data_validations.dataValidation if dv.type == "whole")
    assert (scale.formula1, scale.formula2) == ("1", "5")
    governance = wb["Partnership"].data_validations.dataValidation[0]
    assert "Joint Steering Committee" in governance.formula1
    assert wb["KPIs"]["E2"].number_format == "0.0%"


def test_score_json_prints_the_seed_figures(demo, capsys):
    assert main(["score", str(demo / "fincorp-techdrive-2025-Q3.xlsx"), "--json"]) == 0
    (review,) = json.loads(capsys.readouterr().out)["reviews"]
    assert review["quarter"] == "2025-Q3"
    assert review["overall"] == {"score": 83, "status": "Amber"}
    assert [k["points"] for k in review["kpis"]] == [30, 15, 15, 5, 10, 8]
    assert review["kpis"][0] == {
        "category": "Financial Performance", "kpi": "Joint Revenue Growth", "metric": "% QoQ",
        "owner": "Head of Partner Sales", "target": 0.05, "actual": 0.062, "variance": 0.012,
        "direction": "higher", "status": "Green", "status_source": "computed", "weight": 0.3,
        "points": 30}  # no archive given: no "previous"
    assert [k["variance"] for k in review["kpis"]] == [0.012, -0.2, 0.0005, -0.07, 5, -0.5]
    assert [(r["id"], r["score"], r["rating"]) for r in review["risks"]] == [
        ("SR-02", 12, "High"), ("SR-03", 12, "High"), ("SR-01", 10, "High"),
        ("SR-04", 9, "Medium")]
    assert review["risks"][0]["status"] == "Open"
    assert {k: review["risks"][0][k] for k in ("owner", "due", "target_probability",
                                               "target_impact", "target_score")} == {
        "owner": "Executive Sponsor", "due": "2025-11-28", "target_probability": 2,
        "target_impact": 3, "target_score": 6}
    assert review["exceptions"][0] == {"kind": "kpi", "id": "Joint Project Milestone Delivery",
                                       "name": "Joint Project Milestone Delivery",
                                       "reason": "Red: 88% vs 95% target"}
    assert review["headline"][0].startswith("Overall health is 83 out of 100 (Amber); Q3 2025")


def test_score_table_on_the_terminal(demo, capsys):
    assert main(["score", str(demo / "fincorp-techdrive-2025-Q3.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "83 Amber" in out
    assert "Joint Project Milestone" in out


def test_score_of_a_bad_workbook_exits_1_and_names_the_cell(tmp_path, capsys):
    sheets = example_sheets()
    sheets["Risks"][1][4] = "high"
    path = write(tmp_path / "bad.xlsx", sheets)
    assert main(["score", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bad.xlsx: Risks!E2: Impact 'high' is not a number" in captured.err
    assert "1 error; nothing was written" in captured.err


def test_validate_clean_workbooks_exit_0(demo, capsys):
    files = sorted(str(p) for p in demo.glob("*.xlsx"))
    assert main(["validate", *files]) == 0
    assert "0 errors, 0 warnings in 2 workbooks" in capsys.readouterr().err


def test_strict_turns_warnings_into_failure(tmp_path, capsys):
    sheets = example_sheets()
    sheets["KPIs"][2][6] = None
    path = write(tmp_path / "warn.xlsx", sheets)
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--strict", str(path)]) == 1
    assert "warning: no Amber Threshold" in capsys.readouterr().out


def test_unreadable_file_is_one_line_and_exit_1(tmp_path, capsys):
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out.strip() == "notes.xlsx: is not an Excel workbook (.xlsx)"


def test_wrong_usage_exits_2(capsys):
    assert main(["validate"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["score", "x.xlsx", "--bogus"]) == 2


def test_bad_config_exits_1_naming_the_key(demo, tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text("[scoring]\namber = 2\n")
    code = main(["score", str(demo / "fincorp-techdrive-2025-Q3.xlsx"), "--config", str(config)])
    assert code == 1
    assert "scoring.amber" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"]])
def test_help_does_not_import_heavy_libraries(argv):
    script = ("import sys\nfrom reportgen.cli import main\ncode = main(sys.argv[1:])\n"
              "heavy = [m for m in ('weasyprint', 'pandas', 'matplotlib', 'docx') "
              "if m in sys.modules]\nprint('HEAVY', heavy)\n")
    done = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    assert "HEAVY []" in done.stdout
    assert "reportgen" in done.stdout


def test_validate_does_not_import_heavy_libraries(demo):
    script = ("import sys\nfrom reportgen.cli import main\nmain(sys.argv[1:])\n"
              "print('HEAVY', [m for m in ('weasyprint', 'pandas', 'matplotlib') "
              "if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", script, "validate",
                           str(demo / "fincorp-techdrive-2025-Q3.xlsx")],
                          capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stdout


def test_a_source_date_epoch_out_of_range_is_one_line(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    workbook = demo / "fincorp-techdrive-2025-Q3.xlsx"
    assert main(["build", str(workbook), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH=99999999999999999999: not a time reportgen can stamp" in err
    assert "Traceback" not in err


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_controls_in_a_name_never_leave_the_pack(tmp_path, capsys, monkeypatch):
    """Site pages, the e-mail subject and the terminal show the name without the controls that
    would reverse it ("Acme \u202eateB" reads "Acme Beta" backwards on screen)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    monkeypatch.delenv("REPORTGEN_ARCHIVE", raising=False)
    sheets = example_sheets()
    sheets["Partnership"][0][1] = "Acme \u202eateB\u202c \u2067Holdings\u2069"
    sheets["KPIs"][1][1] = "Revenue \u202dgrowth"
    path = write(tmp_path / "bidi.xlsx", sheets)
    out = tmp_path / "out"
    assert main(["build", str(path), "--out", str(out), "--format", "pdf", "--site"]) == 0
    assert main(["history", "acme", "--out", str(out)]) == 0
    monkeypatch.setenv("REPORTGEN_SMTP_FROM", "qbr@example.com")
    [pack] = out.glob("*/2025-Q3/r1")
    assert main(["send", str(pack), "--dry-run"]) == 0
    printed = capsys.readouterr()
    assert "Acme ateB Holdings" in printed.out + printed.err
    assert not set(BIDI) & set(printed.out + printed.err)
    pages = list((out / "site").rglob("*.html"))
    assert pages and all(not set(BIDI) & set(p.read_text()) for p in pages)
    assert any("Acme ateB Holdings" in p.read_text() for p in pages)
    messages = list(pack.glob("outbox/*.eml"))
    assert messages
    for message in messages:
        parsed = email.message_from_bytes(message.read_bytes(), policy=email.policy.default)
        assert "Acme ateB Holdings" in parsed["Subject"]
        assert not set(BIDI) & set(parsed["Subject"])


def test_only_the_program_itself_freezes_its_objects_before_exiting(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Run as the program (no argv), `main` freezes the process's objects out of the collector
    for a quick exit; called with arguments (a test, a library) it leaves the collector be."""
    import gc

    before = gc.get_freeze_count()
    assert main(["--version"]) == 0 and gc.get_freeze_count() == before
    monkeypatch.setattr(sys, "argv", ["reportgen", "--version"])
    try:
        assert main() == 0
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
    assert "reportgen, version" in capsys.readouterr().out
