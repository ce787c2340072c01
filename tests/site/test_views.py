"""The site's views and links, from records built in code: where pages live, which files get a
link, the change since last quarter, the KPI and risk grids, revisions and their pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reportgen.domain.catalogue import (
    KpiResult,
    PartnershipEntry,
    PartnershipRecord,
    QuarterResult,
    RevisionRecord,
    RiskResult,
)
from reportgen.domain.history import ArchivedReview, ArtifactRecord, Delivery
from reportgen.domain.model import Measure, RiskRating, RiskState, Status
from reportgen.domain.rules import Scoring
from reportgen.site import pages as site_pages
from reportgen.site.links import OutputsLinks, paged, pager, partnership_page
from reportgen.site.pages import partnership_pages
from reportgen.site.views import partnership_view, row, score_spark

AT = dt.datetime(2025, 10, 1, 9, 30, tzinfo=dt.UTC)


def result(quarter: str, score: int, status: Status = Status.AMBER, revision: int = 1,
           pdf: str | None = None) -> QuarterResult:
    return QuarterResult(1, quarter, revision, score, status, AT, 0, pdf)


def entry(*quarters: QuarterResult) -> PartnershipEntry:
    return PartnershipEntry("alpha", "Alpha", "Partner Co", quarters, len(quarters), AT)


def revision(quarter: str, number: int, *, artifacts: tuple[ArtifactRecord, ...] = (),
             deliveries: tuple[Delivery, ...] = ()) -> RevisionRecord:
    review = ArchivedReview(number, "Alpha", "alpha", "alpha", quarter, number, "a" * 64,
                            "b" * 64, 80, Status.AMBER, AT, "0.1.0")
    return RevisionRecord(review, "alpha.xlsx", artifacts, deliveries)


# --- links -------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "outputs"
    (out / "alpha" / "2025-Q3" / "r1").mkdir(parents=True)
    (out / "alpha" / "2025-Q3" / "r1" / "pack #1.pdf").write_bytes(b"%PDF-")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-")
    (out / "escape.pdf").symlink_to(tmp_path / "secret.pdf")
    (out / "inside.pdf").symlink_to(out / "alpha" / "2025-Q3" / "r1" / "pack #1.pdf")
    return out


def test_a_file_in_the_outputs_folder_is_linked_relative_and_encoded(folder: Path) -> None:
    links = OutputsLinks(folder)
    path = "alpha/2025-Q3/r1/pack #1.pdf"
    assert links.href("index.html", path) == "../alpha/2025-Q3/r1/pack%20%231.pdf"
    assert links.href("partnerships/a.html", path) == "../../alpha/2025-Q3/r1/pack%20%231.pdf"
    assert links.href("index.html", "inside.pdf") == "../inside.pdf"


@pytest.mark.parametrize("path", [
    "alpha/2025-Q3/r1/missing.pdf",  # not there
    "../secret.pdf", "alpha/../../secret.pdf",  # climbs out
    "/etc/passwd", "C:/x.pdf", "alpha\\x.pdf", "",  # not a relative path
    "escape.pdf",  # a symbolic link out of the outputs folder
    "site/index.html",  # part of the site itself
    "alpha/2025-Q3/r1",  # a folder
])
def test_anything_else_gets_no_link(folder: Path, path: str) -> None:
    assert OutputsLinks(folder).href("index.html", path) is None


def test_partnership_pages_are_stable_and_distinct() -> None:
    first = partnership_page("FinCorp–TechDrive")
    assert first == partnership_page("FinCorp–TechDrive")
    assert first.startswith("partnerships/fincorp-techdrive-") and first.endswith(".html")
    assert partnership_page("fincorp techdrive") != first  # same readable part, other key
    assert partnership_page("<script>x</script>", 2).endswith("-2.html")
    assert all(c.isalnum() or c in "-/." for c in partnership_page("<a href='x'>"))


def test_a_pager_links_each_page_and_counts_the_items() -> None:
    chunks = paged(list(range(250)), 100)
    assert [len(c) for c in chunks] == [100, 100, 50]
    middle = pager("index-2.html", 2, chunks, lambda n: f"index-{n}.html")
    assert (middle.first_item, middle.last_item, middle.total) == (101, 200, 250)
    assert (middle.previous, middle.next) == ("index-1.html", "index-3.html")
    assert [link.current for link in middle.links] == [False, True, False]
    assert pager("index.html", 1, paged([], 100), str).links == ()


# --- views -------------------------------------------------------------------------------


def test_the_change_is_against_the_quarter_before() -> None:
    q2, q3 = result("2025-Q2", 88, Status.GREEN), result("2025-Q3", 83)
    shown = row(entry(q2, q3), q3, "index.html", OutputsLinks(Path("/nonexistent")))
    assert (shown.change, shown.change_value, shown.change_note) == ("−5", "-5", "since Q2 2025")
    assert shown.href.startswith("partnerships/alpha-")
    assert [p.score for p in shown.history] == [88, 83]
    assert (shown.status.word, shown.status_rank) == ("Amber", 2)


def test_no_change_is_shown_across_a_gap_or_for_a_first_quarter() -> None:
    q1, q3 = result("2025-Q1", 70), result("2025-Q3", 83)
    links = OutputsLinks(Path("/nonexistent"))
    assert row(entry(q1, q3), q3, "index.html", links).change_note == "no Q2 2025 review"
    first = row(entry(q1, q3), q1, "index.html", links)
    assert (first.change, first.change_note) == ("—", "first archived quarter")


def test_the_grids_follow_kpis_by_name_and_risks_by_id() -> None:
    # Q2 archived before the archive kept each actual's look: it takes Q3's
    kpis = (KpiResult("2025-Q2", "Finance", "Revenue  growth", Status.RED, 10, 0.04),
            KpiResult("2025-Q3", "Finance", "Revenue Growth", Status.GREEN, 30, 0.062,
                      Measure(0.062, percent=True, decimals=1)),
            KpiResult("2025-Q3", "People", "Engagement", Status.AMBER, 8))
    risks = (RiskResult("2025-Q2", "R1", "Old words", 9, RiskRating.MEDIUM, RiskState.OPEN),
             RiskResult("2025-Q3", "R1", "New words", 12, RiskRating.HIGH, RiskState.OPEN),
             RiskResult("2025-Q2", "R2", "Gone", 4, RiskRating.LOW, RiskState.OPEN),
             RiskResult("2025-Q3", "R3", "Done", 6, RiskRating.MEDIUM, RiskState.CLOSED))
    record = PartnershipRecord("alpha", "Alpha", "Partner Co", (revision("2025-Q3", 1),),
                               kpis, risks)
    view = partnership_view(entry(result("2025-Q2", 60), result("2025-Q3", 80)), record,
                            "partnerships/a.html", OutputsLinks(Path("/nonexistent")), Scoring())

    assert view.grid_quarters == ("Q2 2025", "Q3 2025")
    assert [(k.kpi, [(c.value, c.status.word) if c else None for c in k.cells])
            for k in view.kpi_rows] == [
        ("Revenue Growth", [("4.0%", "Red"), ("6.2%", "Green")]),
        ("Engagement", [None, ("—", "Amber")])]
    r1, r3, r2 = view.risk_rows
    assert (r1.risk_id, r1.description) == ("R1", "New words")
    assert r1.cells[1] is not None and (r1.cells[1].move, r1.cells[1].move_text) == (
        "▲", "up from 9")
    assert r3.cells[0] is None and r3.cells[1] is not None and r3.cells[1].closed
    assert r2.cells[1] is None


def test_revisions_are_newest_first_with_their_files_and_deliveries(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.pdf").write_bytes(b"%PDF-")
    files = (ArtifactRecord("manifest", "a/manifest.json", "c" * 64, 900),
             ArtifactRecord("pdf", "a/p.pdf", "d" * 64, 212_000))
    sent = (Delivery("Ann <ann@x.com>", "sent", "<m>", "250 Ok", AT),
            Delivery("bob@x.com", "sending", "", "", AT))
    record = PartnershipRecord("alpha", "Alpha", "Partner Co", (
        revision("2025-Q3", 1, artifacts=files, deliveries=sent), revision("2025-Q3", 2)),
        (), ())
    view = partnership_view(entry(result("2025-Q3", 80, revision=2)), record,
                            "partnerships/a.html", OutputsLinks(tmp_path), Scoring())

    (group,) = view.groups
    assert [(r.label, r.note) for r in group.revisions] == [("r2", "latest"),
                                                            ("r1", "superseded by r2")]
    pdf, manifest = group.revisions[1].files
    assert (pdf.label, pdf.href, pdf.size) == ("PDF", "../../a/p.pdf", "212 KB")
    assert (manifest.label, manifest.href) == ("Manifest", None)  # not on disk
    assert [(d.state, d.css) for d in group.revisions[1].deliveries] == [
        ("Sent", "sent"), ("Not confirmed", "pending")]
    assert group.revisions[1].archived == "2025-10-01 09:30 UTC"


def test_a_quarter_with_many_revisions_continues_on_the_next_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_pages, "REVISIONS_PER_PAGE", 4)
    record = PartnershipRecord("alpha", "Alpha", "Partner Co", tuple(
        [revision("2025-Q2", n) for n in (1, 2)] + [revision("2025-Q3", n) for n in range(1, 8)]
    ), (), ())
    built = list(partnership_pages(entry(result("2025-Q2", 70, revision=2),
                                         result("2025-Q3", 80, revision=7)),
                                   record, OutputsLinks(Path("/nonexistent")), Scoring()))

    assert [[(g.quarter, [r.label for r in g.revisions]) for g in page.groups]
            for _, page in built] == [
        [("2025-Q3", ["r7", "r6", "r5", "r4"])],
        [("2025-Q3", ["r3", "r2", "r1"]), ("2025-Q2", ["r2"])],
        [("2025-Q2", ["r1"])],
    ]
    assert [path.rsplit("-", 1)[-1] for path, _ in built][1:] == ["2.html", "3.html"]
    assert built[2][1].pager.previous is not None and built[2][1].pager.next is None


def test_a_score_history_is_a_sparkline_on_the_trends_axis_with_the_green_line() -> None:
    q1, q2, q3 = result("2025-Q1", 63, Status.RED), result("2025-Q2", 88, Status.GREEN), \
        result("2025-Q3", 83)
    shown = row(entry(q1, q2, q3), q3, "index.html", OutputsLinks(Path("/nonexistent")))
    spark = score_spark(shown.history, Scoring())

    # the trend's axis for 63–88 with the 70 and 85 edges is 55–95
    assert spark.dots == ((0.0, 0.2), (0.5, 0.825), (1.0, 0.7))
    assert spark.lines == (spark.dots,) and spark.last == (1.0, 0.7)
    assert (spark.target, spark.last_css) == (0.75, "amber")
    assert spark.alt == ("Overall score by quarter: Q1 2025 63 (Red), Q2 2025 88 (Green), "
                         "Q3 2025 83 (Amber); Green from 85.")
    single = score_spark(shown.history[-1:], Scoring())
    assert single.lines == () and single.dots == ((0.5, single.dots[0][1]),)
