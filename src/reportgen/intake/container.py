"""The container check: a workbook file's bytes in, refused with one clear line or let through.

Runs before any parser sees the file: its signature (a zip, not a legacy or encrypted OLE2
container), its entries (no macros, no binary workbook, no DOCTYPE or entity declarations) and
the sizes they declare (a zip bomb is refused before anything is inflated); see
docs/workbook.md#unreadable-files. Every refusal is a `WorkbookUnreadable`.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..errors import WorkbookUnreadable

MAX_TOTAL_INFLATED = 256 * 1024 * 1024  # bytes all entries may inflate to
MAX_ENTRY_RATIO = 100  # inflated / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
MAX_ENTRIES = 10_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


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
    if "xl/vbaProject.bin" in names:
        raise WorkbookUnreadable(
            name, "is macro-enabled (.xlsm); save a copy as .xlsx without macros"
        )
    if "xl/workbook.bin" in names:
        raise WorkbookUnreadable(name, "is a binary workbook (.xlsb); save it as .xlsx")
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
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and entry.file_size:
            try:
                with archive.open(entry) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
                raise WorkbookUnreadable(
                    name, f"is damaged: its part {entry.filename} cannot be unpacked"
                ) from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise WorkbookUnreadable(
                    name, "contains forbidden XML (entity declarations or external references); "
                    "refusing to read it"
                )
    if total > MAX_TOTAL_INFLATED:
        raise WorkbookUnreadable(
            name, f"would inflate to {total / 2**20:.0f} MiB, above the "
            f"{MAX_TOTAL_INFLATED // 2**20} MiB limit; refusing to read it"
        )
