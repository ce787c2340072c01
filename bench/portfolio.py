"""Generate a portfolio workbook of N partnerships (6 KPIs and 4 risks each) for benchmarks.

    python bench/portfolio.py 1000 /tmp/portfolio-1000.xlsx [--inline]

The figures vary per partnership (seeded, so the file is the same every run) around the
example's, with the example's number formats, so statuses, scores and risk ratings spread across
every band. Text goes into a shared-strings table as Excel and LibreOffice store it; `--inline`
keeps openpyxl's inline strings (a bigger file, slower to read).
"""

from __future__ import annotations

import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from reportgen.examples import workbooks as example

PARTNERSHIP_COLUMNS = ("Partnership", "Partner", "Quarter", "Executive Sponsor",
                       "Partner Sponsor", "Alliance Manager", "Governance Model",
                       "Confidentiality")
_INLINE = re.compile(
    r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t(?: xml:space="preserve")?>'
    r"([^<]*)</t></is></c>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def write_portfolio(path: Path, count: int, seed: int = 7, shared_strings: bool = True) -> Path:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    partnerships = wb.create_sheet("Partnerships")
    kpis = wb.create_sheet("KPIs")
    risks = wb.create_sheet("Risks")

    def cells(sheet: object, values: list[example.Cell]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value.value)
            if value.number_format:
                cell.number_format = value.number_format
            out.append(cell)
        return out

    partnerships.append(PARTNERSHIP_COLUMNS)
    kpis.append(("Partnership", *example.KPI_HEADER))
    risks.append(("Partnership", *example.RISK_HEADER))
    models = ("Direct Sponsorship", "Joint Steering Committee", "Three-Tiered Governance")
    for n in range(1, count + 1):
        name = f"Alliance {n:04d} — Partner {n:04d} Co-Sell"
        partnerships.append((name, f"Partner {n:04d} Ltd", "2025-Q3", f"Sponsor {n}",
                             f"Counterpart {n}", f"Manager {n}", models[n % 3], "Confidential"))
        for row in example.kpi_rows(3):
            values = list(row)
            target, actual = values[3], values[4]
            drift = rng.uniform(0.8, 1.15)  # actual around target, in the actual's own format
            values[4] = example.Cell(round(target.value * drift, 4), actual.number_format)
            kpis.append(cells(kpis, [example.Cell(name), *values]))
        for row in example.risk_rows(3):
            values = list(row)
            values[3], values[4] = example.Cell(rng.randint(1, 5)), example.Cell(rng.randint(1, 5))
            risks.append(cells(risks, [example.Cell(name), *values]))
    wb.save(path)
    if shared_strings:
        _share_strings(path)
    return path


def _share_strings(path: Path) -> None:
    """Move every inline string into one shared-strings table, as Excel saves text."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    table: dict[str, int] = {}

    def share(match: re.Match[str]) -> str:
        index = table.setdefault(match[3], len(table))
        return f'<c r="{match[1]}"{match[2] or ""} t="s"><v>{index}</v></c>'

    for name in [n for n in parts if n.startswith("xl/worksheets/")]:
        parts[name] = _INLINE.sub(share, parts[name].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in table)
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{_MAIN}" count="{len(table)}" '
                                     f'uniqueCount="{len(table)}">{items}</sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
        "</Types>".encode())
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>", f'<Relationship Id="rIdSharedStrings" Type="{_SST_REL}" '
        'Target="sharedStrings.xml"/></Relationships>'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


if __name__ == "__main__":
    write_portfolio(Path(sys.argv[2]), int(sys.argv[1]), shared_strings="--inline" not in sys.argv)
