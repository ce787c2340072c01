"""Stress workbooks built in code: real-world content the example does not have.

Names in Japanese, Korean, Arabic and Hebrew (right to left), Devanagari and Thai; emoji; risk
descriptions of 400 characters; long commentary; 40 KPIs under long category and KPI names;
IDs like "SR-2025-0001"; currency and percentage values. `stress_sheets()` is the full load;
`first_quarter_sheets()`, `many_kpis_sheets()` (200 KPIs of 0.5%, 30 risks) and
`quiet_sheets()` (no risks, no decisions) are the other shapes the parity and page-fit tests
build. `scripts/stress_packs.py` writes them for looking at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from reportgen.examples import workbooks as example
from workbooks import Rows, write

PARTNERSHIP = "Sakura–Han River Payments Alliance 🌸"
PARTNER = "株式会社テックドライブ・ジャパン (TechDrive Japan K.K.)"
PEOPLE = (
    "田中 美咲 (Head of Partner Sales, Japan)",
    "김민준, Chief Partnership Officer",
    "فاطمة الزهراء, Regional Director MENA",
    "יעל כהן-לוי, Alliance Manager",
    "प्रिया शर्मा, Delivery Lead",
    "สมชาย ใจดี, Service Manager",
    "Dana Whitfield-Montgomery, SVP Innovation",
    "Joint PMO 🚀",
)
CATEGORIES = (  # name, KPIs in it: uneven groups, so some run over a page
    ("Financial Performance and Revenue Recognition", 12),
    ("Operational Stability and Service Continuity", 10),
    ("Customer and Market Outcomes (Joint Offering)", 8),
    ("Relationship Health and Executive Engagement", 6),
    ("Technology Integration and Platform Roadmap", 4),
)
KPI_NAMES = (
    "Joint Revenue Growth across Asia-Pacific Wealth Platforms",
    "Cost Synergy Realization from Shared Hosting and Licence Consolidation",
    "Service Level Agreement (SLA) Adherence for Tier-1 Payment Processing",
    "Joint Project Milestone Delivery against the Integrated Release Train",
    "Customer Satisfaction (Net Promoter Score) for the Co-branded Offering",
    "Executive Engagement Score at the Joint Steering Committee",
    "顧客満足度 (日本市場)",
    "고객 유지율 (한국 시장)",
    "مؤشر رضا الشركاء",
    "ग्राहक संतुष्टि सूचकांक",
    "ดัชนีความพึงพอใจของลูกค้า",
    "Incident Response Time ⏱️ (priority-1)",
)
COMMENTARY = (
    "Advisory channel now live in Tokyo and Seoul; growth ahead of plan for the second quarter "
    "running ✅. The partner's onboarding of 1,240 new advisers took three weeks longer than "
    "agreed because of the additional KYC checks required by the regulator, which the joint "
    "PMO has absorbed into the Q4 plan without moving the launch date.",
    "田中さんのチームが新しいオンボーディング手順を導入しました。来四半期に効果を測定します。",
    "تم تحسين زمن الاستجابة بعد نقل الخدمة إلى مركز البيانات الجديد في دبي.",
    "Licence consolidation slips to Q4: procurement-approval-workflow-for-enterprise-licences "
    "is still waiting for the partner's legal sign-off.",
)
RISK_TEXT = (
    "The partner is acquired by a direct competitor in the Asia-Pacific payments market, which "
    "would put the joint roadmap, the shared customer base of 38,000 wealth-management clients "
    "and the co-branded advisory channel at risk; change-of-control clauses in the 2023 "
    "agreement cover only the licence, not the data-sharing arrangements, and the regulator "
    "would need ninety days' notice of any transfer of client records across borders. "
)
MITIGATION = (
    "Maintain strong executive relationships at both sponsors' level; ensure change-of-control "
    "clauses in the contract are robust and extended to data sharing. Sponsor to review "
    "quarterly with legal (법무팀) and the regulator liaison office 🏛️."
)


def stress_sheets(quarter: str = "2025-Q3") -> dict[str, Rows]:
    """40 KPIs, 14 risks and 6 decisions in many scripts and at length."""
    return {
        "Partnership": _partnership(quarter),
        "KPIs": _kpis(),
        "Risks": _risks(14),
        "Decisions": _decisions(6),
    }


def many_kpis_sheets() -> dict[str, Rows]:
    """200 KPIs of 0.5% in eight categories, 30 risks and 6 decisions: a long workbook."""
    categories = tuple((f"{name} {n}" if n else name, 25)
                       for n, (name, _) in enumerate(CATEGORIES * 2) if n < 8)
    return {
        "Partnership": _partnership("2025-Q3"),
        "KPIs": _kpis(categories, 0.005),
        "Risks": _risks(30),
        "Decisions": _decisions(6),
    }


def first_quarter_sheets() -> dict[str, Rows]:
    """The stress workbook as a first quarter (2025-Q1), with fewer rows."""
    sheets = stress_sheets("2025-Q1")
    sheets["Risks"] = _risks(5)
    sheets["Decisions"] = _decisions(2)
    return sheets


def quiet_sheets() -> dict[str, Rows]:
    """The example's KPIs with no risks and no decisions sheet."""
    sheets = {name: [list(row) for row in rows] for name, rows in _example().items()}
    sheets["Risks"] = sheets["Risks"][:1]
    del sheets["Decisions"]
    return sheets


def write_stress(path: Path, sheets: dict[str, Rows] | None = None) -> Path:
    """Write `sheets` (default: `stress_sheets()`), its money and percentages formatted."""
    return write(path, sheets or stress_sheets(), quarter_formats=None, tweak=_formats)


def write_quiet(path: Path) -> Path:
    """Write `quiet_sheets()` with the example's number formats."""
    return write(path, quiet_sheets())


def _example() -> dict[str, Rows]:
    from workbooks import example_sheets

    return example_sheets()


def _partnership(quarter: str) -> Rows:
    return [
        ["Partnership", PARTNERSHIP],
        ["Partner", PARTNER],
        ["Quarter", quarter],
        ["Executive Sponsor", PEOPLE[1]],
        ["Partner Sponsor", PEOPLE[2]],
        ["Alliance Manager", PEOPLE[3]],
        ["Governance Model", "Three-Tiered Governance"],
        ["Review Date", "2025-10-14"],
        ["Next Review", "2026-01-20"],
        ["Distribution", "田中 美咲 <misaki.tanaka@techdrive.example>; 김민준 "
                         "<minjun.kim@hanriver.example>; Dana Whitfield-Montgomery "
                         "<dana.whitfield-montgomery@fincorp.example>"],
        ["Confidentiality", "Strictly Confidential — 社外秘"],
    ]


def _kpis(categories: tuple[tuple[str, int], ...] = CATEGORIES, weight: float = 0.025) -> Rows:
    rows: Rows = [list(example.KPI_HEADER)]
    number = 0
    for category, count in categories:
        for index in range(count):
            name = KPI_NAMES[number % len(KPI_NAMES)]
            if number >= len(KPI_NAMES):
                name = f"{name} #{number + 1}"
            rows.append([category if index == 0 else None, name, *_values(number, weight),
                         PEOPLE[number % len(PEOPLE)],
                         COMMENTARY[number % len(COMMENTARY)] if number % 3 == 0 else None])
            number += 1
    return rows


def _values(number: int, weight: float) -> list[Any]:
    """Metric, target, actual, direction, amber threshold, weight, status: the four kinds of
    value in turn (percentage, money, plain, none), each status in turn."""
    kind = number % 4
    if kind == 0:
        return ["% Uptime", 0.9995, [0.9991, 0.9997, 0.9980][number % 3], "Higher is better",
                0.999, weight, None]
    if kind == 1:
        return ["$M USD", 12.5, [13.2, 11.9, 9.4][number % 3], "Higher is better", 11.0, weight,
                None]
    if kind == 2:
        return ["Days", 4, [3, 5, 9][number % 3], "Lower is better", 6, weight,
                "Amber" if number == 6 else None]
    return ["NPS", 50, None, "Higher is better", 45, weight, None]


def _formats(wb: Workbook) -> None:
    kpis = wb["KPIs"]
    for row in range(2, kpis.max_row + 1):
        metric = kpis.cell(row, 3).value
        for column in (4, 5, 7):
            if metric == "% Uptime":
                kpis.cell(row, column).number_format = "0.00%"
            elif metric == "$M USD":
                kpis.cell(row, column).number_format = '"$"#,##0.0"M"'
        kpis.cell(row, 8).number_format = "0.0%"


def _risks(count: int) -> Rows:
    rows: Rows = [list(example.RISK_HEADER)]
    categories = ("Strategic Drift", "Relationship Collapse", "規制・コンプライアンス",
                  "Cyber-security and Data Residency")
    for index in range(count):
        probability, impact = 1 + index * 2 % 5, 5 - index % 5
        text = RISK_TEXT if index % 2 == 0 else RISK_TEXT[:180] + "パートナーの主要人材が退職する。"
        rows.append([f"SR-2025-{index + 1:04d}", text.strip(), categories[index % 4],
                     probability, impact, MITIGATION if index % 3 else MITIGATION[:90],
                     PEOPLE[index % len(PEOPLE)], "Closed" if index == count - 1 else "Open"])
    return rows


def _decisions(count: int) -> Rows:
    rows: Rows = [list(example.DECISION_HEADER)]
    for index in range(count):
        rows.append([f"DEC-2025-{index + 1:04d}",
                     "Fund a dedicated TechDrive delivery team in exchange for a larger revenue "
                     "share on new features 💴 (新機能の収益分配)",
                     PEOPLE[(index + 2) % len(PEOPLE)], f"2025-{10 + index % 3}-15",
                     "Decided" if index % 3 == 2 else "Open",
                     "Restores milestone delivery; needs an amendment to the partnership "
                     "agreement — 계약 수정 필요." if index % 2 == 0 else ""])
    return rows
