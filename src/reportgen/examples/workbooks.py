"""The example partnership (FinCorp–TechDrive, from the governance case study) as workbooks.

`reportgen init` writes Q2 and Q3 2025. Q3 reproduces the reference scorecard and risk matrix
exactly (overall 83, Amber); Q2 is the quarter before, when milestone delivery was still Green.
Each quarter also has its decisions (one requested in Q2 is taken in Q3) and the actions from
the review before it (one of Q3's is overdue at the review). The workbooks guide their user:
drop-down lists, whole-number checks, percentage formats and an Instructions sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PARTNERSHIP = "FinCorp–TechDrive Wealth Platform"
PCT0, PCT1, PCT2 = "0%", "0.0%", "0.00%"
MONEY = '"$"0.0"M"'
SIGNED = "+0;-0;0"
ONE_DP = "0.0"


@dataclass(frozen=True)
class Cell:
    """A value with the number format the example writes it in."""

    value: Any
    number_format: str | None = None


KPI_HEADER = (
    "Category", "KPI", "Metric", "Target", "Actual", "Direction", "Amber Threshold",
    "Weight", "Status", "Owner", "Commentary",
)
RISK_HEADER = (
    "Risk ID", "Risk Description", "Category", "Probability", "Impact",
    "Mitigation Strategy / Sponsor Action", "Owner", "Status", "Due", "Target Probability",
    "Target Impact",
)
DECISION_HEADER = ("ID", "Decision", "Owner", "Due", "Status", "Notes", "Recommendation",
                   "Financial Impact")
ACTION_HEADER = ("ID", "Action", "Owner", "Due", "Status", "Notes")

_KPIS = (
    # category, kpi, metric, target, q2 actual, q3 actual, amber, weight, owner, q2 note, q3 note
    ("Financial Performance", "Joint Revenue Growth", "% QoQ", Cell(0.05, PCT0),
     Cell(0.046, PCT1), Cell(0.062, PCT1), Cell(0.04, PCT0), 0.30, "Head of Partner Sales",
     "Growth slowed while the advisory channel was onboarded.",
     "Advisory channel now live; growth ahead of plan."),
    (None, "Cost Synergy Realization", "$M USD", Cell(2.0, MONEY), Cell(1.6, MONEY),
     Cell(1.8, MONEY), Cell(1.5, MONEY), 0.20, "Partnership Finance Lead",
     "Shared hosting savings phased over two quarters.",
     "Shared hosting savings landed; licence consolidation slips to Q4."),
    ("Operational Stability", "Service Level Agreement (SLA) Adherence", "% Uptime",
     Cell(0.999, PCT1), Cell(0.9992, PCT2), Cell(0.9995, PCT2), Cell(0.995, PCT1), 0.15,
     "TechDrive Service Manager", "No priority-1 incidents.", "No priority-1 incidents."),
    (None, "Joint Project Milestone Delivery", "% On-Time", Cell(0.95, PCT0), Cell(0.96, PCT0),
     Cell(0.88, PCT0), Cell(0.90, PCT0), 0.15, "Joint PMO",
     "Release train on schedule.",
     "TechDrive moved developers to a larger client; feature releases slipped. "
     "Sponsor proposes funding a dedicated team (decision D-02)."),
    ("Strategic Alignment", "Customer Satisfaction (Joint Offering)", "NPS", Cell(50, SIGNED),
     Cell(52, SIGNED), Cell(55, SIGNED), Cell(45, SIGNED), 0.10, "Client Experience Lead",
     "Survey of 410 platform clients.", "Survey of 530 platform clients."),
    ("Relationship Health", "Executive Engagement Score", "1-5 Scale", Cell(4.5, ONE_DP),
     Cell(4.5, ONE_DP), Cell(4.0, ONE_DP), Cell(3.5, ONE_DP), 0.10, "Alliance Manager",
     "Both sponsors attended every steering committee.",
     "Partner sponsor missed the August steering committee."),
)

_RISKS = (
    # id, description, category, (q2 p, i), (q3 p, i), mitigation, owner, (q2 due, q3 due),
    # (target p, i)
    ("SR-01", "Partner is acquired by a direct competitor.", "Strategic Drift", (2, 5), (2, 5),
     "Maintain strong executive relationships; ensure change-of-control clauses in contract are "
     "robust. Sponsor to review quarterly with legal.", "Executive Sponsor",
     (dt.date(2025, 9, 30), dt.date(2025, 12, 31)), (1, 5)),
    ("SR-02", "Disruptive technology makes joint offering obsolete.", "Strategic Drift", (3, 3),
     (3, 4), "Sponsor to champion annual joint innovation workshop to explore new technologies "
     "and pivot the roadmap if necessary.", "Executive Sponsor",
     (dt.date(2025, 9, 30), dt.date(2025, 11, 28)), (2, 3)),
    ("SR-03", "Key executive talent leaves partner organization.", "Relationship Collapse", (3, 3),
     (4, 3), "Ensure succession planning is a topic in quarterly strategic reviews. Sponsor to "
     "build relationships with rising stars at partner.", "Alliance Manager",
     (dt.date(2025, 9, 30), dt.date(2026, 1, 16)), (2, 3)),
    ("SR-04", "Internal business unit de-prioritizes partnership needs.", "Strategic Drift",
     (3, 3), (3, 3), "Sponsor to regularly communicate partnership wins and strategic value to "
     "the broader executive team. Act as internal champion.", "Executive Sponsor",
     (dt.date(2025, 8, 29), dt.date(2025, 10, 31)), (2, 3)),
)

_DECISIONS = {
    # id, decision, owner, due, status, notes, recommendation, financial impact
    2: (
        ("D-01", "Renew the joint innovation workshop for 2026", "Dana Whitfield",
         dt.date(2025, 9, 30), "Open", "The innovation office is costing the 2026 programme.",
         "Renew for 2026 at the 2025 budget", Cell(0.2, MONEY)),
    ),
    3: (
        ("D-01", "Renew the joint innovation workshop for 2026", "Dana Whitfield",
         dt.date(2025, 9, 30), "Decided", "Confirmed on 25 Sep; date set for February.",
         "Renew for 2026 at the 2025 budget", Cell(0.2, MONEY)),
        ("D-02", "Fund a dedicated TechDrive delivery team in exchange for a larger revenue "
         "share on new features", "Dana Whitfield", dt.date(2025, 10, 31), "Open",
         "Restores milestone delivery; needs an amendment to the partnership agreement.",
         "Approve: four dedicated engineers for 12 months", Cell(1.2, MONEY)),
        ("D-03", "Approve the contract amendment for revenue share on jointly built features",
         "General Counsel", dt.date(2025, 11, 15), "Open", "Follows D-02.",
         "Approve, subject to legal review of the change-of-control clause",
         Cell("+2 pts revenue share")),
    ),
}

_ACTIONS = {
    # id, action, owner, due, status, notes: what the review before this quarter's agreed
    2: (
        ("A-01", "Onboard the advisory channel onto the joint platform", "Head of Partner Sales",
         dt.date(2025, 6, 30), "Done", "Live since 24 June."),
    ),
    3: (
        ("A-01", "Share the revised joint release plan with both sponsors", "Joint PMO",
         dt.date(2025, 8, 15), "Done", "Shared on 12 August."),
        ("A-02", "Agree a succession plan for TechDrive's platform leadership", "Marcus Lee",
         dt.date(2025, 9, 30), "Open", "Draft under review since the August steering committee."),
        ("A-03", "Complete the licence consolidation review", "Partnership Finance Lead",
         dt.date(2025, 11, 28), "Open", "Savings expected in Q4."),
    ),
}


def partnership_rows(quarter: int) -> list[tuple[str, Cell]]:
    review = dt.date(2025, 7, 15) if quarter == 2 else dt.date(2025, 10, 14)
    following = dt.date(2025, 10, 14) if quarter == 2 else dt.date(2026, 1, 20)
    return [
        ("Partnership", Cell(PARTNERSHIP)),
        ("Partner", Cell("TechDrive Inc.")),
        ("Quarter", Cell(f"2025-Q{quarter}")),
        ("Executive Sponsor", Cell("Dana Whitfield, SVP Innovation, FinCorp")),
        ("Partner Sponsor", Cell("Marcus Lee, COO, TechDrive")),
        ("Alliance Manager", Cell("Priya Raman")),
        ("Governance Model", Cell("Joint Steering Committee")),
        ("Review Date", Cell(review, "yyyy-mm-dd")),
        ("Next Review", Cell(following, "yyyy-mm-dd")),
        ("Distribution", Cell("Marcus Lee <marcus.lee@techdrive.example>; "
                              "Elena Ortiz <elena.ortiz@techdrive.example>; "
                              "Dana Whitfield <dana.whitfield@fincorp.example>")),
        ("Confidentiality", Cell("Confidential")),
    ]


def kpi_rows(quarter: int) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for cat, name, metric, target, q2, q3, amber, weight, owner, note2, note3 in _KPIS:
        actual, note = (q2, note2) if quarter == 2 else (q3, note3)
        rows.append((
            Cell(cat), Cell(name), Cell(metric), target, actual, Cell("Higher is better"),
            amber, Cell(weight, PCT0), Cell(None), Cell(owner), Cell(note),
        ))
    return rows


def risk_rows(quarter: int) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for rid, text, cat, q2, q3, mitigation, owner, dues, (tp, ti) in _RISKS:
        p, i = q2 if quarter == 2 else q3
        due = dues[0] if quarter == 2 else dues[1]
        rows.append((Cell(rid), Cell(text), Cell(cat), Cell(p), Cell(i), Cell(mitigation),
                     Cell(owner), Cell("Open"), Cell(due, "yyyy-mm-dd"), Cell(tp), Cell(ti)))
    return rows


def decision_rows(quarter: int) -> list[tuple[Cell, ...]]:
    return [
        (Cell(i), Cell(t), Cell(o), Cell(d, "yyyy-mm-dd"), Cell(s), Cell(n), Cell(r), impact)
        for i, t, o, d, s, n, r, impact in _DECISIONS[quarter]
    ]


def action_rows(quarter: int) -> list[tuple[Cell, ...]]:
    return [
        (Cell(i), Cell(t), Cell(o), Cell(d, "yyyy-mm-dd"), Cell(s), Cell(n))
        for i, t, o, d, s, n in _ACTIONS[quarter]
    ]


INSTRUCTIONS = (
    "How to fill in this workbook",
    "",
    "Partnership: one key per row in column A, its value in column B. Partnership, Partner, "
    "Quarter and Executive Sponsor are required.",
    "Quarter: write 2025-Q3 (Q3 2025, Q3-2025 and 2025Q3 are read too).",
    "Distribution: recipients as Name <address>, separated by semicolons. A recipient who reads "
    "another language than the pack's has its tag after the address: Name <address> [ja].",
    "KPIs: one KPI per row. Leave Category blank to continue the category above.",
    "Target, Actual and Amber Threshold: use the same form in a row — all percentages or all "
    "plain numbers. Leave Actual blank when there is no data this quarter.",
    "Amber Threshold: the worst value that still counts as Amber.",
    "Weight: the KPI's share of the overall score; the weights must add up to 100%.",
    "Status: leave blank to let reportgen compute it; a value here overrides it and the pack "
    "says so.",
    "Risks: Probability and Impact are whole numbers from 1 to 5; score = Probability × Impact. "
    "Due (the mitigation's due date), Target Probability and Target Impact (where the mitigation "
    "should bring the risk; give both or neither) are optional.",
    "Decisions: items that need the executive sponsor; mark them Decided once settled. "
    "Recommendation and Financial Impact are optional and printed as written.",
    "Actions: what the last review agreed, with an owner and a due date; mark them Done once "
    "finished. Open actions past their due date are counted in the executive summary.",
    "Check the workbook with: reportgen validate THIS_FILE.xlsx",
)


def write_example(path: Path, quarter: int) -> None:
    """Write the example workbook for 2025-Q`quarter` (2 or 3) to `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F3A5F")
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    info = wb.worksheets[0]
    info.title = "Instructions"
    for row, line in enumerate(INSTRUCTIONS, start=1):
        info.cell(row, 1, line).alignment = Alignment(wrap_text=True)
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 110

    sheet = wb.create_sheet("Partnership")
    for key, cell in partnership_rows(quarter):
        sheet.append((key, cell.value))
        if cell.number_format:
            sheet.cell(sheet.max_row, 2).number_format = cell.number_format
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    governance = DataValidation(
        type="list",
        formula1='"Direct Sponsorship,Joint Steering Committee,Three-Tiered Governance"',
        allow_blank=True,
    )
    sheet.add_data_validation(governance)
    governance.add("B7")

    def table(title: str, header: tuple[str, ...], rows: list[tuple[Cell, ...]],
              widths: tuple[int, ...]) -> Any:
        ws = wb.create_sheet(title)
        ws.append(header)
        for index, cell in enumerate(ws[1], start=1):
            cell.font, cell.fill = header_font, header_fill
            ws.column_dimensions[cell.column_letter].width = widths[index - 1]
        for values in rows:
            ws.append([c.value for c in values])
            for column, c in enumerate(values, start=1):
                target = ws.cell(ws.max_row, column)
                target.alignment = wrap
                if c.number_format:
                    target.number_format = c.number_format
        ws.freeze_panes = "A2"
        return ws

    kpis = table("KPIs", KPI_HEADER, kpi_rows(quarter), (22, 34, 12, 10, 10, 17, 16, 9, 9, 24, 50))
    last = 200
    direction = DataValidation(type="list", formula1='"Higher is better,Lower is better"',
                               allow_blank=True)
    status = DataValidation(type="list", formula1='"Green,Amber,Red"', allow_blank=True)
    for dv, col in ((direction, "F"), (status, "I")):
        kpis.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
    for row in range(len(_KPIS) + 2, last + 1):
        kpis[f"H{row}"].number_format = PCT0

    risks = table("Risks", RISK_HEADER, risk_rows(quarter),
                  (9, 44, 20, 12, 10, 60, 20, 10, 12, 18, 14))
    scale = DataValidation(type="whole", operator="between", formula1="1", formula2="5",
                           showErrorMessage=True, errorTitle="Whole number 1–5",
                           error="Probability and Impact are whole numbers from 1 to 5.")
    state = DataValidation(type="list", formula1='"Open,Closed"', allow_blank=True)
    risks.add_data_validation(scale)
    risks.add_data_validation(state)
    scale.add(f"D2:E{last}")
    scale.add(f"J2:K{last}")
    state.add(f"H2:H{last}")

    decisions = table("Decisions", DECISION_HEADER, decision_rows(quarter),
                      (8, 60, 20, 12, 10, 50, 40, 16))
    decided = DataValidation(type="list", formula1='"Open,Decided"', allow_blank=True)
    decisions.add_data_validation(decided)
    decided.add(f"E2:E{last}")

    actions = table("Actions", ACTION_HEADER, action_rows(quarter), (8, 60, 24, 12, 10, 50))
    done = DataValidation(type="list", formula1='"Open,Done"', allow_blank=True)
    actions.add_data_validation(done)
    done.add(f"E2:E{last}")

    wb.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def example_filename(quarter: int) -> str:
    return f"fincorp-techdrive-2025-Q{quarter}.xlsx"
