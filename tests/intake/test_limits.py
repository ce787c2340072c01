"""What `validate` passes, the later steps can finish (docs/workbook.md#limits): names that fit
the Word pack's properties, quarters and dates in years 1900–2999, addresses a mail server
takes. Each was found passing `validate` and then crashing `build` or `send`."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from reportgen.cli import main
from reportgen.domain.addresses import MAX_ADDRESS, parse_recipient
from reportgen.errors import Severity
from reportgen.intake.schema import MAX_FILE_NAME, PACK_ROWS, PACK_TEXT, TEXT_LIMITS
from reportgen.intake.validation import load
from workbooks import example_sheets, write


def with_keys(tmp_path: Path, name: str = "wb.xlsx", **keys: object) -> Path:
    sheets = example_sheets()
    for row in sheets["Partnership"]:
        if row[0] in keys:
            row[1] = keys[row[0]]
    return write(tmp_path / name, sheets)


def errors(path: Path) -> list[str]:
    return [str(p) for p in load(path).problems if p.severity is Severity.ERROR]


LONGEST_ADDRESS = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + ".ddd.com"


def test_values_at_the_limits_build_and_send(tmp_path, capsys, monkeypatch):
    """The longest names, file name and address `validate` passes: the Word pack holds them in
    its properties, and a dry-run send writes the message for that address."""
    assert len(LONGEST_ADDRESS) == MAX_ADDRESS
    longest = {key: (key[0] + "x" * 200)[:limit] for key, limit in TEXT_LIMITS.items()}
    path = with_keys(tmp_path, "w" * (MAX_FILE_NAME - 5) + ".xlsx", **longest,
                     Distribution=f"Ann <{LONGEST_ADDRESS}>", Quarter="2999-Q4")
    assert errors(path) == []
    out = tmp_path / "out"
    assert main(["build", str(path), "--out", str(out), "-j", "1"]) == 0, capsys.readouterr()
    [pack] = out.rglob("*.docx")
    props = docx.Document(str(pack)).core_properties
    assert longest["Partnership"] in props.title
    assert longest["Partner"] in props.keywords
    assert props.content_status == longest["Confidentiality"]
    monkeypatch.setenv("REPORTGEN_SMTP_FROM", "qbr@example.com")
    monkeypatch.setenv("REPORTGEN_SMTP_HOST", "localhost")
    assert main(["send", str(pack.parent), "--dry-run"]) == 0, capsys.readouterr()
    assert [p.name for p in pack.parent.glob("outbox/*.eml")] == [f"{LONGEST_ADDRESS}.eml"]


def test_an_address_over_the_limit_is_refused():
    with pytest.raises(ValueError, match=f"it is 254 characters long; reportgen takes at most "
                                         f"{MAX_ADDRESS}"):
        parse_recipient("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com")


@pytest.mark.parametrize("key", sorted(TEXT_LIMITS))
def test_a_name_over_its_limit_is_refused_at_its_cell(tmp_path, key):
    path = with_keys(tmp_path, **{key: "y" * (TEXT_LIMITS[key] + 1)})
    [error] = errors(path)
    assert error.startswith("wb.xlsx: Partnership!B")
    assert error.endswith(f"'{key}' is {TEXT_LIMITS[key] + 1} characters long; at most "
                          f"{TEXT_LIMITS[key]} fit the pack's title and the Word file's "
                          "properties")


def test_a_long_file_name_is_refused(tmp_path):
    name = "n" * (MAX_FILE_NAME + 1 - 5) + ".xlsx"
    assert errors(with_keys(tmp_path, name)) == [
        f"{name}: the file name is {MAX_FILE_NAME + 1} characters long; at most "
        f"{MAX_FILE_NAME} fit the Word file's properties: rename the file"]


@pytest.mark.parametrize("quarter", ["0000-Q3", "0001-Q1", "1899-Q4", "3000-Q1", "Q2 9999"])
def test_quarters_outside_1900_to_2999_are_refused(tmp_path, quarter):
    assert errors(with_keys(tmp_path, Quarter=quarter)) == [
        f"wb.xlsx: Partnership!B3: '{quarter}' is not a quarter reportgen can file: the year "
        "must be from 1900 to 2999"]


@pytest.mark.parametrize("quarter", ["1900-Q1", "2999-Q4"])
def test_quarters_at_the_ends_of_the_range_are_read(tmp_path, quarter):
    assert errors(with_keys(tmp_path, Quarter=quarter)) == []


@pytest.mark.parametrize(("value", "shown"), [
    (dt.datetime(1, 1, 1), "0001-01-02"),  # as the 1900 system's negative serial reads back
    ("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"), ("1899-12-31", "1899-12-31"),
])
def test_dates_outside_1900_to_2999_are_refused(tmp_path, value, shown):
    sheets = example_sheets()
    sheets["Partnership"][7][1] = value  # Review Date
    sheets["Decisions"][1][3] = value  # Due
    found = errors(write(tmp_path / "d.xlsx", sheets))
    message = f"{shown} is not a date reportgen can file: the year must be from 1900 to 2999"
    if isinstance(value, dt.datetime):  # openpyxl writes year 1 as a negative serial day
        message = "is a number, not a date; a date format shows no date for it (Excel shows ####)"
    assert [e.split(": ", 2)[1] for e in found] == ["Partnership!B8", "Decisions!D2"]
    assert all(e.endswith(message) for e in found), found


def test_a_date_cell_past_the_last_day_excel_shows_is_refused_not_damage(tmp_path):
    sheets = example_sheets()
    sheets["Partnership"][7][1] = 3_000_000.0

    def as_date(book):
        book["Partnership"]["B8"].number_format = "yyyy-mm-dd"

    found = errors(write(tmp_path / "far.xlsx", sheets, tweak=as_date))
    assert found == ["far.xlsx: Partnership!B8: 3000000 is a number, not a date; a date format "
                     "shows no date for it (Excel shows ####)"]


@pytest.mark.parametrize(("address", "reason"), [
    ("john..doe@example.com", "an email address cannot have two periods in a row"),
    ("a@b..com", "an email address cannot have two periods in a row"),
    ("a@example.com.", "an email address cannot end with a period"),
    (".a@example.com", "an email address cannot start with a period"),
    ("a.@example.com", "an email address cannot have a period immediately before the @-sign"),
    ("a@-example.com", "an email address cannot have a hyphen immediately after the @-sign"),
    ("a@localhost", "the part after the @-sign is not valid. It should have a period"),
    ("ü@example.com", "it has characters other than plain ASCII letters, digits and "
                      "punctuation"),
])
def test_addresses_a_mail_server_refuses_are_refused_at_their_cell(tmp_path, address, reason):
    path = with_keys(tmp_path, Distribution=f"Ann <ok@example.com>; Bob <{address}>")
    assert errors(path) == [
        f"wb.xlsx: Partnership!B10: 'Bob <{address}>' is not a valid e-mail address ({reason}); "
        "write Name <name@example.com> or name@example.com"]
    with pytest.raises(ValueError, match="is not an e-mail address"):
        parse_recipient(address)


def test_send_to_names_why_an_address_is_refused(tmp_path):
    from reportgen.delivery.message import parse_recipients
    from reportgen.errors import ReportgenError

    with pytest.raises(ReportgenError) as caught:
        parse_recipients(["john..doe@example.com"], "--to")
    assert str(caught.value) == (
        "--to: 'john..doe@example.com' is not an address like Name <name@example.com> or "
        "name@example.com (an email address cannot have two periods in a row)\nnothing was sent")


@pytest.mark.parametrize(("text", "name", "address"), [
    ("Dana Whitfield <dana.whitfield@fincorp.example>", "Dana Whitfield",
     "dana.whitfield@fincorp.example"),
    ('"Lee, Marcus" <Marcus.Lee@TechDrive.example>', "Lee, Marcus",
     "Marcus.Lee@TechDrive.example"),
    ("ann+qbr@example.com", "", "ann+qbr@example.com"),
    ("Zoë Ünal <zoe@example.org>", "Zoë Ünal", "zoe@example.org"),
])
def test_the_name_and_address_forms_still_read(text, name, address):
    recipient = parse_recipient(text)
    assert (recipient.name, recipient.address) == (name, address)


def test_an_encoded_word_in_a_name_is_refused_by_validate_too(tmp_path):
    path = with_keys(tmp_path, Distribution="Eve =?utf-8?q?Bcc=3A_x?= <a@example.com>")
    [error] = errors(path)
    assert "(its name holds an encoded word (=?…?=))" in error


def with_rows(tmp_path: Path, counts: dict[str, int], name: str = "wb.xlsx",
              cut: int = 0) -> Path:
    """The example with `counts[title]` rows in those sheets: its own rows repeated, each with an
    ID (or KPI name) of its own, the KPIs' weights shared out evenly, and (with `cut`) every text
    cut to at most `cut` characters."""
    sheets = example_sheets()
    for title, count in counts.items():
        header, *rows = sheets[title]
        made = []
        for index in range(count):
            row = list(rows[index % len(rows)])
            row[1 if title == "KPIs" else 0] = f"{title} {index:06d}"
            made.append(row)
        if title == "KPIs":
            share, rest = divmod(1_000_000, count)
            for index, row in enumerate(made):
                row[0] = f"Category {index // 10}"
                row[7] = (share + (rest if index == count - 1 else 0)) / 1_000_000
        if cut:
            made = [[v[:cut] if isinstance(v, str) else v for v in row] for row in made]
        sheets[title] = [header, *made]
    return write(tmp_path / name, sheets, quarter_formats=None)


@pytest.mark.parametrize("title", sorted(PACK_ROWS))
def test_more_rows_than_a_pack_lays_out_are_refused_at_the_first_row_past_the_limit(
        tmp_path, title):
    limit, what = PACK_ROWS[title]
    assert errors(with_rows(tmp_path, {title: limit}, "at.xlsx")) == []
    assert errors(with_rows(tmp_path, {title: limit + 1})) == [
        f"wb.xlsx: {title} row {limit + 2}: {limit + 1:,} {what}: reportgen lays out at most "
        f"{limit:,} in one pack; split the workbook"]


def test_more_text_than_a_pack_lays_out_is_refused_at_the_row_that_passes_the_limit(tmp_path):
    sheets = example_sheets()  # about 2,600 characters of text in its KPIs, risks, decisions…
    header, *rows = sheets["Risks"]
    assert PACK_TEXT == 100_000
    long = [[f"L-{i}", "word " * 5_000, *rows[0][2:]] for i in range(5)]  # 25,000 each
    sheets["Risks"] = [header, *rows, *long[:3]]
    assert errors(write(tmp_path / "at.xlsx", sheets, quarter_formats=None)) == []
    sheets["Risks"] = [header, *rows, *long]
    problems = errors(write(tmp_path / "wb.xlsx", sheets, quarter_formats=None))
    assert problems == [  # the 4th long row passes it, with the example's own text before
        f"wb.xlsx: Risks row {len(rows) + 5}: the KPIs, risks, decisions and actions hold more "
        f"than {PACK_TEXT:,} characters of text by this row, the most reportgen lays out in one "
        "pack; shorten the texts or split the workbook"]


@pytest.mark.slow
@pytest.mark.parametrize(("title", "count"), [("KPIs", 10_000), ("Decisions", 90_000)])
def test_the_10000_kpi_and_90000_decision_workbooks_are_refused_in_one_line_at_once(
        tmp_path, title, count):
    path = with_rows(tmp_path, {title: count})
    run = subprocess.run([sys.executable, "-m", "reportgen.cli", "build", str(path), "--out",
                          str(tmp_path / "out"), "-j", "1"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1
    limit, what = PACK_ROWS[title]
    assert f"wb.xlsx: {title} row {limit + 2}: {count:,} {what}: reportgen lays out at most" \
        in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


@pytest.mark.slow
def test_a_workbook_at_every_pack_limit_builds_within_the_timeout_and_a_gib(tmp_path):
    """The largest workbook `validate` passes (every row limit, near the text limit) builds, PDF
    and Word, within the default `render_timeout`, its worker under 1 GiB (the measurements:
    docs/workbook.md#limits)."""
    path = with_rows(tmp_path, {title: limit for title, (limit, _) in PACK_ROWS.items()},
                     cut=42)  # 98,363 characters of text, near PACK_TEXT
    assert errors(path) == []
    script = ("import resource, sys\nfrom reportgen.cli import main\n"
              "code = main(sys.argv[1:])\n"
              "peak = max(resource.getrusage(w).ru_maxrss for w in "
              "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
              "print(peak, file=sys.stderr)\nsys.exit(code)\n")
    run = subprocess.run([sys.executable, "-c", script, "build", str(path), "--out",
                          str(tmp_path / "out"), "-j", "1", "--no-archive"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert int(run.stderr.split()[-1]) < 1024 * 1024  # KiB
    assert "1 built" in run.stderr
