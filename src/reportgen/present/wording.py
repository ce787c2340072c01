"""Every fixed sentence and label the packs print, defined once: section titles, column headings,
empty-state sentences and the methodology. The PDF (through the templates, as `words`) and the
Word pack both take them from here, so the two formats can never word a thing differently.

Sentences that carry figures are built in the view (`present/`); what is here carries none, or
takes the settings in force (`methodology`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sections:
    """Headings, in the order the pack prints them."""

    contents: str = "Contents"
    summary: str = "Executive summary"
    attention: str = "For the sponsors’ attention"
    top_risks: str = "Top risks"
    open_decisions: str = "Open decisions"
    scorecard: str = "Partnership Health Scorecard"
    risks: str = "Strategic Risk Assessment Matrix"
    heat_map: str = "Heat map"
    closed_risks: str = "Closed risks"
    trend: str = "Trend"
    kpi_grid: str = "KPI status by quarter"
    decisions: str = "Decisions and escalations"
    governance: str = "Governance"
    appendix: str = "Appendix: methodology and provenance"
    method_status: str = "KPI status"
    method_points: str = "Points and overall score"
    method_risks: str = "Risk score and rating"
    method_attention: str = "For the sponsors’ attention"
    provenance: str = "Provenance"


@dataclass(frozen=True)
class Columns:
    """Table headings, one tuple per table, left to right."""

    attention: tuple[str, ...] = ("#", "Type", "Item", "Why it is here")
    top_risks: tuple[str, ...] = ("ID", "Risk", "Score", "Rating", "Trend")
    open_decisions: tuple[str, ...] = ("ID", "Decision", "Owner", "Due")
    # "Previous" and "Trend" name last quarter when there is one (`PackView.scorecard_headings`)
    scorecard: tuple[str, ...] = ("KPI", "Owner", "Target", "Previous", "Actual", "Variance",
                                  "Status", "Weight", "Points", "Trend")
    scorecard_numbers: tuple[str, ...] = ("Target", "Previous", "Actual", "Variance", "Weight",
                                          "Points")  # right-aligned
    risks: tuple[str, ...] = ("ID", "Risk", "P", "I", "Score", "Rating",
                              "Mitigation / sponsor action", "Owner", "Due", "Trend")
    closed_risks: tuple[str, ...] = ("ID", "Risk", "Last score", "Owner",
                                     "Mitigation / sponsor action")
    decisions: tuple[str, ...] = ("ID", "Decision", "Owner", "Due", "Status", "Notes")
    kpi_grid_first: str = "KPI"
    factors: tuple[str, ...] = ("Status", "Points earned")
    overall_bands: tuple[str, ...] = ("Overall status", "Overall score")
    risk_bands: tuple[str, ...] = ("Rating", "Risk score")


@dataclass(frozen=True)
class Empty:
    """What a section says when it has nothing to show."""

    attention: str = ("Nothing needs the sponsors’ attention this quarter: every KPI is Green, "
                      "no risk is rated High or Critical and no decision is open.")
    top_risks: str = "No open risks."
    open_decisions: str = "No decisions are open."
    risks: str = "No open risks this quarter."
    not_reported: str = "not reported"
    no_previous: str = "— no earlier quarter in the archive to compare with."
    not_stated: str = "Not stated"
    to_be_scheduled: str = "To be scheduled"


@dataclass(frozen=True)
class Glance:
    """The contents page's "at a glance" panel and its two notes."""

    title: str = "This review at a glance"
    score: str = "Overall score"
    kpis: str = "KPIs"
    risks: str = "Open risks"
    decisions: str = "Decisions needed"
    attention: str = "For attention"
    meeting: str = "Review meeting"
    next_review: str = "Next review"
    purpose: str = "Purpose."
    purpose_text: str = ("This pack prepares the {quarter} business review of {partnership} "
                         "with {partner}: how the partnership performed against its agreed "
                         "KPIs, the strategic risks and how they moved, and the decisions the "
                         "sponsors are asked to take.")
    reading: str = "Reading it."
    reading_text: str = ("The executive summary leads with the items that need the sponsors’ "
                         "attention, most severe first. Every status is written out in words "
                         "beside its colour.")


@dataclass(frozen=True)
class HeatMap:
    """The heat map's axes and key."""

    probability: str = "Probability"
    impact: str = "Impact"
    bands: str = "Rating bands"


@dataclass(frozen=True)
class Chart:
    """The trend chart's title and band labels (`{n}`: the band's edge)."""

    title: str = "Overall score by quarter"
    green: str = "Green ≥ {n}"
    amber: str = "Amber ≥ {n}"
    red: str = "Red < {n}"


@dataclass(frozen=True)
class Wording:
    sections: Sections = Sections()
    columns: Columns = Columns()
    empty: Empty = Empty()
    glance: Glance = Glance()
    heat_map: HeatMap = HeatMap()
    chart: Chart = Chart()
    cover_partner: str = "with {partner}"
    logo: str = "Logo"  # the logo's text alternative when no organisation is set
    page: str = "Page"  # "Page 3 of 12", in the page footers
    page_of: str = "of"
    score_lead: tuple[str, str] = ("Overall score", "out of 100:")  # "… 83 out of 100: Amber."
    kpis_lead: str = "KPIs:"  # "KPIs: 3 Green, 2 Amber, 1 Red."
    points_note: str = ("Points are weight × status factor, rounded half-up; the overall score "
                        "is the sum of the points shown.")
    set_by_hand: str = "set by hand; rules give"
    overall: str = "Overall score"
    variance_key: str = ("Variance: actual − target in the KPI’s own unit (pp: percentage "
                         "points); + is favourable and − adverse, whichever way the KPI is "
                         "better. The trend line shows the KPI’s actual by quarter, the dashed "
                         "line its target.")
    risk_key: str = ("P = probability, I = impact, each rated 1 (lowest) to 5 (highest); "
                     "score = P × I; “→ 6 target” is the score the mitigation aims for.")
    heat_key: str = ("Open risks by probability (up) and impact (across). Each cell shows its "
                     "rating and score (probability × impact) and the IDs of the open risks "
                     "in it.")
    continued: str = "(cont.)"  # after a category's name on the page it runs on to
    score_row: str = "Overall score"  # the scorecard's total row
    trend_row: str = "Overall"  # the KPI-by-quarter grid's total row
    review_cadence: str = "Quarterly business review, chaired by the executive sponsor"


WORDS = Wording()


@dataclass(frozen=True)
class Rule:
    """One rule of the methodology: a lead-in in bold, then the rule."""

    lead: str
    text: str


# The methodology the appendix prints (docs/scoring.md); `appendix.methodology` adds the
# factors and bands in force.
STATUS_RULES = (
    Rule("Higher is better:", "Green when the actual is at or above the target; Amber when it is "
         "below the target but at or above the Amber threshold; Red otherwise."),
    Rule("Lower is better:", "Green at or below the target; Amber above the target but at or "
         "below the Amber threshold; Red otherwise."),
    Rule("Amber threshold:", "the worst value that still counts as Amber. A KPI without one has "
         "no Amber band."),
    Rule("No data:", "a KPI with no actual this quarter is “No data”: it earns the No data points "
         "below and is listed for the sponsors’ attention."),
    Rule("Set by hand:", "a status typed in the workbook replaces the computed one. The scorecard "
         "marks it “set by hand” and shows the status the rules give beside it."),
)
POINTS_RULE = (
    "Each KPI earns its weight times the factor of its status, rounded half-up to whole points; "
    "should that make the column add up to more (or less) than the exact total rounded, the rows "
    "whose rounding moved furthest give (or take) the point back. The overall score is the sum "
    "of the points shown, so the scorecard always adds up; weights add up to 100%.")
RISK_RULE = (
    "Risk score = probability × impact, each rated 1 to 5, so scores run from 1 to 25. Open "
    "risks are ranked by score, highest first, then by ID; closed risks leave the matrix.")
ATTENTION_RULE = (
    "Listed, most severe first: every KPI that is Red, Amber, No data, set by hand or worse than "
    "last quarter; every open risk rated High or Critical or up since last quarter; every open "
    "decision.")
