"""`reportgen site` end to end without a browser: the pages, their links, paging, hostile names,
the atomic swap, and the command line (`site`, `build --site`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.site import pages as site_pages
from reportgen.site import publish
from reportgen.site.html import SiteRenderer
from sites import EXTERNAL, HOSTILE, Outputs, Page, pages


def test_the_site_has_an_index_a_page_per_partnership_and_per_quarter(outputs: Outputs) -> None:
    result = outputs.generate()

    site = outputs.site
    assert result.folder == site and result.partnerships == 16
    assert len(list((site / "partnerships").glob("*.html"))) == 16
    assert sorted(p.name for p in (site / "quarters").glob("*.html")) == [
        "2025-Q1.html", "2025-Q2.html", "2025-Q3.html", "2025-Q4.html", "index.html"]
    assert (site / "assets" / "site.css").is_file() and (site / "assets" / "site.js").is_file()
    assert (site / "assets" / "fonts" / "Inter-Regular.otf").is_file()
    index = Page(site / "index.html")
    assert index.source.count('<tr data-name="') == 16
    assert "16 partnerships, each at its latest archived quarter" in index.source
    assert result.pages == len(list(site.rglob("*.html")))


def test_every_link_resolves_inside_the_outputs_folder(outputs: Outputs) -> None:
    outputs.generate()
    root = outputs.folder.resolve()
    checked = 0
    for page in pages(outputs.site):
        for link in page.links:
            assert not urlsplit_scheme(link), f"{page.path}: {link} is not relative"
            target = page.target(link)
            assert target.is_relative_to(root), f"{page.path}: {link} leaves the outputs folder"
            assert target.is_file(), f"{page.path}: {link} does not resolve"
            fragment = link.partition("#")[2]
            assert not fragment or fragment in Page(target).ids, f"{page.path}: {link}"
            checked += 1
    assert checked > 500


def urlsplit_scheme(link: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(link).scheme or urlsplit(link).netloc


def test_no_page_or_asset_refers_to_anything_outside(outputs: Outputs) -> None:
    outputs.generate()
    for path in outputs.site.rglob("*"):
        if path.suffix in (".html", ".css", ".js", ".svg"):
            text = path.read_text(encoding="utf-8")
            assert not EXTERNAL.search(text), f"{path}: {EXTERNAL.search(text)}"
            assert "@import" not in text
    css = (outputs.site / "assets" / "site.css").read_text(encoding="utf-8")
    assert 'url("fonts/Inter-Regular.otf")' in css


def test_a_partnership_page_shows_every_revision_with_its_files_and_deliveries(
        outputs: Outputs) -> None:
    outputs.generate()
    # Partnership 00 has three revisions of its first quarter (fill: every fifth quarter)
    (path,) = (outputs.site / "partnerships").glob("partnership-00-*.html")
    page = Page(path)
    text = " ".join(page.text)
    assert "Q1 2025 r3" in text and "superseded by r3" in text and "superseded by r2" in text
    assert "Partnership 00" in text and "Score trend" in text
    assert text.count("Inputs SHA-256") == 6  # 3 + 1 + 1 + 1 revisions
    pdfs = [link for link in page.links if link.endswith("-qbr.pdf")]
    assert len(pdfs) >= 6 and all(link.startswith("../../partnership-00/") for link in pdfs)
    assert "250 2.0.0 Ok: queued" in text  # the delivery log
    assert page.source.count("<svg") == 1  # the trend chart


def test_hostile_names_are_shown_as_text_and_never_run(outputs: Outputs) -> None:
    outputs.generate()
    found = 0
    for page in pages(outputs.site):
        scripts = [a for tag, a in page.tags if tag == "script"]
        assert [a["src"] for a in scripts] == [page_root(page) + "assets/site.js"]
        for tag, attributes in page.tags:
            assert not any(name.startswith("on") for name in attributes), (page.path, tag)
            assert tag not in ("img", "iframe", "object", "embed", "base", "form") or (
                tag == "form" and attributes.get("class") == "filter"), (page.path, tag)
            for name in ("href", "src"):
                assert not (attributes.get(name) or "").lower().startswith("javascript:")
        text = "".join(page.text)
        found += sum(name in text for name in HOSTILE)
    assert found >= len(HOSTILE) * 3  # each on the index, its quarter and its own page


def page_root(page: Page) -> str:
    return "../" if page.path.parent.name in ("partnerships", "quarters") else ""


def test_long_lists_are_paged(outputs: Outputs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_pages, "ROWS_PER_PAGE", 5)
    monkeypatch.setattr(site_pages, "REVISIONS_PER_PAGE", 2)
    outputs.generate()

    site = outputs.site
    assert sorted(p.name for p in site.glob("index*.html")) == [
        "index-2.html", "index-3.html", "index-4.html", "index.html"]
    assert Page(site / "index-4.html").source.count('<tr data-name="') == 1
    assert 'href="index-2.html" rel="next"' in Page(site / "index.html").source
    # 6 revisions of Partnership 00 at 2 a page: three pages, the later ones its older quarters
    found = sorted(p.name for p in (site / "partnerships").glob("partnership-00-*.html"))
    assert len(found) == 3
    last = Page(site / "partnerships" / found[1])  # "…-3.html" sorts before "….html"
    assert "Earlier reviews and packs" in last.source and "Score trend" not in last.source
    assert (site / "quarters" / "2025-Q4-4.html").is_file()


def test_a_rerun_replaces_the_whole_site(outputs: Outputs) -> None:
    outputs.generate()
    stray = outputs.site / "partnerships" / "gone.html"
    stray.write_text("from an earlier run")

    outputs.generate()

    assert not stray.exists() and (outputs.site / "index.html").is_file()
    assert not list(outputs.folder.glob(".site.new-*")) and not list(
        outputs.folder.glob(".site.old-*"))


def test_identical_archives_give_identical_sites(outputs: Outputs) -> None:
    outputs.generate()
    first = {p: p.read_bytes() for p in outputs.site.rglob("*") if p.is_file()}
    outputs.generate()
    assert {p: p.read_bytes() for p in outputs.site.rglob("*") if p.is_file()} == first


def test_a_failure_leaves_the_previous_site_untouched(
        outputs: Outputs, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs.generate()
    before = {p: p.read_bytes() for p in outputs.site.rglob("*") if p.is_file()}
    rendered = 0
    real = SiteRenderer.page

    def failing(self: SiteRenderer, page: object) -> bytes:
        nonlocal rendered
        rendered += 1
        if rendered == 20:
            raise OSError("disk full")
        return real(self, page)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteRenderer, "page", failing)
    with pytest.raises(ReportgenError, match=r"could not be written \(disk full\); the previous"):
        outputs.generate()

    assert {p: p.read_bytes() for p in outputs.site.rglob("*") if p.is_file()} == before
    assert not list(outputs.folder.glob(".site.*-*"))


def test_without_an_atomic_exchange_two_renames_swap_the_site(
        outputs: Outputs, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs.generate()
    (outputs.site / "old.txt").write_text("old")
    monkeypatch.setattr(publish, "_exchange", lambda first, second: False)

    outputs.generate()

    assert not (outputs.site / "old.txt").exists() and (outputs.site / "index.html").is_file()
    assert not list(outputs.folder.glob(".site.*-*"))


def test_leftovers_of_a_killed_run_are_cleared(outputs: Outputs) -> None:
    leftover = outputs.folder / ".site.new-abc123"
    (leftover / "partnerships").mkdir(parents=True)
    outputs.generate()
    assert not leftover.exists()


def test_a_site_folder_reportgen_did_not_write_is_left_alone(outputs: Outputs) -> None:
    outputs.site.mkdir()
    (outputs.site / "2025-Q3").mkdir()
    with pytest.raises(ReportgenError, match="not written by `reportgen site`"):
        outputs.generate()
    assert (outputs.site / "2025-Q3").is_dir() and not (outputs.site / "index.html").exists()


def test_an_archive_with_packs_in_the_site_folder_is_refused(outputs: Outputs) -> None:
    from archives import record, synthetic_review
    from reportgen.archive import Archive
    from sites import GENERATED

    with Archive.open(outputs.url) as archive:
        record(archive, synthetic_review("Site", "2025-Q3", 1.0, seed=1), 1, GENERATED,
               outputs.folder)
    with pytest.raises(ReportgenError, match="the archive has packs in this folder"):
        outputs.generate()
    assert (outputs.site / "2025-Q3" / "r1" / "manifest.json").is_file()


def test_site_command_writes_the_site_and_says_where(outputs: Outputs,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "--out", str(outputs.folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"site       {outputs.site / 'index.html'}: 16 partnerships, ")
    assert (outputs.site / "index.html").is_file()


def test_a_site_that_cannot_be_written_exits_1_without_a_traceback(
        outputs: Outputs, capsys: pytest.CaptureFixture[str]) -> None:
    (outputs.folder / ".site.lock").mkdir()  # the lock file cannot be opened
    assert main(["site", "--out", str(outputs.folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{outputs.site}: the site could not be written (")
    assert "Is a directory" in err and "Traceback" not in err
    assert not outputs.site.exists()


def test_site_without_an_archive_exits_1_and_says_so(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["site", "--out", str(tmp_path / "nowhere")]) == 1
    assert "no archive here yet" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_build_site_refreshes_the_site_after_the_build(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    assert main(["init", "demo"]) == 0
    workbooks = sorted(str(p) for p in (tmp_path / "demo").glob("*.xlsx"))
    assert main(["build", *workbooks, "--format", "pdf", "--jobs", "1", "--site"]) == 0
    assert "site       outputs/site/index.html: 1 partnership, 2 revisions" in (
        capsys.readouterr().out)
    page = Page(next((tmp_path / "outputs" / "site" / "partnerships").glob("*.html")))
    pdfs = [link for link in page.links if link.endswith(".pdf")]
    assert len(set(pdfs)) == 2
    assert all(page.target(link).read_bytes()[:5] == b"%PDF-" for link in pdfs)
    assert os.path.getsize(page.target(pdfs[0])) > 10_000  # the real pack


def test_build_site_with_no_archive_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "x.xlsx", "--site", "--no-archive"]) == 2
    assert "--site shows the archive" in capsys.readouterr().err
