"""The workbook format as data (docs/workbook.md): the sheets read, the columns and keys each
may have (aliases included, matched after `normalise`), which are required, and the words
accepted in the columns that take one of a few values."""

from __future__ import annotations

from ..domain.model import (
    ActionState,
    DecisionState,
    Direction,
    GovernanceModel,
    RiskState,
    Status,
)
from ..domain.text import normalise

SHEETS = ("Partnership", "Partnerships", "KPIs", "Risks", "Decisions", "Actions")

# The most rows of each sheet one pack lays out, and what they are called, and the most text in
# them all: a workbook at every limit at once builds well within the default `render_timeout`
# and 1 GiB a worker, measured (docs/workbook.md#limits); past one, `validate` refuses the
# partnership.
PACK_ROWS = {"KPIs": (200, "KPIs"), "Risks": (200, "risks"), "Decisions": (200, "decisions"),
             "Actions": (200, "actions")}
PACK_TEXT = 100_000  # characters of text in one pack's KPIs, risks, decisions and actions

PARTNERSHIP_KEYS = {
    "partnership": "Partnership", "partner": "Partner", "quarter": "Quarter",
    "executive sponsor": "Executive Sponsor", "partner sponsor": "Partner Sponsor",
    "alliance manager": "Alliance Manager", "governance model": "Governance Model",
    "review date": "Review Date", "next review": "Next Review", "distribution": "Distribution",
    "confidentiality": "Confidentiality", "language": "Language",
}
REQUIRED_KEYS = ("Partnership", "Partner", "Quarter", "Executive Sponsor")

KPI_COLUMNS = {
    "category": "Category", "kpi": "KPI", "metric": "Metric", "target": "Target",
    "actual": "Actual", "direction": "Direction", "amber threshold": "Amber Threshold",
    "weight": "Weight", "status": "Status", "owner": "Owner", "commentary": "Commentary",
    "partnership": "Partnership",
}
KPI_REQUIRED = ("Category", "KPI", "Metric", "Target", "Weight")
RISK_COLUMNS = {
    "risk id": "Risk ID", "risk": "Risk", "description": "Risk", "risk description": "Risk",
    "category": "Category", "probability": "Probability", "probability (1-5)": "Probability",
    "impact": "Impact", "impact (1-5)": "Impact", "mitigation": "Mitigation",
    "mitigation strategy / sponsor action": "Mitigation", "owner": "Owner", "status": "Status",
    "due": "Due", "due date": "Due", "mitigation due": "Due",
    "target probability": "Target Probability", "target probability (1-5)": "Target Probability",
    "target impact": "Target Impact", "target impact (1-5)": "Target Impact",
    "partnership": "Partnership",
}
RISK_REQUIRED = ("Risk ID", "Risk", "Probability", "Impact")
DECISION_COLUMNS = {
    "id": "ID", "decision": "Decision", "owner": "Owner", "due": "Due", "status": "Status",
    "notes": "Notes", "recommendation": "Recommendation", "financial impact": "Financial Impact",
    "risk": "Risk", "risks": "Risk", "risk id": "Risk", "risk ids": "Risk",
    "answers risk": "Risk", "partnership": "Partnership",
}
DECISION_REQUIRED = ("Decision",)
ACTION_COLUMNS = {
    "id": "ID", "action": "Action", "owner": "Owner", "due": "Due", "status": "Status",
    "notes": "Notes", "partnership": "Partnership",
}
ACTION_REQUIRED = ("Action",)

DIRECTIONS = {"higher is better": Direction.HIGHER, "higher": Direction.HIGHER,
               "up": Direction.HIGHER, "lower is better": Direction.LOWER,
               "lower": Direction.LOWER, "down": Direction.LOWER}
OVERRIDES = {"green": Status.GREEN, "g": Status.GREEN, "amber": Status.AMBER,
              "a": Status.AMBER, "red": Status.RED, "r": Status.RED}
GOVERNANCE = {normalise(m.value): m for m in GovernanceModel}
RISK_STATES = {"open": RiskState.OPEN, "closed": RiskState.CLOSED}
DECISION_STATES = {"open": DecisionState.OPEN, "decided": DecisionState.DECIDED,
                    "closed": DecisionState.DECIDED}
ACTION_STATES = {"open": ActionState.OPEN, "in progress": ActionState.OPEN,
                  "done": ActionState.DONE, "closed": ActionState.DONE,
                  "complete": ActionState.DONE, "completed": ActionState.DONE}

# the columns a KPI or risk row is read from, in the order validation unpacks them
KPI_FIELDS = ("Category", "KPI", "Metric", "Target", "Actual", "Direction", "Amber Threshold",
               "Weight", "Status", "Owner", "Commentary")
RISK_FIELDS = ("Risk ID", "Risk", "Category", "Probability", "Impact", "Mitigation", "Owner",
                "Status", "Due", "Target Probability", "Target Impact")

# --- limits that let every later step finish what `validate` passed (docs/workbook.md#limits)
# Word refuses a core property longer than 255 characters. The longest built from workbook text:
# keywords "Quarterly Business Review, {Partnership}, {Partner}, Q3 2025" (38 + 100 + 100),
# title "Quarterly Business Review: {Partnership}, Q3 2025" (36 + 100), the author (the Alliance
# Manager), the content status (Confidentiality) and the comments, "Built by reportgen {version}
# from {file name} (SHA-256 {64 digits})." (about 110 + the file name).
TEXT_LIMITS = {"Partnership": 100, "Partner": 100, "Executive Sponsor": 100,
               "Partner Sponsor": 100, "Alliance Manager": 100, "Confidentiality": 100}
MAX_FILE_NAME = 100  # characters in the workbook's file name
YEARS = range(1900, 3000)  # of quarters and dates: four digits, as every output writes them
