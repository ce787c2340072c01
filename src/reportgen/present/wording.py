"""Every fixed sentence and label the packs print, defined once: section titles, column headings,
empty-state sentences and the methodology. The PDF (through the templates, as `words`) and the
Word pack both take them from here, so the two formats can never word a thing differently.

Sentences that carry figures are built in the view (`present/`); what is here carries none, or
takes the settings in force (`methodology`).

Each English text is a gettext msgid (marked `N_`); `WORDS` reads them in the language in force
(`present.language`), so `WORDS.sections.summary` is "Zusammenfassung" in a German pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


def N_(message: str) -> str:
    """Marks `message` for `pybabel extract`; `language.words()` translates it."""
    return message


@dataclass(frozen=True)
class Rule:
    """One rule of the methodology: a lead-in in bold, then the rule."""

    lead: str
    text: str


STATUS_RULES = (
    Rule(
        N_("Higher is better:"),
        N_(
            "Green when the actual is at or above the target; Amber when it is "
            "below the target but at or above the Amber threshold; Red otherwise."
        ),
    ),
    Rule(
        N_("Lower is better:"),
        N_(
            "Green at or below the target; Amber above the target but at or "
            "below the Amber threshold; Red otherwise."
        ),
    ),
    Rule(
        N_("Amber threshold:"),
        N_("the worst value that still counts as Amber. A KPI without one has no Amber band."),
    ),
    Rule(
        N_("No data:"),
        N_(
            "a KPI with no actual this quarter is “No data”: it earns the No data points "
            "below and is listed for the sponsors’ attention."
        ),
    ),
    Rule(
        N_("Set by hand:"),
        N_(
            "a status typed in the workbook replaces the computed one. The scorecard "
            "marks it “set by hand” and shows the status the rules give beside it."
        ),
    ),
)
POINTS_RULE = N_(
    "Each KPI earns its weight times the factor of its status, rounded half-up to whole points; "
    "should that make the column add up to more (or less) than the exact total rounded, the rows "
    "whose rounding moved furthest give (or take) the point back. The overall score is the sum "
    "of the points shown, so the scorecard always adds up; weights add up to 100%."
)
POINTS_TENTHS = N_(  # POINTS_RULE, when a KPI weighs under 5% and points are shown to a tenth
    "Each KPI earns its weight times the factor of its status, rounded half-up to a tenth (a KPI "
    "weighs under 5%); should the column then add up to more (or less) than the exact total "
    "rounded, the rows whose rounding moved furthest give (or take) a tenth back. The overall "
    "score is the sum of the points shown, so the scorecard always adds up; weights add up to "
    "100%."
)
RISK_RULE = N_(
    "Risk score = probability × impact, each rated 1 to 5, so scores run from 1 to 25. Open "
    "risks are ranked by score, highest first, then by ID; closed risks leave the matrix."
)
ATTENTION_RULE = N_(
    "One list, in this order: open Critical risks; Red KPIs; overdue decisions and actions; open "
    "High risks; decisions due before the next review (or with no due date); risks up or new "
    "since last quarter; Amber KPIs; No data KPIs; KPIs set by hand to a status the rules do not "
    "give; Green KPIs whose actual moved the wrong way since last quarter. Risks go by score, "
    "then ID; Red and Amber KPIs by how far the actual misses the target, as a share of the "
    "target (35% below before 0.05% below), then by weight, heaviest first, then workbook row; "
    "other KPIs by weight, then row; overdue items by days overdue, most first; decisions by "
    "due date. Each item is listed once, where it first belongs. "
    "Overdue is counted on the review date, or on the day the pack was built when the workbook "
    "gives none."
)


@dataclass(frozen=True)
class Sections:
    """Headings, in the order the pack prints them."""

    contents: str = N_("Contents")
    summary: str = N_("Executive summary")
    attention: str = N_("For the sponsors’ attention")
    scorecard: str = N_("Partnership Health Scorecard")
    risks: str = N_("Strategic Risk Assessment Matrix")
    heat_map: str = N_("Heat map")
    closed_risks: str = N_("Closed risks")
    trend: str = N_("Trend")
    kpi_grid: str = N_("KPI status by quarter")
    decisions: str = N_("Decisions and escalations")
    decisions_requested: str = N_("Decisions requested of this meeting")
    decisions_taken: str = N_("Decisions taken since last quarter")
    decisions_recorded: str = N_(
        "Decisions taken"
    )  # the first archived quarter: since when is unknown
    decisions_earlier: str = N_("Decided before last quarter")
    actions: str = N_("Actions from the last review")
    governance: str = N_("Governance")
    attention_appendix: str = N_("Appendix A: everything for the sponsors’ attention")
    appendix: str = N_("Appendix: methodology and provenance")
    appendix_b: str = N_("Appendix B: methodology and provenance")  # when Appendix A is there
    method_status: str = N_("KPI status")
    method_points: str = N_("Points and overall score")
    method_risks: str = N_("Risk score and rating")
    method_attention: str = N_("For the sponsors’ attention")
    provenance: str = N_("Provenance")
    risks_in_full: str = N_("Risks in full")  # in the appendix: the texts too long for the register
    portfolio_movers: str = N_("Biggest movers")
    portfolio_decisions: str = N_("Decisions requested across the portfolio")


@dataclass(frozen=True)
class Columns:
    """Table headings, one tuple per table, left to right."""

    attention: tuple[str, ...] = ("#", N_("Type"), N_("Item"), N_("Why it is here"))
    # "Previous" and "Trend" name last quarter when there is one (`PackView.scorecard_headings`)
    scorecard: tuple[str, ...] = (
        N_("KPI"),
        N_("Owner"),
        N_("Target"),
        N_("Previous"),
        N_("Actual"),
        N_("Variance"),
        N_("Status"),
        N_("Weight"),
        N_("Points"),
        N_("Trend"),
    )
    scorecard_numbers: tuple[str, ...] = (
        N_("Target"),
        N_("Previous"),
        N_("Actual"),
        N_("Variance"),
        N_("Weight"),
        N_("Points"),
    )  # right-aligned
    risks: tuple[str, ...] = (
        N_("ID"),
        N_("Risk"),
        N_("P"),
        N_("I"),
        N_("Score"),
        N_("Rating"),
        N_("Mitigation / sponsor action"),
        N_("Owner"),
        N_("Due"),
        N_("Trend"),
    )
    closed_risks: tuple[str, ...] = (
        N_("ID"),
        N_("Risk"),
        N_("Last score"),
        N_("Owner"),
        N_("Mitigation / sponsor action"),
    )
    decisions_requested: tuple[str, ...] = (
        N_("ID"),
        N_("Decision and recommendation"),
        N_("Owner"),
        N_("Due"),
        N_("Financial impact"),
        N_("Notes"),
    )
    decisions_taken: tuple[str, ...] = (
        N_("ID"),
        N_("Decision"),
        N_("Owner"),
        N_("Due"),
        N_("Financial impact"),
        N_("Notes"),
    )
    # on the summary page: every decision requested, in full (its notes are in section 7)
    summary_decisions: tuple[str, ...] = (
        N_("ID"),
        N_("Decision and recommendation"),
        N_("Owner"),
        N_("Due"),
        N_("Financial impact"),
    )
    actions: tuple[str, ...] = (
        N_("ID"),
        N_("Action"),
        N_("Owner"),
        N_("Due"),
        N_("Status"),
        N_("Notes"),
    )
    portfolio_movers: tuple[str, ...] = (
        N_("Partnership"),
        N_("Change"),
        N_("Score"),
        N_("KPIs that changed status (the biggest first)"),
    )
    portfolio_decisions: tuple[str, ...] = (
        N_("Partnership"),
        N_("ID"),
        N_("Decision"),
        N_("Owner"),
        N_("Due"),
    )
    kpi_grid_first: str = N_("KPI")
    factors: tuple[str, ...] = (N_("Status"), N_("Points earned"))
    overall_bands: tuple[str, ...] = (N_("Overall status"), N_("Overall score"))
    risk_bands: tuple[str, ...] = (N_("Rating"), N_("Risk score"))


@dataclass(frozen=True)
class Empty:
    """What a section says when it has nothing to show."""

    attention: str = N_(
        "Nothing needs the sponsors’ attention this quarter: every KPI is Green, "
        "no risk is rated High or Critical or rose, nothing is overdue and no "
        "decision is due before the next review."
    )
    decisions_requested: str = N_("No decision is requested of this meeting.")
    portfolio_decisions: str = N_("No decision is requested across the portfolio.")
    portfolio_movers: str = N_("No partnership's score or KPI statuses changed since last quarter.")
    risks: str = N_("No open risks this quarter.")
    not_reported: str = N_("not reported")
    no_previous: str = N_("— no earlier quarter in the archive to compare with.")
    not_stated: str = N_("Not stated")
    to_be_scheduled: str = N_("To be scheduled")


@dataclass(frozen=True)
class Tiles:
    """The executive summary's tiles: their labels and the words beside their numbers."""

    score: str = N_("Overall health")
    out_of: str = N_("/ 100")
    change: str = N_("Change since last quarter")
    points_vs: str = N_("points vs")
    first_quarter: str = N_("First archived quarter")
    first_quarter_note: str = N_("No earlier quarter in the archive to compare with.")
    kpis: str = N_("KPIs by status")
    risks: str = N_("Open risks")
    agenda: str = N_("Decisions and actions")
    # the words after the agenda tile's numbers ("2 decisions requested") are plural forms:
    # `summary.summarise` writes them through ngettext


@dataclass(frozen=True)
class Glance:
    """The contents page's "at a glance" panel and its two notes."""

    title: str = N_("This review at a glance")
    score: str = N_("Overall score")
    kpis: str = N_("KPIs")
    risks: str = N_("Open risks")
    decisions: str = N_("Decisions needed")
    attention: str = N_("For attention")
    meeting: str = N_("Review meeting")
    next_review: str = N_("Next review")
    purpose: str = N_("Purpose.")
    purpose_text: str = N_(
        "This pack prepares the {quarter} business review of {partnership} "
        "with {partner}: how the partnership performed against its agreed "
        "KPIs, the strategic risks and how they moved, and the decisions the "
        "sponsors are asked to take."
    )
    reading: str = N_("Reading it.")
    reading_text: str = N_(
        "The executive summary says in a few sentences what happened and what "
        "the meeting is asked to decide, then lists the items that need the "
        "sponsors’ attention, most urgent first. Every status is written out in "
        "words beside its colour."
    )


@dataclass(frozen=True)
class HeatMap:
    """The heat map's axes and key."""

    probability: str = N_("Probability")
    impact: str = N_("Impact")
    bands: str = N_("Rating bands")


@dataclass(frozen=True)
class Chart:
    """The trend chart's title and band labels (`{n}`: the band's edge)."""

    title: str = N_("Overall score by quarter")
    green: str = N_("Green ≥ {n}")
    amber: str = N_("Amber ≥ {n}")
    red: str = N_("Red < {n}")


@dataclass(frozen=True)
class Wording:
    sections: Sections = Sections()
    columns: Columns = Columns()
    empty: Empty = Empty()
    tiles: Tiles = Tiles()
    recommendation: str = N_("Recommendation:")
    answers: str = N_("Answers")  # "Answers Critical risk SR-10 (score 20): …"
    # the summary's attention list leaves out the decisions, which stand in full above it
    decisions_above: str = N_("the decisions requested are listed above")
    glance: Glance = Glance()
    heat_map: HeatMap = HeatMap()
    chart: Chart = Chart()
    cover_partner: str = N_("with {partner}")
    logo: str = N_("Logo")  # the logo's text alternative when no organisation is set
    page: str = N_("Page")  # "Page 3 of 12", in the page footers
    page_of: str = N_("of")
    score_lead: tuple[str, str] = (
        N_("Overall score"),
        N_("out of 100:"),
    )  # "… 83 out of 100: Amber."
    full_stop: str = N_(".")  # after a sentence built of parts ("。" in Japanese)
    kpis_lead: str = N_("KPIs:")  # "KPIs: 3 Green, 2 Amber, 1 Red."
    points_note: str = N_(
        "Points are weight × status factor, rounded half-up; the overall score "
        "is the sum of the points shown."
    )
    set_by_hand: str = N_("set by hand; rules give")
    subtotal: str = N_("Subtotal")  # a category's row of weight and points on a long scorecard
    # a status set by hand against the rules, on page one and in Appendix A (`status.by_hand`)
    by_hand: str = N_("set to {status} by hand; the rules give {computed}")
    overall: str = N_("Overall score")
    variance_key: str = N_(
        "Variance: actual − target in the KPI’s own unit (pp: percentage "
        "points); + is favourable and − adverse, whichever way the KPI is "
        "better. The trend line shows the KPI’s actual by quarter, the dashed "
        "line its target."
    )
    risk_key: str = N_(
        "P = probability, I = impact, each rated 1 (lowest) to 5 (highest); score = P × I."
    )
    risk_key_target: str = N_("“→ 6 target” is the score the mitigation aims for.")  # when one has
    heat_key: str = N_(
        "Open risks by probability (up) and impact (across). Each cell shows its "
        "rating and score (probability × impact) and the IDs of the open risks "
        "in it."
    )
    continued: str = N_("(cont.)")  # after a category's name on the page it runs on to
    score_row: str = N_("Overall score")  # the scorecard's total row
    trend_row: str = N_("Overall")  # the KPI-by-quarter grid's total row
    # the methodology the appendix prints (docs/scoring.md); `appendix.methodology` adds the
    # factors and bands in force
    status_rules: tuple[Rule, ...] = STATUS_RULES
    points_rule: str = POINTS_RULE
    points_tenths: str = POINTS_TENTHS
    risk_rule: str = RISK_RULE
    attention_rule: str = ATTENTION_RULE
    score_band: str = N_("score {rule}")  # a rating band in the heat map key: "score 10–14"
    description: str = N_(
        "Partnership health scorecard, strategic risks, trend and decisions for {partnership} "
        "({partner}), {quarter}"
    )  # the pack's HTML description
    review_cadence: str = N_("Quarterly business review, chaired by the executive sponsor")


class _InForce:
    """`Wording` in the language in force: every attribute read is looked up afresh."""

    def __getattr__(self, name: str) -> Any:
        from .language import words

        return getattr(words(), name)


if TYPE_CHECKING:
    WORDS = Wording()
else:
    WORDS = _InForce()
