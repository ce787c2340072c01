"""The command line around the archive: `archive import`, `history` and `send`, run through
`main()` as a user runs them, with their output and exit statuses."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
from pathlib import Path

import pytest

from reportgen.cli import main
from workbooks import write_example

SLUG = "fincorp-techdrive-wealth-platform"


@pytest.fixture
def workbooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    for name in ("REPORTGEN_ARCHIVE", "REPORTGEN_SMTP_HOST", "REPORTGEN_SMTP_FROM"):
        monkeypatch.delenv(name, raising=False)
    return [write_example(tmp_path / f"fincorp-techdrive-2025-Q{q}.xlsx", quarter=q)
            for q in (2, 3)]


def test_archive_import_records_quarters_without_rendering(workbooks, tmp_path, capsys):
    out = tmp_path / "outputs"
    assert main(["archive", "import", *map(str, workbooks), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "2 imported, 0 unchanged, 0 failed" in err
    assert not list(out.glob(f"{SLUG}/*/r*/*.pdf"))  # nothing rendered
    assert main(["archive", "import", *map(str, workbooks), "--out", str(out)]) == 0
    assert "0 imported, 2 unchanged, 0 failed" in capsys.readouterr().err


def test_archive_import_of_a_bad_workbook_exits_1(workbooks, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main(["archive", "import", str(bad), "--out", str(tmp_path / "outputs")]) == 1
    assert "bad.xlsx: is not an Excel workbook (.xlsx)" in capsys.readouterr().err
    assert not (tmp_path / "outputs").exists()


def test_history_as_table_json_and_csv(workbooks, tmp_path, capsys):
    out = tmp_path / "outputs"
    assert main(["archive", "import", *map(str, workbooks), "--out", str(out)]) == 0
    capsys.readouterr()

    assert main(["history", "fincorp", "--out", str(out)]) == 0
    table = capsys.readouterr().out
    assert "FinCorp–TechDrive Wealth Platform" in table
    assert "Q2 2025" in table and "88" in table and "Green" in table
    assert "Q3 2025" in table and "83" in table and "Amber" in table

    assert main(["history", "FINCORP", "--json", "--out", str(out)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["partnership"] == "FinCorp–TechDrive Wealth Platform"
    assert [(r["quarter"], r["revision"], r["score"], r["status"])
            for r in document["reviews"]] == [("2025-Q2", 1, 88, "Green"),
                                              ("2025-Q3", 1, 83, "Amber")]

    assert main(["history", "techdrive", "--csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["quarter"], r["score"]) for r in rows] == [("2025-Q2", "88"), ("2025-Q3", "83")]


def test_history_without_an_archive_says_how_to_get_one(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["history", "fincorp", "--out", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "no archive here yet" in err and "--archive" in err
    assert not (tmp_path / "nowhere").exists()  # reading never creates an archive


def test_history_of_an_unknown_partnership_exits_1(workbooks, tmp_path, capsys):
    out = tmp_path / "outputs"
    assert main(["archive", "import", str(workbooks[0]), "--out", str(out)]) == 0
    assert main(["history", "nobody", "--out", str(out)]) == 1
    assert "no archived partnership matches 'nobody'" in capsys.readouterr().err


def test_history_json_and_csv_together_is_a_usage_error(capsys):
    assert main(["history", "x", "--json", "--csv"]) == 2
    assert "choose one of --json and --csv" in capsys.readouterr().err


def test_send_dry_run_writes_one_message_per_recipient(workbooks, tmp_path, capsys,
                                                         monkeypatch):
    out = tmp_path / "outputs"
    assert main(["build", str(workbooks[1]), "--out", str(out), "--format", "pdf"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("REPORTGEN_SMTP_FROM", "QBR Office <qbr@fincorp.example>")
    quarter = out / SLUG / "2025-Q3"
    assert main(["send", str(quarter), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].endswith("dry run: 3 message(s) written, nothing sent")
    written = sorted((quarter / "r1" / "outbox").glob("*.eml"))
    assert len(written) == 3
    message = email.message_from_bytes(written[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("QBR pack: FinCorp–TechDrive Wealth Platform, Q3 2025")
    assert [part.get_filename() for part in message.iter_attachments()] == [
        f"{SLUG}-2025-Q3-qbr.pdf"]


def test_send_without_a_sender_exits_1_and_sends_nothing(workbooks, tmp_path, capsys):
    out = tmp_path / "outputs"
    assert main(["build", str(workbooks[1]), "--out", str(out), "--format", "pdf"]) == 0
    capsys.readouterr()
    assert main(["send", str(out / SLUG / "2025-Q3"), "--dry-run"]) == 1
    assert "no sender: set smtp.sender" in capsys.readouterr().err


def test_send_a_bad_to_address_exits_1_and_names_it(workbooks, tmp_path, capsys, monkeypatch):
    out = tmp_path / "outputs"
    assert main(["build", str(workbooks[1]), "--out", str(out), "--format", "pdf"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("REPORTGEN_SMTP_FROM", "qbr@fincorp.example")
    assert main(["send", str(out / SLUG / "2025-Q3"), "--to", "not an address"]) == 1
    err = capsys.readouterr().err
    assert "--to: 'not an address' is not an address" in err
    assert "nothing was sent" in err


def test_send_of_something_that_is_not_a_pack_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REPORTGEN_SMTP_FROM", "qbr@fincorp.example")
    assert main(["send", str(tmp_path)]) == 1
    assert "no pack here" in capsys.readouterr().err


def test_score_with_an_archive_compares_with_the_previous_quarter(workbooks, tmp_path, capsys):
    out = tmp_path / "outputs"
    assert main(["archive", "import", str(workbooks[0]), "--out", str(out)]) == 0
    capsys.readouterr()
    url = f"sqlite:///{out / 'archive.sqlite'}"
    assert main(["score", str(workbooks[1]), "--archive", url]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith("overall 83 Amber (−5 since Q2 2025)")
    assert main(["score", str(workbooks[1])]) == 0  # without it: scored on its own
    assert capsys.readouterr().out.splitlines()[0].endswith("overall 83 Amber")
    assert main(["history", "fincorp", "--json", "--out", str(out)]) == 0
    assert len(json.loads(capsys.readouterr().out)["reviews"]) == 1  # score recorded nothing


def test_score_json_with_an_archive_gives_each_kpis_previous_quarter(workbooks, tmp_path,
                                                                     capsys):
    out = tmp_path / "outputs"
    url = f"sqlite:///{out / 'archive.sqlite'}"
    assert main(["score", str(workbooks[1]), "--json", "--archive", url]) == 0
    (alone,) = json.loads(capsys.readouterr().out)["reviews"]
    assert [k["previous"] for k in alone["kpis"]] == [None] * 6  # asked, but nothing archived
    assert main(["archive", "import", str(workbooks[0]), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["score", str(workbooks[1]), "--json", "--archive", url]) == 0
    (review,) = json.loads(capsys.readouterr().out)["reviews"]
    assert review["kpis"][0]["previous"] == {"quarter": "2025-Q2", "actual": 0.046,
                                             "status": "Amber"}
    assert [k["previous"]["actual"] for k in review["kpis"]] == [0.046, 1.6, 0.9992, 0.96, 52,
                                                                4.5]
    assert review["kpis"][0]["owner"] == "Head of Partner Sales"
    assert review["kpis"][3]["variance"] == -0.07  # 88% against 95%: 7 points short
