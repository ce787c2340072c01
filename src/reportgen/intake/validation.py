"""Raw sheets → `ReviewInput`s + every problem found. Never stops at the first problem.

Headers and keys match case-insensitively with spaces folded; columns may come in any order;
extra columns and sheets are reported as information. Each problem names its sheet and cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from ..domain.exact import exact_sum
from ..domain.measures import format_measure, format_percent
from ..domain.model import (
    Direction,
    Kpi,
    Measure,
    Partnership,
    ReviewInput,
    Risk,
    SourceRef,
)
from ..domain.text import normalise
from ..errors import DataProblems, Problem, Severity
from ..gctune import LOADING, fewer_collections
from . import scanner
from .agenda import read_actions, read_decisions
from .cells import CellReader, Report, Row, Table, text_of
from .partnership import read_partnership
from .risks import read_risks
from .scanner import RawCell, RawSheet, RawWorkbook, read_workbook
from .schema import (
    ACTION_COLUMNS,
    ACTION_REQUIRED,
    DECISION_COLUMNS,
    DECISION_REQUIRED,
    DIRECTIONS,
    KPI_COLUMNS,
    KPI_FIELDS,
    KPI_REQUIRED,
    MAX_FILE_NAME,
    OVERRIDES,
    PACK_ROWS,
    PACK_TEXT,
    PARTNERSHIP_KEYS,
    REQUIRED_KEYS,
    RISK_COLUMNS,
    RISK_REQUIRED,
    SHEETS,
)
from .spreadsheet import column_letter


@dataclass(frozen=True)
class Loaded:
    """The reviews a file holds (empty when it has errors) and every problem found."""

    reviews: tuple[ReviewInput, ...]
    problems: tuple[Problem, ...]
    portfolio: bool = False  # a Partnerships sheet: the file holds other partnerships' figures

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    def fails(self, strict: bool = False) -> bool:
        """Whether the file may not be built: it has errors, or warnings under `strict`."""
        return any(p.severity is Severity.ERROR or (strict and p.severity is Severity.WARNING)
                   for p in self.problems)


def load(path: Path) -> Loaded:
    """Read and validate one workbook. Unreadable files raise `WorkbookUnreadable`."""
    with fewer_collections(LOADING):  # a portfolio makes ~10 objects per cell, none cyclic
        return _load(path)  # its cells are freed on return, before the collector may next look


def _load(path: Path) -> Loaded:
    raw = read_workbook(path, SHEETS)
    report = Report(raw.name)
    if len(raw.name) > MAX_FILE_NAME:
        report.add(f"the file name is {len(raw.name)} characters long; at most {MAX_FILE_NAME} "
                   "fit the Word file's properties: rename the file")
    reviews = _Validator(raw, report).run()
    return Loaded(tuple(reviews) if not report.errors else (), tuple(report.finish()),
                  raw.sheet("Partnerships") is not None)


def load_or_raise(
    path: Path, strict: bool = False
) -> tuple[tuple[ReviewInput, ...], list[Problem]]:
    """`load`, raising `DataProblems` (with warnings too) when there is any error."""
    loaded = load(path)
    if loaded.fails(strict):
        raise DataProblems(list(loaded.problems))
    return loaded.reviews, list(loaded.problems)


class _Validator:
    def __init__(self, raw: RawWorkbook, report: Report) -> None:
        self.raw = raw
        self.name = raw.name
        self.report = report
        self.cells = CellReader(report)

    # --- the flow -----------------------------------------------------------------------------
    def run(self) -> list[ReviewInput]:
        raw, report = self.raw, self.report
        for name, hidden in raw.other_sheets:
            report.add(f"sheet '{name}' is not used by reportgen"
                       + (" (it is hidden)" if hidden else ""), severity=Severity.INFO)
        for sheet in raw.sheets.values():
            if sheet.hidden:
                report.add(f"sheet '{sheet.name}' is hidden but is read; unhide it to check "
                           "what goes into the pack", sheet.name, severity=Severity.WARNING)
            if sheet.hidden_rows or sheet.hidden_columns:
                self._hidden_parts(sheet)
            if sheet.overlong:
                report.add(f"more than {scanner.MAX_ROWS - 1:,} rows hold data below the "
                           "header, the most reportgen reads in a sheet; split the workbook",
                           sheet.name)
        for first, second in raw.clashes:
            report.add(f"sheets '{first}' and '{second}' have the same name but for case or "
                       "spaces; reportgen cannot tell which to read: rename or delete one")
        if any(sheet.overlong for sheet in raw.sheets.values()):
            return []
        single, portfolio = raw.sheet("Partnership"), raw.sheet("Partnerships")
        if single is None and portfolio is None:
            report.add("no 'Partnership' sheet (or 'Partnerships' sheet for a portfolio)")
        is_portfolio = portfolio is not None
        # listed: every partnership named (valid or not), so its rows are still checked
        listed: dict[str, Partnership | None]
        if portfolio is not None:
            listed = self._portfolio(portfolio)
        else:
            listed = {"": self._single(single) if single is not None else None}
        kpis = self._table("KPIs", KPI_COLUMNS, KPI_REQUIRED, is_portfolio, required=True)
        risks = self._table("Risks", RISK_COLUMNS, RISK_REQUIRED, is_portfolio, required=True)
        decisions = self._table("Decisions", DECISION_COLUMNS, DECISION_REQUIRED, is_portfolio,
                                required=False)
        actions = self._table("Actions", ACTION_COLUMNS, ACTION_REQUIRED, is_portfolio,
                              required=False)
        grouped_kpis = self._group(kpis, listed, is_portfolio)
        grouped_risks = self._group(risks, listed, is_portfolio)
        grouped_decisions = self._group(decisions, listed, is_portfolio)
        grouped_actions = self._group(actions, listed, is_portfolio)
        reviews = []
        tables = {"KPIs": (kpis, grouped_kpis), "Risks": (risks, grouped_risks),
                  "Decisions": (decisions, grouped_decisions),
                  "Actions": (actions, grouped_actions)}
        for key, partnership in listed.items():
            if self._too_many(tables, key, partnership, is_portfolio):
                continue
            kpi_objs = self._kpis(grouped_kpis.get(key, []))
            if kpis is not None and not grouped_kpis.get(key):
                where = f" for '{partnership.name}'" if is_portfolio and partnership else ""
                report.add(f"no KPI rows{where}", kpis.sheet.name)
            risk_objs = self._risks(grouped_risks.get(key, []))
            decision_objs = read_decisions(grouped_decisions.get(key, []), self.cells, self.name,
                                           [r.id for r in risk_objs])
            action_objs = read_actions(grouped_actions.get(key, []), self.cells, self.name)
            if partnership is not None:
                reviews.append(ReviewInput(partnership, tuple(kpi_objs), tuple(risk_objs),
                                           tuple(decision_objs), raw.name, raw.sha256,
                                           tuple(action_objs)))
        return reviews

    def _too_many(self, tables: dict[str, tuple[Table | None, dict[str, list[Row]]]], key: str,
                  partnership: Partnership | None, portfolio: bool) -> bool:
        """Whether the partnership has more rows in a sheet than one pack lays out (`PACK_ROWS`):
        each such sheet is refused at the first row past its limit, and nothing more is read."""
        over = False
        for title, (table, grouped) in tables.items():
            rows = grouped.get(key, [])
            limit, what = PACK_ROWS[title]
            if table is None or len(rows) <= limit:
                continue
            name = f" for '{partnership.name}'" if portfolio and partnership else ""
            self.report.add(f"{len(rows):,} {what}{name}: reportgen lays out at most {limit:,} "
                            "in one pack; split the workbook", table.sheet.name,
                            row=rows[limit].number)
            over = True
        return over or self._too_long(tables, key, partnership, portfolio)

    def _too_long(self, tables: dict[str, tuple[Table | None, dict[str, list[Row]]]], key: str,
                  partnership: Partnership | None, portfolio: bool) -> bool:
        """Whether the partnership's KPIs, risks, decisions and actions hold more text than one
        pack lays out (`PACK_TEXT`): refused at the row where it passes the limit."""
        total = 0
        for table, grouped in tables.values():
            for row in grouped.get(key, []):
                total += _text_size(row)
                if total > PACK_TEXT and table is not None:
                    name = f" of '{partnership.name}'" if portfolio and partnership else ""
                    self.report.add(f"the KPIs, risks, decisions and actions{name} hold more than "
                                    f"{PACK_TEXT:,} characters of text by this row, the most "
                                    "reportgen lays out in one pack; shorten the texts or split "
                                    "the workbook", table.sheet.name, row=row.number)
                    return True
        return False

    def _hidden_parts(self, sheet: RawSheet) -> None:
        """Warn of hidden rows and columns that hold data: it goes into the pack unseen."""
        rows = [str(number) for number, _ in sheet.rows if number in sheet.hidden_rows]
        columns = [column_letter(i) for i in sorted(sheet.hidden_columns)
                   if any(len(cells) >= i and cells[i - 1] for _, cells in sheet.rows)]
        for what, found in (("row", rows), ("column", columns)):
            if found:
                shown = ", ".join(found[:5]) + (f" and {len(found) - 5:,} more" * (len(found) > 5))
                verb, pronoun = ("is", "it") if len(found) == 1 else ("are", "them")
                self.report.add(f"{what}{'s' * (len(found) > 1)} {shown} {verb} hidden but {verb} "
                                f"read; unhide {pronoun} to check what goes into the pack",
                                sheet.name, severity=Severity.WARNING)

    # --- the Partnership sheet(s) ---------------------------------------------------------------
    def _single(self, sheet: RawSheet) -> Partnership | None:
        values: dict[str, RawCell | None] = {}
        for number, cells in sheet.rows:
            key_cell = cells[0] if cells else None
            if key_cell is None or key_cell.value is None:
                if len(cells) > 1 and cells[1] is not None:
                    self.report.add("value with no key in column A", sheet.name, f"A{number}")
                continue
            key = normalise(text_of(key_cell))
            if key in {"key", "field"} and number == sheet.rows[0][0]:
                continue  # a header row "Key | Value"
            canonical = PARTNERSHIP_KEYS.get(key)
            if canonical is None:
                self.report.at(key_cell, sheet.name,
                               f"unknown key '{text_of(key_cell)}' is ignored", Severity.INFO)
                continue
            if canonical in values:
                self.report.at(key_cell, sheet.name,
                               f"'{canonical}' is given twice; the first is used")
                continue
            values[canonical] = cells[1] if len(cells) > 1 else None
            if values[canonical] is None:
                values[canonical] = RawCell("B", number, None, "General")
        missing_at = {k: None for k in REQUIRED_KEYS if k not in values}
        for key in missing_at:
            self.report.add(f"required key '{key}' is missing (put it in column A, its value in "
                            "column B)", sheet.name)
        return read_partnership(values, sheet.name, None, self.cells, self.name)

    def _portfolio(self, sheet: RawSheet) -> dict[str, Partnership | None]:
        """Normalised name → partnership (None where its row has errors), in sheet order."""
        table = self._table_of(sheet, PARTNERSHIP_KEYS, REQUIRED_KEYS)
        listed: dict[str, Partnership | None] = {}
        if table is None:
            return listed
        seen: dict[str, int] = {}
        for number, cells in sheet.rows[1:]:
            row = table.row(number, cells)
            values = {name: row.cell(name) for name in table.header}
            key = normalise(text_of(values.get("Partnership")))
            if key in seen:
                self.report.add(f"partnership '{text_of(values.get('Partnership'))}' is listed "
                                f"twice (also row {seen[key]})", sheet.name, row=number)
                continue
            partnership = read_partnership(values, sheet.name, number, self.cells, self.name)
            if key:
                seen[key] = number
                listed[key] = partnership
        if not listed:
            self.report.add("no partnerships listed", sheet.name)
        return listed

    # --- tables -------------------------------------------------------------------------------
    def _table(self, title: str, columns: dict[str, str], required_columns: Iterable[str],
               portfolio: bool, required: bool) -> Table | None:
        sheet = self.raw.sheet(title)
        if sheet is None:
            if required:
                self.report.add(f"no '{title}' sheet")
            return None
        needed = (*required_columns, "Partnership") if portfolio else tuple(required_columns)
        return self._table_of(sheet, columns, needed)

    def _table_of(self, sheet: RawSheet, columns: dict[str, str],
                  required: Iterable[str]) -> Table | None:
        """The sheet as a table, its header row read (None when a required column is missing)."""
        if not sheet.rows or sheet.rows[0][0] != 1:
            self.report.add("the header row (row 1) is empty", sheet.name, row=1)
            return None
        header: dict[str, int] = {}
        for index, c in enumerate(sheet.rows[0][1]):
            if c is None:
                continue
            name = columns.get(normalise(text_of(c)))
            if name is None:
                self.report.at(c, sheet.name, f"column '{text_of(c)}' is not used by reportgen",
                               Severity.INFO)
            elif name in header:
                self.report.at(c, sheet.name, f"column '{name}' appears twice; the first is used")
            else:
                header[name] = index
        missing = [name for name in required if name not in header]
        for name in missing:
            self.report.add(f"required column '{name}' is missing from the header row",
                            sheet.name, row=1)
        return None if missing else Table(sheet, header)

    def _group(self, table: Table | None, listed: dict[str, Partnership | None],
               portfolio: bool) -> dict[str, list[Row]]:
        grouped: dict[str, list[Row]] = {}
        if table is None:
            return grouped
        for number, cells in table.sheet.rows[1:]:
            row = table.row(number, cells)
            key = ""
            if portfolio:
                text = text_of(row.cell("Partnership"))
                key = normalise(text)
                if not key:
                    self.report.add("the Partnership cell is blank; say which partnership this "
                                    "row belongs to", table.sheet.name, row.ref("Partnership"))
                    continue
                if key not in listed:
                    self.report.add(f"partnership '{text}' is not listed on the "
                                    "Partnerships sheet", table.sheet.name,
                                    row.ref("Partnership"))
                    continue
            grouped.setdefault(key, []).append(row)
        return grouped

    def _kpis(self, rows: list[Row]) -> list[Kpi]:
        kpis: list[Kpi] = []
        category = ""
        names: dict[str, Row] = {}  # where each KPI name was first seen
        weights: list[tuple[Fraction, Row]] = []
        report, cells = self.report, self.cells
        text, number = cells.text, cells.number
        for row in rows:
            sheet = row.table.sheet.name
            errors_before = report.errors
            (c_category, c_name, c_metric, c_target, c_actual, c_direction, c_amber, c_weight,
             c_status, c_owner, c_commentary) = row.table.pick(KPI_FIELDS, row.cells)
            given = text(c_category, sheet)
            if given:
                category = given
            elif not category:
                report.add("Category is blank and there is no category above it",
                           sheet, row.ref("Category"))
                category = "?"  # reported once; the rows below continue this one
            name, metric = text(c_name, sheet), text(c_metric, sheet)
            if not name:
                self.cells.blank(c_name, row, "KPI")
            if not metric:
                self.cells.blank(c_metric, row, "Metric")
            if c_target is None:
                target = None
                self.cells.blank(None, row, "Target")
            else:
                target = number(c_target, sheet, "Target")
            actual = None if c_actual is None else number(c_actual, sheet, "Actual")
            amber = None if c_amber is None else number(c_amber, sheet, "Amber Threshold")
            weight = self._weight(c_weight, row)
            direction = cells.choice(c_direction, sheet, DIRECTIONS, Direction.HIGHER,
                                     "direction", "use 'Higher is better' or 'Lower is better'")
            override = cells.choice(c_status, sheet, OVERRIDES, None, "status",
                                    "use Green, Amber or Red (or leave it blank to compute it)")
            if name:
                key = normalise(name)
                if key in names:
                    report.add(f"KPI '{name}' appears twice (also {names[key].ref('KPI')}); KPI "
                               "names must be unique", sheet, row.ref("KPI"))
                names[key] = row
            self._check_scales(row, target, actual, amber)
            if target is not None and amber is not None:
                wrong = (amber.value > target.value if direction is Direction.HIGHER
                         else amber.value < target.value)
                if wrong:
                    side = "above" if direction is Direction.HIGHER else "below"
                    better = "higher" if direction is Direction.HIGHER else "lower"
                    report.add(
                        f"Amber Threshold {format_measure(amber)} is {side} the Target "
                        f"{format_measure(target)}; when {better} is better the threshold is the "
                        "worst value that still counts as Amber", sheet, row.ref("Amber Threshold"))
            if amber is None and target is not None and report.errors == errors_before:
                report.add(f"no Amber Threshold for '{name}': it can only be Green or Red",
                           sheet, row.ref("Amber Threshold"), severity=Severity.WARNING)
            if weight is not None:
                weights.append((weight, row))
            if report.errors > errors_before:
                continue
            assert target is not None and weight is not None
            kpis.append(Kpi(
                category=category, name=name, metric=metric, target=target, actual=actual,
                direction=direction, amber_threshold=amber, weight=weight, override=override,
                owner=text(c_owner, sheet), commentary=text(c_commentary, sheet),
                source=SourceRef(self.name, sheet, row=row.number, columns=row.table.letters),
            ))
        if weights and len(weights) == len(rows):
            total = exact_sum([w for w, _ in weights])
            if abs(total - 1) > Fraction(5, 10000):
                first, last = weights[0][1].ref("Weight"), weights[-1][1].ref("Weight")
                report.add(
                    f"weights add up to {format_percent(total, 2 if total * 100 % 1 else 0)}, "
                    "not 100%", rows[0].table.sheet.name, f"{first}:{last}")
        return kpis

    def _risks(self, rows: list[Row]) -> list[Risk]:
        return read_risks(rows, self.name, self.cells, self.cells.blank, self._scale)

    # --- cells that need their row's context ----------------------------------------------------
    def _weight(self, c: RawCell | None, row: Row) -> Fraction | None:
        if c is None:
            self.cells.blank(None, row, "Weight")
            return None
        measure = self.cells.number(c, row.table.sheet.name, "Weight")
        if measure is None:
            return None
        value = _share(measure.value, measure.percent)
        if value is None:
            self.report.add(f"Weight {format_measure(measure)} is outside 0–100%",
                            row.table.sheet.name, row.ref("Weight"))
            return None
        return value

    def _scale(self, c: RawCell | None, row: Row, column: str) -> int | None:
        sheet = row.table.sheet.name
        if c is None:
            self.cells.blank(None, row, column)
            return None
        measure = self.cells.number(c, sheet, column)
        if measure is None:
            return None
        value = measure.value
        if measure.percent or value != int(value) or not 1 <= value <= 5:
            self.report.at(c, sheet, f"{column} must be a whole number from 1 to 5, not "
                           f"{format_measure(measure)}")
            return None
        return int(value)

    def _check_scales(self, row: Row, target: Measure | None, actual: Measure | None,
                      amber: Measure | None) -> None:
        """Target, Actual and Amber Threshold must all be percentages or all plain numbers."""
        if len({m.percent for m in (target, actual, amber) if m is not None}) < 2:
            return
        given = {k: m for k, m in (("Target", target), ("Actual", actual),
                                   ("Amber Threshold", amber)) if m is not None}
        percent = [k for k, m in given.items() if m.percent]
        plain = [k for k, m in given.items() if not m.percent]
        shown = ", ".join(f"{k} {format_measure(given[k])}" for k in given)
        self.report.add(f"{' and '.join(plain)} {'is' if len(plain) == 1 else 'are'} a plain "
                        f"number but {' and '.join(percent)} "
                        f"{'is a percentage' if len(percent) == 1 else 'are percentages'} "
                        f"({shown}); write them all as percentages or all as plain numbers",
                        row.table.sheet.name, row.ref(plain[0]))


@lru_cache(maxsize=1024)
def _share(value: float, percent: bool) -> Fraction | None:
    """A weight cell's value as an exact share of 1 (0.3 and 30, a whole percent, are 3/10);
    None when it is outside 0–100%.

    Worked out from the decimal the cell shows, not the binary float; a portfolio repeats the
    same few weights on every partnership, so each is worked out once.
    """
    share = Fraction(str(value))
    if not percent and share > 1:
        share /= 100
    return share if 0 <= share <= 1 else None


def _text_size(row: Row) -> int:
    """The characters of text in the columns of `row` that go into the pack (a portfolio's
    Partnership column, which only says whose row it is, not counted)."""
    header = row.table.header
    skip = header.get("Partnership")
    cells = [row.cells[i] for i in header.values() if i != skip]
    return sum(len(c.value) for c in cells if c is not None and isinstance(c.value, str))
