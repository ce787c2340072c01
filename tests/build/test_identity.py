"""A partnership is its name, not its folder: names that make the same slug keep separate
histories and folders, with an archive and without, in `build`, `history` and `send`; the same
partnership's quarter given twice in one build is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.archive import Archive
from reportgen.cli import main
from reportgen.domain.model import folder_names
from reportgen.domain.text import normalise
from workbooks import example_sheets, portfolio_sheets, write

AMPERSAND, SLASH = "Acme & Beta", "Acme/Beta"  # both slugify to acme-beta
HASHED = folder_names(SLASH)[1]  # acme-beta-<6 hex>
LONG = "Northwind Trading and Logistics Strategic Alliance for Cross-Border Payment Settlement"
LONG_A, LONG_B = f"{LONG} in Europe", f"{LONG} in Asia"  # equal in their first 80 characters


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    monkeypatch.delenv("REPORTGEN_ARCHIVE", raising=False)


def named(path: Path, name: str, quarter: int = 3) -> Path:
    sheets = example_sheets(quarter)
    sheets["Partnership"][0][1] = name
    return write(path, sheets, quarter_formats=quarter)


def build(*args: object) -> int:
    return main(["build", *map(str, args), "--format", "html", "--jobs", "1"])


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def test_the_slugs_really_collide():
    assert folder_names(AMPERSAND)[0] == folder_names(SLASH)[0] == "acme-beta"
    assert folder_names(LONG_A)[0] == folder_names(LONG_B)[0]
    assert HASHED.startswith("acme-beta-") and len(HASHED) == len("acme-beta-") + 6


def test_names_sharing_a_slug_have_separate_histories_and_folders(tmp_path, capsys):
    out = tmp_path / "out"
    q2 = named(tmp_path / "q2.xlsx", AMPERSAND, quarter=2)
    q3 = named(tmp_path / "q3.xlsx", SLASH, quarter=3)
    assert build(q2, q3, "--out", out) == 0
    assert manifest(out / "acme-beta" / "2025-Q2" / "r1")["partnership"] == AMPERSAND
    mine = out / HASHED / "2025-Q3" / "r1"
    assert manifest(mine)["partnership"] == SLASH
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "acme-beta", HASHED, "archive.sqlite", "archive.sqlite.locks"]
    assert (mine / f"{HASHED}-2025-Q3-qbr.html").is_file()
    html = (mine / f"{HASHED}-2025-Q3-qbr.html").read_text()
    assert "Green → Red" not in html  # Acme/Beta has no Q2: nothing to compare with
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        assert archive.previous_review(normalise(SLASH), "2025-Q3") is None
        assert archive.folder(normalise(SLASH)) == HASHED
        assert archive.folder(normalise(AMPERSAND)) == "acme-beta"
    capsys.readouterr()
    assert build(q2, q3, "--out", out) == 0
    assert "0 built, 2 unchanged, 0 failed" in capsys.readouterr().err


def test_a_portfolio_of_names_sharing_a_slug_is_unchanged_when_rebuilt(tmp_path, capsys):
    out = tmp_path / "out"
    source = write(tmp_path / "portfolio.xlsx", portfolio_sheets([AMPERSAND, SLASH]),
                   quarter_formats=None)
    assert build(source, "--out", out) == 0
    assert "2 built, 0 unchanged, 0 failed" in capsys.readouterr().err
    for _ in range(2):
        assert build(source, "--out", out) == 0
        assert "0 built, 2 unchanged, 0 failed" in capsys.readouterr().err
    assert [p.name for p in (out / "acme-beta" / "2025-Q3").iterdir()] == ["r1"]
    assert [p.name for p in (out / HASHED / "2025-Q3").iterdir()] == ["r1"]


@pytest.mark.parametrize("archive", [True, False], ids=["archive", "no-archive"])
def test_names_equal_in_their_first_80_characters_stay_apart(tmp_path, capsys, archive):
    out = tmp_path / "out"
    flags = [] if archive else ["--no-archive"]
    first = named(tmp_path / "a.xlsx", LONG_A)
    second = named(tmp_path / "b.xlsx", LONG_B)
    assert build(first, second, "--out", out, *flags) == 0
    plain, hashed = folder_names(LONG_A)[0], folder_names(LONG_B)[1]
    assert manifest(out / plain / "2025-Q3" / "r1")["partnership"] == LONG_A
    assert manifest(out / hashed / "2025-Q3" / "r1")["partnership"] == LONG_B
    capsys.readouterr()
    assert build(second, first, "--out", out, *flags) == 0  # the choice stays as it was made
    assert "0 built, 2 unchanged, 0 failed" in capsys.readouterr().err
    assert not (out / folder_names(LONG_A)[1]).exists()


def test_the_same_quarter_from_two_workbooks_is_refused_naming_both(tmp_path, capsys):
    out = tmp_path / "out"
    one = named(tmp_path / "one.xlsx", AMPERSAND)
    other = named(tmp_path / "other.xlsx", "  acme &   BETA ")  # the same partnership
    assert build(one, other, "--out", out) == 1
    err = capsys.readouterr().err
    both = f"is given twice, in {one} and {other}; give each partnership's quarter once"
    assert f"{one}: {AMPERSAND} 2025-Q3 {both}" in err
    assert f"{other}: acme &   BETA 2025-Q3 {both}" in err
    assert "0 built, 0 unchanged, 2 failed" in err
    assert not out.exists()


def test_a_portfolio_and_a_workbook_giving_one_quarter_name_the_row(tmp_path, capsys):
    out = tmp_path / "out"
    portfolio = write(tmp_path / "portfolio.xlsx", portfolio_sheets(["Gamma", AMPERSAND]),
                      quarter_formats=None)
    single = named(tmp_path / "single.xlsx", AMPERSAND)
    assert build(portfolio, single, "--out", out) == 1
    err = capsys.readouterr().err
    assert f"in {portfolio} (Partnerships row 3) and {single};" in err
    assert "1 built, 0 unchanged, 2 failed" in err
    assert not (out / "acme-beta").exists() and (out / "gamma" / "2025-Q3" / "r1").is_dir()


def test_one_file_named_twice_is_built_once(tmp_path, capsys):
    source = named(tmp_path / "q3.xlsx", AMPERSAND)
    assert build(source, tmp_path / "." / "q3.xlsx", "--out", tmp_path / "out") == 0
    assert "1 built, 0 unchanged, 0 failed" in capsys.readouterr().err


def test_a_partnership_named_portfolio_keeps_out_of_the_summaries_folder(tmp_path):
    out = tmp_path / "out"
    assert build(named(tmp_path / "p.xlsx", "Portfolio"), "--out", out) == 0
    assert (out / folder_names("Portfolio")[1] / "2025-Q3" / "r1").is_dir()
    assert not (out / "portfolio").exists()


def test_history_and_send_know_partnerships_by_name(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert build(named(tmp_path / "a.xlsx", AMPERSAND), named(tmp_path / "b.xlsx", SLASH),
                 "--out", out) == 0
    capsys.readouterr()
    assert main(["history", "acme", "--out", str(out)]) == 1
    assert "2 archived partnerships match 'acme': Acme & Beta; Acme/Beta" in \
        capsys.readouterr().err
    assert main(["history", "acme/BETA", "--out", str(out), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["partnership"] == SLASH and len(document["reviews"]) == 1

    monkeypatch.setenv("REPORTGEN_SMTP_FROM", "qbr@fincorp.example")
    assert main(["build", str(tmp_path / "b.xlsx"), "--out", str(out), "--format", "pdf",
                 "--jobs", "1"]) == 0  # a PDF to send: a new revision of Acme/Beta
    capsys.readouterr()
    assert main(["send", str(out / HASHED / "2025-Q3"), "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Acme/Beta Q3 2025 r2: dry run")


CAFE, CAFE_DECOMPOSED = "Caf\u00e9 Partners", "Cafe\u0301 Partners"  # é composed, e + U+0301


@pytest.mark.parametrize("archived", [True, False])
def test_a_name_in_either_unicode_form_is_one_partnership(tmp_path, capsys, archived):
    out = tmp_path / "out"
    flags = [] if archived else ["--no-archive"]
    q2 = named(tmp_path / "q2.xlsx", CAFE, quarter=2)
    q3 = named(tmp_path / "q3.xlsx", CAFE_DECOMPOSED, quarter=3)
    assert build(q2, "--out", out, *flags) == 0
    assert build(q3, "--out", out, *flags, *(["--site"] if archived else [])) == 0
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert [f for f in folders if f.startswith("cafe")] == ["cafe-partners"]
    assert (out / "cafe-partners" / "2025-Q3" / "r1").is_dir()
    if archived:
        html = next((out / "cafe-partners" / "2025-Q3" / "r1").glob("*.html")).read_text()
        assert "Green → Red" in html  # Q3 compared with the Q2 typed the other way
        assert len(list((out / "site" / "partnerships").glob("*.html"))) == 1  # one site row
        capsys.readouterr()
        assert main(["history", CAFE, "--out", str(out)]) == 0
        shown = capsys.readouterr().out
        assert "Q2 2025" in shown and "Q3 2025" in shown


def test_a_portfolio_matches_its_rows_across_unicode_forms(tmp_path, capsys):
    sheets = portfolio_sheets([CAFE])
    for title in ("KPIs", "Risks", "Decisions", "Actions"):
        for row in sheets[title][1:]:
            row[0] = CAFE_DECOMPOSED
    path = write(tmp_path / "portfolio.xlsx", sheets, quarter_formats=None)
    assert main(["validate", str(path)]) == 0
    assert "0 errors" in capsys.readouterr().err
