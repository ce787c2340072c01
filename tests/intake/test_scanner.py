"""The two ways a sheet is read agree: the regex scan (fast, for the plain XML spreadsheet programs
write) and the lxml walk (for everything else). Every sheet shape the scan does not fully
understand must go to lxml, never be half-read."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from reportgen.errors import Severity, WorkbookUnreadable
from reportgen.intake import scanner as workbook
from reportgen.intake import xmltext
from reportgen.intake.scanner import RawCell, read_workbook
from reportgen.intake.validation import load
from workbooks import example_sheets, portfolio_sheets, write, write_example

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = {b"0": "shared one", b"1": None, b"2": "Fish & Chips"}  # index → text (None: blank)
FORMATS = ["General", "0%", "yyyy-mm-dd"]


def scan(data: bytes, chunk: int = workbook.SCAN_CHUNK) -> list | None:
    """The scan's cells, or None when it hands the sheet to lxml."""
    try:
        return list(workbook._scan(io.BytesIO(data), chunk))
    except workbook._NotPlain:
        return None


def scanned(data: bytes) -> tuple:
    cells = scan(data)
    assert cells is not None, "the scan refused a sheet it should read"
    return workbook._rows(cells, STRINGS, FORMATS, False, xmltext.xml_text)


def walked(data: bytes) -> tuple:
    rows = etree.fromstring(data).iter(f"{{{MAIN}}}row")
    return workbook._rows(workbook._walk(rows), STRINGS, FORMATS, False, xmltext.decoded)


def sheet(rows: str, *, root: str = f'<worksheet xmlns="{MAIN}">', end: str = "</worksheet>",
          declaration: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') -> bytes:
    return f"{declaration}{root}<sheetData>{rows}</sheetData>{end}".encode()


def sheets_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


def test_scan_and_walk_agree_on_the_example_and_a_portfolio(tmp_path):
    files = [write_example(tmp_path / "q3.xlsx"), write_example(tmp_path / "q2.xlsx", quarter=2),
             write(tmp_path / "p.xlsx", portfolio_sheets(["Alpha & Co", "Beta — Gamma", "Δelta"]),
                   quarter_formats=None)]
    for path in files:
        for name, data in sheets_of(path).items():
            assert scanned(data) == walked(data), (path.name, name)


def test_scanning_in_pieces_reads_what_scanning_whole_does(tmp_path):
    """The scan reads big sheets a few MiB at a time, cut after a </row>: tiny pieces here."""
    path = write(tmp_path / "p.xlsx", portfolio_sheets(["Alpha", "Beta"]), quarter_formats=3)
    for data in [*sheets_of(path).values(), PLAIN]:
        whole = scan(data)
        assert whole
        for chunk in (7, 64, 1000):
            assert scan(data, chunk) == whole


# Every kind of cell content the scan accepts, with what each must read as.
PLAIN = sheet(
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c>'
    '<c r="C1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &#8212; &#x1F600; &quot;q&quot;</t>'
    '</is></c>'
    '<c r="D1" t="inlineStr"><is><t xml:space="preserve"> padded\r\nlines&#13; </t></is></c>'
    '<c r="E1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" s="1" t="n"><v>0.05</v></c><c r="B2" s="2"><v>45944</v></c>'
    '<c r="C2" t="e"><v>#DIV/0!</v></c><c r="D2" t="e"><f>NA()</f><v>#N/A</v></c>'
    '<c r="E2"><f>1+1</f><v>2</v></c><c r="F2"><f>A2*2</f></c>'
    '<c r="G2"><f t="shared" ref="G2:G3" si="0"/></c><c r="H2" t="b"><v>1</v></c>'
    '<c r="I2" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="J2" t="d"><v>2025-10-14</v></c>'
    '<c r="K2" s="1"/><c r="L2"><v/></c><c r="BL2"><v>64</v></c><c r="BM2"><v>65</v></c></row>'
    '<row r="9"><c r="C9" t="n"><v>-1.5E-3</v></c><c r="A9" t="s"><v>0</v></c></row>'
)


def test_every_plain_cell_shape_is_scanned_as_lxml_reads_it():
    rows = scanned(PLAIN)
    assert rows == walked(PLAIN)
    (one, first), (two, second), (nine, third) = rows
    assert (one, two, nine) == (1, 2, 9)
    assert [c.value if c else None for c in first] == [
        "shared one", "Fish & Chips", 'a & b <c> — 😀 "q"', " padded\nlines\r "]  # E1 is blank
    cells = {c.column: c for c in second if c}
    assert cells["A"] == RawCell("A", 2, 0.05, "0%")
    assert cells["B"].value == dt.datetime(2025, 10, 14)
    assert cells["C"] == RawCell("C", 2, "#DIV/0!", "General", is_error=True)
    assert cells["D"].is_error and cells["D"].value == "#N/A"
    assert cells["E"].value == 2.0 and not cells["E"].formula_without_value
    assert cells["F"].formula_without_value and cells["G"].formula_without_value
    assert cells["H"].value is True and cells["I"].value == "xy"
    assert cells["J"].value == "2025-10-14"
    assert "K" not in cells and "L" not in cells  # styled but empty
    assert cells["BL"].value == 64.0 and "BM" not in cells  # columns past BL are not read
    assert [(c.column, c.value) for c in third if c] == [("A", "shared one"), ("C", -0.0015)]


CANONICAL = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Key</t></is></c>'
             '<c r="B1" s="1" t="n"><v>0.25</v></c></row>')
VARIANTS = {
    "namespace prefix": (f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
                         + CANONICAL.replace("<", "<x:").replace("<x:/", "</x:")
                         + "</x:sheetData></x:worksheet>").encode(),
    "attributes in another order": sheet(CANONICAL.replace('s="1" t="n"', 't="n" s="1"')),
    "cell without r": sheet(CANONICAL.replace(' r="A1"', "").replace(' r="B1"', "")),
    "rich inline text": sheet(CANONICAL.replace("<t>Key</t>", "<r><t>K</t></r><r><t>ey</t></r>")),
    "pretty-printed": sheet(CANONICAL.replace("><", ">\n  <")),
    "comment": sheet(CANONICAL.replace('<c r="B1"', '<!-- <c r="Z1"/> --><c r="B1"')),
    "CDATA": sheet(CANONICAL.replace("<t>Key</t>", "<t><![CDATA[Key]]></t>")),
    "extra attribute": sheet(CANONICAL.replace('s="1" t="n"', 's="1" t="n" cm="1"')),
    "processing instruction": sheet(CANONICAL.replace('<c r="B1"', '<?pi x?><c r="B1"')),
}


@pytest.mark.parametrize("shape", list(VARIANTS))
def test_shapes_the_scan_does_not_read_go_to_lxml_and_read_the_same(tmp_path, shape):
    data = VARIANTS[shape]
    assert scan(data) is None
    expected = workbook._rows(scan(sheet(CANONICAL)), {}, ["General", "0%"], False,
                              xmltext.xml_text)
    assert [(c.coordinate, c.value, c.number_format) for _, row in expected for c in row] == [
        ("A1", "Key", "General"), ("B1", 0.25, "0%")]
    path = one_sheet_workbook(tmp_path / "v.xlsx", data)
    assert read_workbook(path, ["S"]).sheet("S").rows == expected


def test_a_utf16_sheet_goes_to_lxml(tmp_path):
    text = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>Ünïcode</t></is></c></row>').decode()
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert scan(data) is None
    rows = read_workbook(one_sheet_workbook(tmp_path / "u.xlsx", data), ["S"]).sheet("S").rows
    assert rows[0][1][0].value == "Ünïcode"


def test_a_reference_to_a_character_xml_forbids_is_damage_as_lxml_says(tmp_path):
    data = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>bell &#7;</t></is></c></row>')
    assert scan(data) is not None  # the scan reads it, then refuses the character
    with pytest.raises(WorkbookUnreadable, match="is damaged"):
        read_workbook(one_sheet_workbook(tmp_path / "bell.xlsx", data), ["S"])
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(data)


TEXT = st.text(st.characters(blacklist_categories=("Cs",),
                             blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                             "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                             "\x1e\x1f\x7f\ufffe\uffff"), max_size=30)
VALUE = st.one_of(TEXT, st.floats(allow_nan=False, allow_infinity=False),
                  st.integers(-10**12, 10**12), st.booleans(), st.none())


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(VALUE, min_size=1, max_size=6), min_size=1, max_size=6))
@example(rows=[["0\r", "a\r\nb", " =1+1", "x &amp; y"]])
def test_any_values_openpyxl_writes_are_scanned_as_lxml_reads_them(tmp_path, rows):
    path = write(tmp_path / "any.xlsx", {"Any": rows}, quarter_formats=None)
    for data in sheets_of(path).values():
        assert scanned(data) == walked(data)


def one_sheet_workbook(path: Path, sheet_xml: bytes, shared: list[str] | None = None) -> Path:
    """A minimal valid .xlsx whose one sheet, 'S', is `sheet_xml` verbatim (and whose shared
    strings are `shared`, XML-escaped already)."""
    template = write(path.with_name("template.xlsx"), {"S": [["x"]]}, quarter_formats=None)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as target:
        if shared is not None:
            items = "".join(f"<si><t>{text}</t></si>" for text in shared)
            target.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = sheet_xml
            elif item.filename == "xl/styles.xml":
                data = data.replace(b'<cellXfs count="1">', b'<cellXfs count="2">').replace(
                    b"</cellXfs>", b'<xf numFmtId="9" fontId="0" fillId="0" borderId="0" '
                    b'applyNumberFormat="1"/></cellXfs>')
            target.writestr(item, data)
    return path


def test_a_far_away_cell_costs_nothing(tmp_path):
    """No grid is allocated: a cell in the last row and column of a sheet is simply not read."""
    data = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>Key</t></is></c></row>'
                 '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    for reader in (scanned, walked):
        rows = reader(data)
        assert [(n, [c.coordinate for c in cells]) for n, cells in rows] == [(1, ["A1"])]


@pytest.mark.parametrize(("stored", "text"), [
    ("Line one_x000D_\nLine two", "Line one\r\nLine two"),  # Excel's escaped carriage return
    ("_x005F_x0041_ stays", "_x0041_ stays"),  # an escaped underscore keeps the rest literal
    ("smile _xD83D__xDE00_", "smile \U0001F600"),  # an escaped surrogate pair
    ("bell_x0007_ and _xD800_ lone", "bell and \ufffd lone"),  # what XML forbids is dropped
    ("plain_x41_ and _X0041_", "plain_x41_ and _X0041_"),  # not the escape's exact form
])
def test_escaped_characters_are_restored_in_every_kind_of_text(tmp_path, stored, text):
    data = sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{stored}</t></is></c>'
                 f'<c r="B1" t="str"><f>"x"</f><v>{stored}</v></c></row>')
    for reader in (scanned, walked):
        assert [c.value for c in reader(data)[0][1]] == [text, text]
    path = one_sheet_workbook(tmp_path / "shared.xlsx", sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared=[stored])
    assert read_workbook(path, ["S"]).sheet("S").rows[0][1][0].value == text


@pytest.mark.parametrize("cut", ["</worksheet>", "</sheetData></worksheet>", "</c></row>"])
def test_a_sheet_cut_short_is_damaged_not_half_read(tmp_path, cut):
    whole = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>Key</t></is></c></row>'
                  '<row r="2"><c r="A2"><v>2</v></c></row>')
    data = whole[: whole.rindex(cut.encode())]
    assert scan(data) is None
    with pytest.raises(WorkbookUnreadable, match="is damaged"):
        read_workbook(one_sheet_workbook(tmp_path / "cut.xlsx", data), ["S"])


def test_an_empty_sheet_reads_as_no_rows(tmp_path):
    data = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'.encode()
    assert read_workbook(one_sheet_workbook(tmp_path / "e.xlsx", data), ["S"]).sheet("S").rows == ()


@pytest.mark.parametrize("index", ["-1", "-3", "3", "99"])
def test_a_shared_string_index_outside_the_table_is_damage(tmp_path, index):
    """Python would read index -1 as the last string: a damaged file, said in one line."""
    data = sheet(f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>{index}</v></c>'
                 "</row>")
    path = one_sheet_workbook(tmp_path / "idx.xlsx", data, shared=["one", "two", "three"])
    with pytest.raises(WorkbookUnreadable) as caught:
        read_workbook(path, ["S"])
    assert str(caught.value) == (f"idx.xlsx: is damaged: S!B1 refers to shared string "
                                 f"'{index}', but the file has 3 (numbered from 0)")


def test_a_shared_string_index_written_with_spaces_still_reads(tmp_path):
    data = sheet('<row r="1"><c r="A1" t="s"><v> 2 </v></c><c r="B1" t="s"><v>1</v></c></row>')
    path = one_sheet_workbook(tmp_path / "sp.xlsx", data, shared=["one", " ", "three"])
    [(_, cells)] = read_workbook(path, ["S"]).sheet("S").rows
    assert [c.value for c in cells] == ["three"]  # index 1 is blank text: no cell


def test_sheets_named_alike_but_for_case_are_a_clash_not_a_silent_choice(tmp_path):
    sheets = example_sheets()
    sheets["kpis"] = sheets["KPIs"]
    written = write(tmp_path / "written.xlsx", sheets)  # openpyxl calls the second 'kpis1'
    with zipfile.ZipFile(written) as z:
        book = z.read("xl/workbook.xml").replace(b'name="kpis1"', b'name="kpis"')
    path = tmp_path / "two.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, book if item.filename == "xl/workbook.xml"
                            else source.read(item.filename))
    loaded = load(path)
    assert not loaded.ok
    assert "two.xlsx: sheets 'KPIs' and 'kpis' have the same name but for case or spaces; " \
           "reportgen cannot tell which to read: rename or delete one" in map(str, loaded.problems)
    assert not any("'kpis' is not used" in p.message for p in loaded.problems)


def test_a_sheet_with_too_many_rows_stops_being_read_and_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 6)
    consumed = 0
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1001))

    def counted(cells):
        nonlocal consumed
        for cell in cells:
            consumed += 1
            yield cell

    with pytest.raises(workbook._TooLong):
        workbook._rows(counted(scan(sheet(rows))), {}, FORMATS, False, xmltext.xml_text)
    assert consumed == 8  # the eighth row's first cell ends the seventh, one too many: stop
    monkeypatch.setattr(workbook, "MAX_ROWS", 12)  # the Partnership sheet's 11 rows fit
    sheets = example_sheets()
    sheets["KPIs"] += sheets["KPIs"][1:]  # 12 KPI rows
    loaded = load(write(tmp_path / "long.xlsx", sheets))
    assert [str(p) for p in loaded.problems if p.severity is Severity.ERROR] == [
        "long.xlsx: KPIs: more than 11 rows hold data below the header, the most reportgen "
        "reads in a sheet; split the workbook"]
    assert loaded.reviews == ()
