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
    scorecard: str = "Partnership Health Scorecard"
    risks: str = "Strategic Risk Assessment Matrix"
    heat_map: str = "Heat map"
    closed_risks: str = "Closed risks"
    trend: str = "Trend"
    kpi_grid: str = "KPI status by quarter"
    decisions: str = "Decisions and escalations"
    decisions_requested: str = "Decisions requested of this meeting"
    decisions_taken: str = "Decisions taken since last quarter"
    decisions_recorded: str = "Decisions taken"  # the first archived quarter: since when is unknown
    decisions_earlier: str = "Decided before last quarter"
    actions: str = "Actions from the last review"
    governance: str = "Governance"
    attention_appendix: str = "Appendix A: everything for the sponsors’ attention"
    appendix: str = "Appendix: methodology and provenance"
    appendix_b: str = "Appendix B: methodology and provenance"  # when Appendix A is there
    method_status: str = "KPI status"
    method_points: str = "Points and overall score"
    method_risks: str = "Risk score and rating"
    method_attention: str = "For the sponsors’ attention"
    provenance: str = "Provenance"
    risks_in_full: str = "Risks in full"  # in the appendix: the texts too long for the register
    portfolio_movers: str = "Biggest movers"
    portfolio_decisions: str = "Decisions requested across the portfolio"


@dataclass(frozen=True)
class Columns:
    """Table headings, one tuple per table, left to right."""

    attention: tuple[str, ...] = ("#", "Type", "Item", "Why it is here")
    # "Previous" and "Trend" name last quarter when there is one (`PackView.scorecard_headings`)
    scorecard: tuple[str, ...] = ("KPI", "Owner", "Target", "Previous", "Actual", "Variance",
                                  "Status", "Weight", "Points", "Trend")
    scorecard_numbers: tuple[str, ...] = ("Target", "Previous", "Actual", "Variance", "Weight",
                                          "Points")  # right-aligned
    risks: tuple[str, ...] = ("ID", "Risk", "P", "I", "Score", "Rating",
                              "Mitigation / sponsor action", "Owner", "Due", "Trend")
    closed_risks: tuple[str, ...] = ("ID", "Risk", "Last score", "Owner",
                                     "Mitigation / sponsor action")
    decisions_requested: tuple[str, ...] = ("ID", "Decision and recommendation", "Owner", "Due",
                                            "Financial impact", "Notes")
    decisions_taken: tuple[str, ...] = ("ID", "Decision", "Owner", "Due", "Financial impact",
                                        "Notes")
    # on the summary page: every decision requested, in full (its notes are in section 7)
    summary_decisions: tuple[str, ...] = ("ID", "Decision and recommendation", "Owner", "Due",
                                          "Financial impact")
    actions: tuple[str, ...] = ("ID", "Action", "Owner", "Due", "Status", "Notes")
    portfolio_movers: tuple[str, ...] = ("Partnership", "Change", "Score", "KPIs that changed "
                                         "status (the biggest first)")
    portfolio_decisions: tuple[str, ...] = ("Partnership", "ID", "Decision", "Owner", "Due")
    kpi_grid_first: str = "KPI"
    factors: tuple[str, ...] = ("Status", "Points earned")
    overall_bands: tuple[str, ...] = ("Overall status", "Overall score")
    risk_bands: tuple[str, ...] = ("Rating", "Risk score")


@dataclass(frozen=True)
class Empty:
    """What a section says when it has nothing to show."""

    attention: str = ("Nothing needs the sponsors’ attention this quarter: every KPI is Green, "
                      "no risk is rated High or Critical or rose, nothing is overdue and no "
                      "decision is due before the next review.")
    decisions_requested: str = "No decision is requested of this meeting."
    portfolio_decisions: str = "No decision is requested across the portfolio."
    portfolio_movers: str = "No partnership's score or KPI statuses changed since last quarter."
    risks: str = "No open risks this quarter."
    not_reported: str = "not reported"
    no_previous: str = "— no earlier quarter in the archive to compare with."
    not_stated: str = "Not stated"
    to_be_scheduled: str = "To be scheduled"


@dataclass(frozen=True)
class Tiles:
    """The executive summary's tiles: their labels and the words beside their numbers."""

    score: str = "Overall health"
    out_of: str = "/ 100"
    change: str = "Change since last quarter"
    points_vs: str = "points vs"
    first_quarter: str = "First archived quarter"
    first_quarter_note: str = "No earlier quarter in the archive to compare with."
    kpis: str = "KPIs by status"
    risks: str = "Open risks"
    agenda: str = "Decisions and actions"
    # (one, several): "1 decision requested", "2 decisions requested"
    decisions_requested: tuple[str, str] = ("decision requested", "decisions requested")
    decisions_overdue: tuple[str, str] = ("decision overdue", "decisions overdue")
    actions_open: tuple[str, str] = ("action open", "actions open")
    actions_overdue: tuple[str, str] = ("action overdue", "actions overdue")


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
    reading_text: str = ("The executive summary says in a few sentences what happened and what "
                         "the meeting is asked to decide, then lists the items that need the "
                         "sponsors’ attention, most urgent first. Every status is written out in "
                         "words beside its colour.")


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
    tiles: Tiles = Tiles()
    recommendation: str = "Recommendation:"
    answers: str = "Answers"  # "Answers Critical risk SR-10 (score 20): …"
    # the summary's attention list leaves out the decisions, which stand in full above it
    decisions_above: str = "the decisions requested are listed above"
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
    # a status set by hand against the rules, on page one and in Appendix A (`status.by_hand`)
    by_hand: str = "set to {status} by hand; the rules give {computed}"
    overall: str = "Overall score"
    variance_key: str = ("Variance: actual − target in the KPI’s own unit (pp: percentage "
                         "points); + is favourable and − adverse, whichever way the KPI is "
                         "better. The trend line shows the KPI’s actual by quarter, the dashed "
                         "line its target.")
    risk_key: str = ("P = probability, I = impact, each rated 1 (lowest) to 5 (highest); "
                     "score = P × I.")
    risk_key_target: str = "“→ 6 target” is the score the mitigation aims for."  # when one has
    heat_key: str = ("Open risks by probability (up) and impact (across). Each cell shows its "
                     "rating and score (probability × impact) and the IDs of the open risks "
                     "in it.")
    continued: str = "(cont.)"  # after a category's name on the page it runs on to
    score_row: str = "Overall score"  # the scorecard's total row
    subtotal: str = "Subtotal"  # a category's row of weight and points on a long scorecard
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
POINTS_TENTHS = (  # POINTS_RULE, when a KPI weighs under 5% and points are shown to a tenth
    "Each KPI earns its weight times the factor of its status, rounded half-up to a tenth (a KPI "
    "weighs under 5%); should the column then add up to more (or less) than the exact total "
    "rounded, the rows whose rounding moved furthest give (or take) a tenth back. The overall "
    "score is the sum of the points shown, so the scorecard always adds up; weights add up to "
    "100%.")
RISK_RULE = (
    "Risk score = probability × impact, each rated 1 to 5, so scores run from 1 to 25. Open "
    "risks are ranked by score, highest first, then by ID; closed risks leave the matrix.")
ATTENTION_RULE = (
    "One list, in this order: open Critical risks; Red KPIs; overdue decisions and actions; open "
    "High risks; decisions due before the next review (or with no due date); risks up or new "
    "since last quarter; Amber KPIs; No data KPIs; KPIs set by hand to a status the rules do not "
    "give; Green KPIs whose actual moved the wrong way since last quarter. Risks go by score, "
    "then ID; Red and Amber KPIs by how far the actual misses the target, as a share of the "
    "target (35% below before 0.05% below), then by weight, heaviest first, then workbook row; "
    "other KPIs by weight, then row; overdue items by days overdue, most first; decisions by "
    "due date. Each item is listed once, where it first belongs. "
    "Overdue is counted on the review date, or on the day the pack was built when the workbook "
    "gives none.")


def plural(n: int, noun: str) -> str:
    """"1 decision", "2 decisions"."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def be(n: int) -> str:
    return "is" if n == 1 else "are"


def join_words(parts: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
