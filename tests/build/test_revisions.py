"""The outputs folder is evidence: an issued revision is never written again (not after the
archive is emptied, nor with another archive), builds without an archive take turns, a failed
write leaves no revision folder, leftovers of dead builds are cleaned or finished, and pack files
get the permissions the umask gives."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.archive import Archive
from reportgen.cli import main
from reportgen.outputs import layout
from workbooks import example_sheets, write, write_example

SLUG = "fincorp-techdrive-wealth-platform"
KEY = "fincorp–techdrive wealth platform"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    monkeypatch.delenv("REPORTGEN_ARCHIVE", raising=False)


def quarter(out: Path) -> Path:
    return out / SLUG / "2025-Q3"


def changed(path: Path, actual: float = 0.91) -> Path:
    sheets = example_sheets()
    sheets["KPIs"][4][4] = actual  # milestone delivery
    return write(path, sheets)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("how", ["emptied", "another"])
def test_an_issued_revision_is_never_written_again(tmp_path, capsys, how):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    assert main(["build", str(source), "--out", str(out), "--format", "pdf"]) == 0
    issued = snapshot(quarter(out) / "r1")
    flags = []
    if how == "emptied":
        for path in out.glob("archive.sqlite*"):
            path.unlink() if path.is_file() else None
    else:
        flags = ["--archive", f"sqlite:///{tmp_path / 'other.sqlite'}"]
    capsys.readouterr()
    assert main(["build", str(changed(source)), "--out", str(out), "--format", "pdf",
                 *flags]) == 0
    printed = capsys.readouterr()
    assert f"built      FinCorp–TechDrive Wealth Platform 2025-Q3 r2: 89 Green → " \
           f"{quarter(out) / 'r2'}" in printed.out
    assert f"warning: {quarter(out) / 'r1'} is not in this archive (built with another archive " \
           "or none), so this revision is r2" in printed.err
    assert snapshot(quarter(out) / "r1") == issued
    assert json.loads((quarter(out) / "r2" / "manifest.json").read_text())["revision"] == 2


def test_a_revision_number_taken_on_disk_is_skipped(tmp_path):
    out = tmp_path / "out"
    (quarter(out) / "r1").mkdir(parents=True)  # whatever it holds, r1 is taken
    (quarter(out) / "r1" / "notes.txt").write_text("kept")
    assert main(["build", str(write_example(tmp_path / "q3.xlsx")), "--out", str(out),
                 "--format", "html", "--no-archive"]) == 0
    assert sorted(p.name for p in quarter(out).iterdir()) == ["r1", "r2"]
    assert [p.name for p in (quarter(out) / "r1").iterdir()] == ["notes.txt"]


PAUSED_BUILD = """
import sys, time
from reportgen.build import pipeline
real = pipeline.manifest
def slow(*args, **kwargs):  # between choosing the revision and writing it
    time.sleep(1.5)
    return real(*args, **kwargs)
pipeline.manifest = slow
from reportgen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_builds_without_an_archive_take_turns(tmp_path):
    out = tmp_path / "out"
    sources = [changed(tmp_path / f"q3-{n}.xlsx", actual) for n, actual in
               enumerate((0.88, 0.91))]
    runs = [subprocess.Popen([sys.executable, "-c", PAUSED_BUILD, "build", str(source), "--out",
                              str(out), "--format", "html", "--no-archive", "--jobs", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for source in sources]
    printed = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], printed
    assert sorted(p.name for p in quarter(out).iterdir()) == ["r1", "r2"]
    scores = sorted(json.loads((quarter(out) / r / "manifest.json").read_text())
                    ["overall"]["score"] for r in ("r1", "r2"))
    assert scores == [83, 89]
    assert sorted(line.split()[5] for out, _ in printed for line in out.splitlines()) == [
        "r1:", "r2:"]


def test_a_full_disk_leaves_no_revision_folder_and_one_line(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    assert main(["build", str(source), "--out", str(out)]) == 0
    issued = snapshot(quarter(out) / "r1")
    real = layout._create

    def full_after_the_pdf(path, data):
        if path.suffix != ".pdf":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(layout, "_create", full_after_the_pdf)
    capsys.readouterr()
    assert main(["build", str(changed(source)), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{quarter(out) / '.r2.partial'}/{SLUG}-2025-Q3-qbr.docx: No space left on device" \
        in err
    assert "failed     FinCorp–TechDrive Wealth Platform 2025-Q3: nothing written" in err
    assert "Traceback" not in err and "unexpected" not in err
    assert sorted(p.name for p in quarter(out).iterdir()) == ["r1"]  # no r2/, no staging
    assert snapshot(quarter(out) / "r1") == issued
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        assert archive.latest(KEY, "2025-Q3").revision == 1


def test_leftovers_of_dead_builds_are_removed(tmp_path):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 0
    issued = snapshot(quarter(out) / "r1")
    half = quarter(out) / ".r2.partial"  # a build that died while writing r2
    half.mkdir()
    (half / f"{SLUG}-2025-Q3-qbr.html").write_bytes(b"<html>half")
    (quarter(out) / "r1" / f".{SLUG}-2025-Q3-qbr.html.1f2e3d4c.tmp").write_bytes(b"stray")
    (quarter(out) / ".stray.tmp").write_bytes(b"stray")
    assert main(["build", str(changed(source)), "--out", str(out), "--format", "html"]) == 0
    assert sorted(p.name for p in quarter(out).iterdir()) == ["r1", "r2"]
    assert snapshot(quarter(out) / "r1") == issued
    manifest = json.loads((quarter(out) / "r2" / "manifest.json").read_text())
    assert manifest["overall"]["score"] == 89


class Crash(BaseException):
    """Stands for the process dying between recording the revision and putting it in place."""


def test_a_recorded_revision_left_in_staging_is_put_in_place(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")

    def crash(self):
        raise Crash

    monkeypatch.setattr(layout.StagedRevision, "publish", crash)
    with pytest.raises(Crash):
        main(["build", str(source), "--out", str(out), "--format", "html"])
    assert [p.name for p in quarter(out).iterdir()] == [".r1.partial"]
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 0
    assert "unchanged  FinCorp–TechDrive Wealth Platform 2025-Q3 r1" in capsys.readouterr().out
    assert sorted(p.name for p in quarter(out).iterdir()) == ["r1"]
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        review = archive.latest(KEY, "2025-Q3")
        recorded = {a.path: a.sha256 for a in archive.artifacts(review.id)}
    assert recorded == {f"{SLUG}/2025-Q3/r1/{p.name}": layout.sha256(p.read_bytes())
                        for p in (quarter(out) / "r1").iterdir()}


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_pack_files_honour_the_umask(tmp_path, umask, mode):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    old = os.umask(umask)
    try:
        assert main(["build", str(source), "--out", str(out), "--format", "html",
                     "--no-archive"]) == 0
        layout.atomic_write(tmp_path / "single.txt", b"x")
    finally:
        os.umask(old)
    files = [*(quarter(out) / "r1").iterdir(), tmp_path / "single.txt"]
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {
        p.name: oct(mode) for p in files}
