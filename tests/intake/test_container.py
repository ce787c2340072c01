"""Unreadable and hostile files are refused with a clear message, in bounded time and memory."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from reportgen.errors import WorkbookUnreadable
from reportgen.intake.validation import load
from workbooks import write_example

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(path: Path) -> str:
    with pytest.raises(WorkbookUnreadable) as caught:
        load(path)
    return str(caught.value)


def rezip(source: Path, target: Path, replace: dict[str, bytes], drop: set[str] = frozenset(),
          add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in drop:
                continue
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return target


def test_missing_file(tmp_path):
    assert refused(tmp_path / "nope.xlsx").endswith("nope.xlsx: no such file")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refused(path) == "empty.xlsx: is empty (0 bytes)"


def test_not_a_workbook(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("Category,KPI\nFinance,Growth\n")
    assert refused(path) == "data.xlsx: is not an Excel workbook (.xlsx)"


def test_legacy_xls(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(OLE2 + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1000)
    assert refused(path) == ("old.xlsx: is a legacy Excel 97-2003 (.xls) file; open it in Excel "
                             "and save as .xlsx")


def test_password_protected(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(OLE2 + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1000)
    assert refused(path) == ("locked.xlsx: is password-protected; remove the password in Excel "
                             "and save it again")


def test_truncated_zip(tmp_path):
    good = write_example(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert refused(path) == "cut.xlsx: is damaged or truncated (not a complete zip archive)"


def test_macro_enabled(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    path = rezip(good, tmp_path / "macro.xlsx", {}, add={"xl/vbaProject.bin": b"\0" * 64})
    assert refused(path) == ("macro.xlsx: is macro-enabled (.xlsm); save a copy as .xlsx "
                             "without macros")


def test_missing_content_types(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    path = rezip(good, tmp_path / "parts.xlsx", {}, drop={"[Content_Types].xml"})
    assert refused(path) == "parts.xlsx: is damaged: it has no [Content_Types].xml part"


def test_damaged_xml_inside_is_one_clean_message(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    path = rezip(good, tmp_path / "bad.xlsx", {"xl/workbook.xml": b"<workbook><sheets>"})
    assert refused(path).startswith("bad.xlsx: is damaged and cannot be read as a workbook")


def test_billion_laughs_is_refused(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    name = "xl/worksheets/sheet1.xml"
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1
                                                  else b"&lol;" * 10) for i in range(1, 10))
           + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
           + b"</sheetData></worksheet>")
    path = rezip(good, tmp_path / "lol.xlsx", {name: lol})
    assert refused(path) == ("lol.xlsx: contains forbidden XML (entity declarations or external "
                             "references); refusing to read it")


def _bomb(path: Path, good: Path, inflated_mib: int) -> Path:
    """A valid workbook whose first sheet is padded to `inflated_mib` MiB of spaces."""
    with zipfile.ZipFile(good) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = bytearray()
    for _ in range(inflated_mib):
        body += compressor.compress(chunk)
    body += compressor.flush()
    rezip(good, path, {}, drop={sheet})
    with zipfile.ZipFile(path, "a") as z:
        info = zipfile.ZipInfo(sheet)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = inflated_mib << 20
        info.compress_size = len(body)
        info.CRC = 0
        # write the pre-compressed stream as-is (no second compression)
        z.fp.seek(z.start_dir)
        header = info.FileHeader()
        info.header_offset = z.start_dir
        z.fp.write(header + bytes(body))
        z.filelist.append(info)
        z.NameToInfo[info.filename] = info
        z.start_dir = z.fp.tell()
        z._didModify = True
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    return _bomb(folder / "bomb.xlsx", write_example(folder / "good.xlsx"), 1024)


def test_zip_bomb_is_refused_before_inflating(bomb):
    path = bomb
    assert path.stat().st_size < 5 * 2**20
    message = refused(path)
    assert message.startswith("bomb.xlsx: looks like a zip bomb: xl/worksheets/")
    assert "refusing to read it" in message


def test_zip_bomb_uses_bounded_memory_in_a_child_process(bomb):
    path = bomb
    # VmHWM, not ru_maxrss: the latter keeps the forking test process's size across exec
    script = ("import re, sys\n"
              "from reportgen.cli import main\n"
              "code = main(['validate', sys.argv[1]])\n"
              "status = open('/proc/self/status').read()\n"
              "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
              "sys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "looks like a zip bomb" in done.stdout
    peak_kib = int(done.stdout.strip().splitlines()[-1])
    assert peak_kib < 200 * 1024  # a GiB of sheet XML never inflates


def test_wrong_dimension_does_not_truncate_rows(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        patched = {n: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', z.read(n))
                   for n in names}
    path = rezip(good, tmp_path / "dim.xlsx", patched)
    loaded = load(path)
    assert loaded.ok, loaded.problems
    assert len(loaded.reviews[0].kpis) == 6


def test_fuzzed_bytes_only_ever_raise_our_error(tmp_path):
    """Damage anywhere in the file: one located line (or located problems), never a traceback,
    and damage inside the zip's data is noticed, never silently read as a good workbook."""
    good = write_example(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "fuzz.xlsx"
    refused = 0
    for offset in range(200, len(good), max(1, len(good) // 40)):
        mutated = bytearray(good)
        mutated[offset : offset + 8] = b"\xff" * 8
        path.write_bytes(bytes(mutated))
        try:
            loaded = load(path)
        except WorkbookUnreadable as exc:
            assert exc.file == "fuzz.xlsx" and exc.reason
            assert "\n" not in str(exc)
            refused += 1
        else:
            assert all(p.file == "fuzz.xlsx" for p in loaded.problems)
    assert refused >= 30  # CRCs catch damaged entries: most mutations are refused outright


def test_defusedxml_guards_openpyxl():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True



# --- files that are not regular files, and files too large ------------------------------------
def test_dev_zero_is_refused_before_reading():
    assert refused(Path("/dev/zero")) == ("/dev/zero: is not a regular file (a device, pipe or "
                                          "socket); refusing to read it")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    import os

    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    script = ("import sys\nfrom pathlib import Path\nfrom reportgen.errors import "
              "WorkbookUnreadable\nfrom reportgen.intake.validation import load\ntry:\n"
              "    load(Path(sys.argv[1]))\nexcept WorkbookUnreadable as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", script, str(fifo)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip().endswith("pipe.xlsx: is not a regular file (a device, pipe or "
                                        "socket); refusing to read it"), done


def test_a_file_above_the_size_limit_is_refused_with_its_size(tmp_path, monkeypatch):
    from reportgen.intake import container

    path = write_example(tmp_path / "big.xlsx")
    with path.open("ab") as file:
        file.truncate(3 * 2**20)  # 3 MiB, as the message rounds
    monkeypatch.setattr(container, "MAX_FILE_SIZE", 2 * 2**20)
    assert refused(path) == ("big.xlsx: is 3 MiB, above the 2 MiB limit for a workbook; "
                             "refusing to read it")


# --- DOCTYPE and ENTITY declarations anywhere, in any encoding ---------------------------------
SHEET = "xl/worksheets/sheet1.xml"
DOCTYPE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>'


def with_sheet(tmp_path: Path, data: bytes, part: str = SHEET) -> Path:
    good = write_example(tmp_path / "good.xlsx")
    return rezip(good, tmp_path / "dtd.xlsx", {part: data})


def sheet_xml(prolog: str) -> str:
    return (f'<?xml version="1.0" encoding="{{}}"?>{prolog}<worksheet xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
            't="inlineStr"><is><t>Partnership</t></is></c><c r="B1" t="inlineStr"><is><t>&e;'
            "</t></is></c></row></sheetData></worksheet>")


FORBIDDEN = ("dtd.xlsx: contains forbidden XML (entity declarations or external references); "
             "refusing to read it")


def test_a_doctype_after_the_first_4_kib_is_refused(tmp_path):
    xml = sheet_xml("<!--" + "x" * 8192 + "-->" + DOCTYPE).format("UTF-8")
    assert refused(with_sheet(tmp_path, xml.encode())) == FORBIDDEN


def test_a_doctype_after_the_first_4_kib_of_shared_strings_is_refused(tmp_path):
    strings = ('<?xml version="1.0"?>' + " " * 5000 + DOCTYPE + '<sst xmlns="http://schemas.'
               'openxmlformats.org/spreadsheetml/2006/main"/>')
    good = write_example(tmp_path / "good.xlsx")
    path = rezip(good, tmp_path / "dtd.xlsx", {}, add={"xl/sharedStrings.xml": strings.encode()})
    assert refused(path) == FORBIDDEN


@pytest.mark.parametrize(("encoding", "codec", "bom"), [
    ("UTF-16", "utf-16-le", b"\xff\xfe"), ("UTF-16", "utf-16-be", b"\xfe\xff"),
    ("UTF-16LE", "utf-16-le", b""), ("UTF-16BE", "utf-16-be", b""),
    ("UTF-32", "utf-32-le", b"\xff\xfe\x00\x00"), ("UTF-8", "utf-8", b"\xef\xbb\xbf"),
    ("cp037", "cp037", b""), ("UTF-7", "utf-7", b""),
])
def test_a_doctype_in_any_encoding_the_xml_declares_is_refused(tmp_path, encoding, codec, bom):
    xml = sheet_xml(DOCTYPE).format(encoding)
    if codec == "utf-7":  # only the markup after the declaration is written the UTF-7 way
        head, rest = xml.split("?>", 1)
        data = f"{head}?>".encode() + "".join(
            f"+{__import__('base64').b64encode(c.encode('utf-16-be')).decode().rstrip('=')}-"
            if c in "<!" else c for c in rest).encode()
    else:
        data = bom + xml.encode(codec)
    assert b"<!DOCTYPE" not in data or codec == "utf-8"
    assert refused(with_sheet(tmp_path, data)) == FORBIDDEN


def test_an_encoding_python_does_not_know_is_refused(tmp_path):
    xml = sheet_xml("").format("x-no-such-encoding")
    assert refused(with_sheet(tmp_path, xml.encode())) == (
        "dtd.xlsx: is damaged: its part xl/worksheets/sheet1.xml is written in the encoding "
        "'x-no-such-encoding', which reportgen does not read")


def test_a_utf16_sheet_without_declarations_is_still_read(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        xml = z.read(SHEET).decode()
    data = b"\xff\xfe" + xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")
    loaded = load(rezip(good, tmp_path / "u16.xlsx", {SHEET: data}))
    assert loaded.ok, loaded.problems
    assert loaded.reviews[0].partnership.name == "FinCorp–TechDrive Wealth Platform"


# --- macros, whatever their part is called ----------------------------------------------------
MACROS = "macro.xlsx: is macro-enabled (.xlsm); save a copy as .xlsx without macros"


def content_types(good: Path, extra: str) -> bytes:
    with zipfile.ZipFile(good) as z:
        return z.read("[Content_Types].xml").replace(b"</Types>", extra.encode() + b"</Types>")


def test_a_renamed_vba_project_is_refused_by_its_content_type(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    types = content_types(good, '<Override PartName="/xl/notes.dat" '
                                'ContentType="application/vnd.ms-office.vbaProject"/>')
    path = rezip(good, tmp_path / "macro.xlsx", {"[Content_Types].xml": types},
                 add={"xl/notes.dat": b"\0" * 64})
    assert refused(path) == MACROS


def test_a_macro_enabled_main_part_is_refused(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        types = z.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert b"macroEnabled" in types
    path = rezip(good, tmp_path / "macro.xlsx", {"[Content_Types].xml": types})
    assert refused(path) == MACROS


def test_a_vba_project_relationship_is_refused(tmp_path):
    good = write_example(tmp_path / "good.xlsx")
    rels_part = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(good) as z:
        rels = z.read(rels_part).replace(b"</Relationships>", (
            b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/'
            b'relationships/vbaProject" Target="odd.name"/></Relationships>'))
    path = rezip(good, tmp_path / "macro.xlsx", {rels_part: rels},
                 add={"xl/odd.name": b"\0" * 64})
    assert refused(path) == MACROS


@pytest.mark.parametrize("chunk", [7, 8, 13, 64])
@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le"])
def test_a_doctype_across_two_chunks_is_found(tmp_path, monkeypatch, chunk, codec):
    from reportgen.intake import container

    monkeypatch.setattr(container, "CHUNK", chunk)
    xml = sheet_xml(" " * 37 + DOCTYPE).format(codec.upper()[:6])
    assert refused(with_sheet(tmp_path, xml.encode(codec))) == FORBIDDEN
