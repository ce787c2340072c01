"""The container check: a workbook file in, its bytes out, or refused with one clear line.

`read_file` takes only a regular file of at most MAX_FILE_SIZE bytes, read once. `check_container`
runs before any parser sees those bytes: their signature (a zip, not a legacy or encrypted OLE2
container), its entries (no macros, no binary workbook, no DOCTYPE or entity declarations) and
the sizes they declare (a zip bomb is refused before anything is inflated); see
docs/workbook.md#unreadable-files. Every refusal is a `WorkbookUnreadable`.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..errors import WorkbookUnreadable

MAX_TOTAL_INFLATED = 256 * 1024 * 1024  # bytes all entries may inflate to
MAX_ENTRY_RATIO = 100  # inflated / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_FILE_SIZE = 64 * 1024 * 1024  # bytes a workbook file may have

XML_PARTS = (".xml", ".rels", ".vml")  # the parts searched for declarations
MACROS = "is macro-enabled (.xlsm); save a copy as .xlsx without macros"
BINARY = "is a binary workbook (.xlsb); save it as .xlsx"
FORBIDDEN_XML = ("contains forbidden XML (entity declarations or external references); "
                 "refusing to read it")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def read_file(path: Path) -> bytes:
    """The file's bytes, once: a regular file of at most MAX_FILE_SIZE bytes. Anything else
    (a device such as /dev/zero, a pipe, a socket) is refused before a byte is read, and
    opening does not wait for a pipe's writer."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise WorkbookUnreadable(str(path), "no such file") from None
    except OSError as exc:
        raise WorkbookUnreadable(str(path), f"cannot be read ({exc.strerror})") from None
    with os.fdopen(handle, "rb") as file:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise WorkbookUnreadable(str(path), "is a folder, not a workbook")
        if not stat.S_ISREG(mode):
            raise WorkbookUnreadable(str(path), "is not a regular file (a device, pipe or "
                                     "socket); refusing to read it")
        try:
            data = file.read(MAX_FILE_SIZE + 1)
        except OSError as exc:
            raise WorkbookUnreadable(str(path), f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_SIZE:
        size = max(os.stat(path).st_size, len(data))
        raise WorkbookUnreadable(path.name, f"is {size / 2**20:,.0f} MiB, above the "
                                 f"{MAX_FILE_SIZE // 2**20} MiB limit for a workbook; "
                                 "refusing to read it")
    return data


def check_container(name: str, data: bytes) -> None:
    if not data:
        raise WorkbookUnreadable(name, "is empty (0 bytes)")
    if data.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data[:1 << 20] or b"EncryptedPackage" in data:
            raise WorkbookUnreadable(
                name, "is password-protected; remove the password in Excel and save it again"
            )
        raise WorkbookUnreadable(
            name, "is a legacy Excel 97-2003 (.xls) file; open it in Excel and save as .xlsx"
        )
    if not data.startswith(_ZIP):
        raise WorkbookUnreadable(name, "is not an Excel workbook (.xlsx)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise WorkbookUnreadable(
            name, "is damaged or truncated (not a complete zip archive)"
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise WorkbookUnreadable(name, f"has {len(entries)} parts; refusing to read it")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        raise WorkbookUnreadable(name, "is damaged: it has no [Content_Types].xml part")
    if any(n.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for n in names):
        raise WorkbookUnreadable(name, MACROS)
    if "xl/workbook.bin" in names:
        raise WorkbookUnreadable(name, BINARY)
    if "xl/workbook.xml" not in names:
        raise WorkbookUnreadable(name, "is not an Excel workbook (no xl/workbook.xml part)")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_ENTRY_RATIO * max(
            entry.compress_size, 1
        ):
            raise WorkbookUnreadable(
                name, f"looks like a zip bomb: {entry.filename} would inflate "
                f"{entry.file_size // max(entry.compress_size, 1)}-fold to "
                f"{entry.file_size / 2**20:.0f} MiB; refusing to read it"
            )
    if total > MAX_TOTAL_INFLATED:
        raise WorkbookUnreadable(
            name, f"would inflate to {total / 2**20:.0f} MiB, above the "
            f"{MAX_TOTAL_INFLATED // 2**20} MiB limit; refusing to read it"
        )
    for entry in entries:
        if entry.filename.endswith(XML_PARTS) and entry.file_size:
            _check_declarations(name, archive, entry)
    _check_declared_kinds(name, archive, [e.filename for e in entries])


# --- DOCTYPE and ENTITY declarations, in whatever encoding the XML is written -------------------
# XML may be written in UTF-16 or UTF-32 (told by a byte order mark or by the zero bytes around
# the first `<`), in EBCDIC, or in any encoding its declaration names (XML 1.0, appendix F).
# The parts are searched as bytes, which finds the declarations in UTF-8 (and in whatever would
# switch to another encoding after an ASCII start), and, in any other encoding, also as text
# decoded as the part says (UTF-7, for one, can write `<` as `+ADw-`).
_MARKERS = ("<!DOCTYPE", "<!ENTITY")
_BYTE_MARKERS = tuple(marker.encode() for marker in _MARKERS)
_OVERLAP = max(map(len, _MARKERS)) - 1  # a marker may straddle two chunks
_SNIFFED = (  # longest first: a UTF-32 byte order mark begins like a UTF-16 one
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # `<?xm` in EBCDIC: the declaration names the code page
)
_DECLARED = re.compile(r"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
CHUNK = 1 << 20  # bytes of a part searched at a time


def _check_declarations(name: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Refuse `entry` if it holds a DOCTYPE or ENTITY declaration anywhere, streaming it."""
    try:
        with archive.open(entry) as part:
            chunk = part.read(max(CHUNK, 1024))  # the declaration, whole, is in the first
            decoder = _decoder(name, entry.filename, chunk)
            tail, text_tail = b"", ""
            while chunk:
                seam = tail + chunk[:_OVERLAP]  # where a marker may straddle two chunks
                found = any(marker in chunk or marker in seam for marker in _BYTE_MARKERS)
                if decoder is not None:
                    text = text_tail + decoder.decode(chunk)
                    found = found or any(marker in text for marker in _MARKERS)
                    text_tail = text[-_OVERLAP:]
                if found:
                    raise WorkbookUnreadable(name, FORBIDDEN_XML)
                tail = chunk[-_OVERLAP:]
                chunk = part.read(CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise WorkbookUnreadable(
            name, f"is damaged: its part {entry.filename} cannot be unpacked"
        ) from None


def _decoder(name: str, part: str, head: bytes) -> codecs.IncrementalDecoder | None:
    """A decoder for the encoding the part is written in (None for UTF-8, searched as bytes)."""
    sniffed = next((codec for prefix, codec in _SNIFFED if head.startswith(prefix)), "utf-8")
    codec = sniffed
    if sniffed in ("utf-8", "cp037"):  # the declaration says which encoding of the family
        declared = _DECLARED.match(head[:1024].decode(sniffed, "replace").lstrip("\ufeff"))
        if declared:
            try:
                codec = codecs.lookup(declared[1]).name
            except LookupError:
                raise WorkbookUnreadable(
                    name, f"is damaged: its part {part} is written in the encoding "
                    f"{declared[1][:40]!r}, which reportgen does not read"
                ) from None
    if codec == "utf-8":  # a `<` is only ever the byte 0x3C: the byte search finds all
        return None
    return codecs.getincrementaldecoder(codec)("replace")


# --- macros and binary workbooks, judged by what the package declares --------------------------
_MACRO_TYPES = ("macroenabled", "vbaproject", "macrosheet")  # in content and relationship types
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _check_declared_kinds(name: str, archive: zipfile.ZipFile, parts: list[str]) -> None:
    """Refuse macro-enabled and binary workbooks by the content types and relationship types
    the package declares, whatever its parts are called (run after `_check_declarations`)."""
    declared = [node.get("ContentType", "").lower() for node in
                _xml(name, archive, "[Content_Types].xml").iter(
                    f"{_CONTENT_TYPES_NS}Default", f"{_CONTENT_TYPES_NS}Override")]
    for rels in (part for part in parts if part.endswith(".rels")):
        declared += [node.get("Type", "").lower() for node in
                     _xml(name, archive, rels).iter(f"{_RELATIONSHIPS_NS}Relationship")]
    if any(kind in value for value in declared for kind in _MACRO_TYPES):
        raise WorkbookUnreadable(name, MACROS)
    if any("sheet.binary" in value for value in declared):
        raise WorkbookUnreadable(name, BINARY)


def xml_parser() -> etree.XMLParser:
    """An lxml parser with entity resolution, DTD loading and the network off (the parts it
    reads have passed `check_container`, so they declare no DOCTYPE or entity either)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


def _xml(name: str, archive: zipfile.ZipFile, part: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(part), xml_parser())
    except etree.XMLSyntaxError:
        raise WorkbookUnreadable(name, f"is damaged: its part {part} is not well-formed XML"
                                 ) from None
