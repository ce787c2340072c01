"""The archive read as a catalogue for the site, on SQLite and PostgreSQL: every partnership with
each quarter's latest revision, and everything recorded about a batch of partnerships."""

from __future__ import annotations

import datetime as dt

from archives import record, synthetic_review
from reportgen.archive import Archive
from reportgen.archive.catalogue import Catalogue
from reportgen.domain.model import RiskRating, RiskState, Status

AT = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)


def test_each_partnership_lists_the_latest_revision_of_each_quarter(archive: Archive) -> None:
    alpha_q2 = synthetic_review("Alpha Alliance", "2025-Q2", 1.0, seed=1)
    alpha_q3 = synthetic_review("Alpha Alliance", "2025-Q3", 0.8, seed=2)
    record(archive, alpha_q2, 1, AT, None)
    record(archive, alpha_q3, 1, AT + dt.timedelta(days=90), None)
    latest_id = record(archive, alpha_q3, 2, AT + dt.timedelta(days=91), None)
    record(archive, synthetic_review("beta venture", "2025-Q3", 1.1, seed=3), 1, AT, None,
           kinds=())  # recorded by `archive import`: no files

    alpha, beta = Catalogue(archive).partnerships()  # ordered by name, case aside

    assert (alpha.name, beta.name) == ("Alpha Alliance", "beta venture")
    assert [q.quarter for q in alpha.quarters] == ["2025-Q2", "2025-Q3"]
    assert alpha.latest.review_id == latest_id and alpha.latest.revision == 2
    assert alpha.latest.score == alpha_q3.score and alpha.latest.status is alpha_q3.status
    assert alpha.revisions == 3
    assert alpha.latest.pdf == "alpha-alliance/2025-Q3/r2/alpha-alliance-2025-Q3-qbr.pdf"
    assert alpha.last_pack_at == AT + dt.timedelta(days=91)
    severe = sum(r.risk.state is RiskState.OPEN and r.rating in (RiskRating.HIGH,
                                                                 RiskRating.CRITICAL)
                 for r in alpha_q3.risks)
    assert alpha.latest.open_severe_risks == severe
    assert beta.latest.pdf is None and beta.last_pack_at is None


def test_a_renamed_partnership_keeps_its_history_under_its_latest_name(archive: Archive) -> None:
    record(archive, synthetic_review("Gamma  Co", "2025-Q2", 1.0, seed=1), 1, AT, None)
    record(archive, synthetic_review("GAMMA CO", "2025-Q3", 1.0, seed=2), 1, AT, None)

    (entry,) = Catalogue(archive).partnerships()
    (full,) = Catalogue(archive).records([entry.key])

    assert entry.name == full.name == "GAMMA CO"
    assert [q.quarter for q in entry.quarters] == ["2025-Q2", "2025-Q3"]
    assert [r.review.partnership for r in full.revisions] == ["Gamma  Co", "GAMMA CO"]


def test_a_record_holds_every_revision_its_files_and_deliveries(archive: Archive) -> None:
    q3 = synthetic_review("Alpha Alliance", "2025-Q3", 1.0, seed=2)
    first = record(archive, q3, 1, AT, None)
    second = record(archive, q3, 2, AT + dt.timedelta(days=1), None)
    archive.record_delivery(first, "ann@example.com", "sending", at=AT)
    archive.record_delivery(first, "ann@example.com", "sent", message_id="<1@x>",
                            server_reply="250 Ok", at=AT + dt.timedelta(minutes=1))
    archive.record_delivery(first, "bob@example.com", "refused",
                            server_reply="550 no such user", at=AT)
    record(archive, synthetic_review("Other", "2025-Q3", 1.0, seed=5), 1, AT, None)
    catalogue = Catalogue(archive)
    key = next(e.key for e in catalogue.partnerships() if e.name == "Alpha Alliance")

    (full,) = catalogue.records([key, "no-such-partnership"])

    assert [(r.review.quarter, r.review.revision) for r in full.revisions] == [
        ("2025-Q3", 1), ("2025-Q3", 2)]
    assert [a.kind for a in full.revisions[0].artifacts] == ["pdf", "docx", "manifest"]
    assert full.revisions[0].source_file == q3.input.source_file
    assert [(d.recipient, d.state, d.server_reply) for d in full.revisions[0].deliveries] == [
        ("ann@example.com", "sent", "250 Ok"), ("bob@example.com", "refused", "550 no such user")]
    assert full.revisions[1].review.id == second and full.revisions[1].deliveries == ()
    # KPIs and risks come from the quarter's latest revision only, in the workbook's order
    assert [k.kpi for k in full.kpis] == [k.kpi.name for k in q3.kpis]
    assert [k.status for k in full.kpis] == [k.status for k in q3.kpis]
    assert all(isinstance(k.status, Status) for k in full.kpis)
    assert [(r.risk_id, r.score) for r in full.risks] == [(r.risk.id, r.score) for r in q3.risks]


def test_records_come_back_in_the_order_asked(archive: Archive) -> None:
    for index, name in enumerate(("Alpha", "Beta", "Gamma")):
        record(archive, synthetic_review(name, "2025-Q3", 1.0, seed=index), 1, AT, None)
    catalogue = Catalogue(archive)
    keys = [e.key for e in catalogue.partnerships()]

    assert [r.name for r in catalogue.records(list(reversed(keys)))] == ["Gamma", "Beta", "Alpha"]
    assert catalogue.records([]) == []


def test_files_under_a_folder_are_found_by_exact_prefix(archive: Archive) -> None:
    record(archive, synthetic_review("Site", "2025-Q3", 1.0, seed=1), 1, AT, None)
    record(archive, synthetic_review("Sites Co", "2025-Q3", 1.0, seed=2), 1, AT, None)

    assert Catalogue(archive).files_under("site") == [
        "site/2025-Q3/r1/site-2025-Q3-qbr.pdf", "site/2025-Q3/r1/site-2025-Q3-qbr.docx",
        "site/2025-Q3/r1/manifest.json"]
    assert Catalogue(archive).files_under("portfolio") == []


def test_inside_a_with_block_every_query_reads_one_snapshot(archive: Archive) -> None:
    alpha = synthetic_review("Alpha", "2025-Q3", 1.0, seed=1)
    record(archive, alpha, 1, AT, None)
    with Catalogue(archive) as catalogue:
        (entry,) = catalogue.partnerships()
        record(archive, alpha, 2, AT, None)  # a build records meanwhile
        (full,) = catalogue.records([entry.key])
        assert len(full.revisions) == entry.revisions == 1
    (after,) = Catalogue(archive).records([entry.key])
    assert len(after.revisions) == 2
