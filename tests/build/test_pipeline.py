"""`reportgen build`: revision folders, manifests, unchanged rebuilds, atomic files, failures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.outputs.layout import atomic_write, sha256
from workbooks import example_sheets, write, write_example

SLUG = "fincorp-techdrive-wealth-platform"
KEY = "fincorp–techdrive wealth platform"  # the partnership's name, case and spaces folded


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")  # 2025-10-01 09:30 UTC


def pack_dir(out: Path, quarter: str = "2025-Q3", revision: int = 1) -> Path:
    return out / SLUG / quarter / f"r{revision}"


def test_build_writes_pdf_docx_and_a_manifest_of_their_digests(tmp_path, capsys):
    source = write_example(tmp_path / "q3.xlsx")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out)]) == 0
    folder = pack_dir(out)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{SLUG}-2025-Q3-qbr.docx", f"{SLUG}-2025-Q3-qbr.pdf", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["overall"] == {"score": 83, "status": "Amber"}
    assert manifest["revision"] == 1
    assert manifest["inputs"] == [{"file": "q3.xlsx", "sha256": sha256(source.read_bytes())}]
    for entry in manifest["outputs"]:
        assert entry["sha256"] == sha256((folder / entry["file"]).read_bytes())
    assert "built" in capsys.readouterr().out
    assert not list(folder.glob(".*.tmp"))


def test_rebuild_with_same_inputs_changes_nothing_and_says_so(tmp_path, capsys):
    source = write_example(tmp_path / "q3.xlsx")
    out = tmp_path / "out"
    main(["build", str(source), "--out", str(out)])
    before = {p: p.stat().st_mtime_ns for p in pack_dir(out).iterdir()}
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "unchanged" in captured.out
    assert "0 built, 1 unchanged, 0 failed" in captured.err
    assert {p: p.stat().st_mtime_ns for p in pack_dir(out).iterdir()} == before
    assert not pack_dir(out, revision=2).exists()


def test_changed_inputs_make_a_new_revision_and_keep_the_old_one(tmp_path):
    out = tmp_path / "out"
    first = write_example(tmp_path / "q3.xlsx")
    main(["build", str(first), "--out", str(out)])
    old = {p.name: p.read_bytes() for p in pack_dir(out).iterdir()}
    sheets = example_sheets()
    sheets["KPIs"][4][4] = 0.91  # milestone delivery recovers to Amber
    write(tmp_path / "q3.xlsx", sheets)
    assert main(["build", str(first), "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in pack_dir(out).iterdir()} == old
    manifest = json.loads((pack_dir(out, revision=2) / "manifest.json").read_text())
    assert manifest["revision"] == 2
    assert manifest["overall"]["score"] == 89


def test_bad_workbook_writes_nothing_and_exits_1(tmp_path, capsys):
    sheets = example_sheets()
    sheets["Risks"][1][3] = 9
    source = write(tmp_path / "bad.xlsx", sheets)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx: Risks!D2: Probability must be a whole number from 1 to 5, not 9" in err
    assert not out.exists()


def test_one_bad_workbook_does_not_stop_the_others(tmp_path, capsys):
    good = write_example(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    out = tmp_path / "out"
    assert main(["build", str(bad), str(good), "--out", str(out), "--format", "pdf"]) == 1
    assert (pack_dir(out) / f"{SLUG}-2025-Q3-qbr.pdf").is_file()
    assert "1 built, 0 unchanged, 1 failed" in capsys.readouterr().err


def test_html_preview_is_one_self_contained_file(tmp_path):
    source = write_example(tmp_path / "q3.xlsx")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 0
    html = (pack_dir(out) / f"{SLUG}-2025-Q3-qbr.html").read_text()
    assert "Partnership Health Scorecard" in html
    assert "file://" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_a_logo_word_cannot_read_is_a_warning_and_the_packs_are_still_built(tmp_path, capsys):
    source = write_example(tmp_path / "q3.xlsx")
    (tmp_path / "logo.png").write_bytes(b"not a picture")
    (tmp_path / "reportgen.toml").write_text('[branding]\nlogo = "logo.png"\n')
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "docx",
                 "--config", str(tmp_path / "reportgen.toml")]) == 0
    printed = capsys.readouterr().err  # warnings go to standard error
    assert ("  warning: logo.png: the logo cannot be read as a PNG or JPEG image "
            "(UnrecognizedImageError); the Word pack's cover has no logo") in printed
    assert (pack_dir(out) / f"{SLUG}-2025-Q3-qbr.docx").is_file()


def test_unknown_format_is_a_usage_error(tmp_path):
    source = write_example(tmp_path / "q3.xlsx")
    assert main(["build", str(source), "--format", "pdf,pptx", "--out", str(tmp_path)]) == 2


def test_without_archive_revisions_come_from_the_folder(tmp_path):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    args = ["build", str(source), "--out", str(out), "--no-archive", "--format", "pdf"]
    assert main(args) == 0
    assert main(args) == 0
    assert not pack_dir(out, revision=2).exists()
    assert not (out / "archive.sqlite").exists()


def test_a_failed_archive_record_leaves_no_revision_folder(tmp_path, monkeypatch, capsys):
    from reportgen.archive.repository import Archive

    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")

    def crash(self, *args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(Archive, "record", crash)
    assert main(["build", str(source), "--out", str(out), "--format", "pdf"]) == 1
    assert "unexpected error while building this pack (RuntimeError: power cut)" in \
        capsys.readouterr().err
    assert list((out / SLUG / "2025-Q3").iterdir()) == []  # no r1/, no staging folder either
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    assert main(["build", str(source), "--out", str(out), "--format", "pdf"]) == 0
    assert (pack_dir(out) / "manifest.json").is_file()
    assert not pack_dir(out, revision=2).exists()
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        assert archive.latest(KEY, "2025-Q3").revision == 1


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "pack.pdf"
    atomic_write(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_q3_after_q2_shows_the_change(tmp_path):
    import pdfplumber

    out = tmp_path / "out"
    q2 = write_example(tmp_path / "q2.xlsx", quarter=2)
    q3 = write_example(tmp_path / "q3.xlsx", quarter=3)
    assert main(["build", str(q2), "--out", str(out), "--format", "pdf"]) == 0
    assert main(["build", str(q3), "--out", str(out), "--format", "pdf"]) == 0
    with pdfplumber.open(pack_dir(out) / f"{SLUG}-2025-Q3-qbr.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    flat = " ".join(text.split())
    assert ("Overall health fell 5 points to 83 out of 100 (Amber), from 88 (Green) in Q2 2025."
            in flat)
    assert "Joint Project Milestone Delivery fell from Green to Red (88% vs 95% target)" in flat
    assert "Decisions taken since last quarter" in flat  # D-01, open in Q2, decided in Q3


def test_two_builds_at_once_get_distinct_revisions(tmp_path):
    import subprocess
    import sys

    from reportgen.archive.repository import Archive

    out = tmp_path / "out"
    sources = []
    for n, actual in enumerate((0.88, 0.91)):
        sheets = example_sheets()
        sheets["KPIs"][4][4] = actual
        sources.append(write(tmp_path / f"q3-{n}.xlsx", sheets))
    runs = [subprocess.Popen([sys.executable, "-m", "reportgen.cli", "build", str(source),
                              "--out", str(out), "--format", "pdf", "--jobs", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for source in sources]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    assert sorted(p.name for p in (out / SLUG / "2025-Q3").iterdir()) == ["r1", "r2"]
    scores = sorted(json.loads((out / SLUG / "2025-Q3" / r / "manifest.json").read_text())
                    ["overall"]["score"] for r in ("r1", "r2"))
    assert scores == [83, 89]
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        assert archive.latest(KEY, "2025-Q3").revision == 2


def test_the_portfolio_summary_uses_the_users_templates_and_follows_them(tmp_path, capsys):
    import pdfplumber

    from workbooks import portfolio_sheets

    workbook = write(tmp_path / "portfolio.xlsx", portfolio_sheets(["Alpha", "Beta"]),
                     quarter_formats=None)
    templates = tmp_path / "templates"
    templates.mkdir()
    override = templates / "portfolio.html.j2"
    override.write_text('{% extends "default:portfolio.html.j2" %}', encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(workbook), "--out", str(out), "--format", "pdf", "--jobs", "1",
            "--templates", str(templates)]
    assert main(args) == 0
    summary = out / "portfolio" / "2025-Q3" / "portfolio-2025-Q3.pdf"
    first = summary.read_bytes()
    override.write_text('{% extends "default:portfolio.html.j2" %}{% block risks %}'
                        '<p>Prepared for the Alliance Board</p>{% endblock %}', encoding="utf-8")
    assert main(args) == 0
    assert summary.read_bytes() != first  # a changed template rewrites the summary
    with pdfplumber.open(summary) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Prepared for the Alliance Board" in text
    assert "Open Critical and High risks" not in text
