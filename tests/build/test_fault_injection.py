"""Real `reportgen build` processes killed with SIGKILL at each step of writing a revision:
every revision folder left on disk is complete (every file its manifest lists, with that digest,
and nothing else) and archived with those very files, or it is absent; and the next build
recovers, with nothing left over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.archive import Archive
from reportgen.outputs.layout import sha256
from workbooks import example_sheets, write, write_example

pytestmark = pytest.mark.slow  # nine real builds, PDF and Word

SLUG = "fincorp-techdrive-wealth-platform"
KEY = "fincorp–techdrive wealth platform"

# Runs `reportgen ARGS` with a hook that SIGKILLs the process at POINT (argv[1]).
KILLED_BUILD = """
import os, signal, sys
point = sys.argv.pop(1)

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if point == "render":  # in the middle of rendering, the PDF's HTML made
    from reportgen.render import pdf
    pdf.write = lambda *args, **kwargs: die()  # what the build lays a pack's PDF out with
elif point in ("files", "manifest"):  # after the first pack file / halfway through the manifest
    from reportgen.outputs import layout
    real, written = layout._create, []
    def create(path, data):
        if point == "files" and written:
            die()
        if point == "manifest" and path.name == "manifest.json":
            with open(path, "wb") as half:
                half.write(data[: len(data) // 2])
            die()
        real(path, data)
        written.append(path)
    layout._create = create
elif point == "archive":  # the revision recorded, its folder not yet in place
    from reportgen.archive.repository import Archive
    real_record = Archive.record
    def record(self, *args, **kwargs):
        real_record(self, *args, **kwargs)
        die()
    Archive.record = record
from reportgen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def build(out: Path, source: Path, point: str = "") -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", KILLED_BUILD, point] if point else [
        sys.executable, "-m", "reportgen.cli"]
    return subprocess.run([*command, "build", str(source), "--out", str(out), "--jobs", "1"],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1759311000"})


def check_every_revision(out: Path, settled: bool = True) -> dict[int, int]:
    """Assert every r<N> folder is complete and archived with exactly its files; return each
    revision's score. `settled`: no staging folder or temporary file is left either (right
    after a kill, a hidden staging folder may wait for the next build)."""
    scores = {}
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        for folder in sorted(out.glob("*/*/r*")):
            revision = int(folder.name[1:])
            manifest = json.loads((folder / "manifest.json").read_text())
            listed = {entry["file"]: entry["sha256"] for entry in manifest["outputs"]}
            on_disk = {p.name: sha256(p.read_bytes()) for p in folder.iterdir()}
            assert on_disk.pop("manifest.json") and on_disk == listed, folder
            review = archive.find_review(KEY, manifest["quarter"], revision)
            assert review is not None, f"{folder} is not archived"
            archived = {a.path: a.sha256 for a in archive.artifacts(review.id)}
            assert archived == {f"{folder.relative_to(out).as_posix()}/{p.name}":
                                sha256(p.read_bytes()) for p in folder.iterdir()}
            scores[revision] = manifest["overall"]["score"]
    if settled:
        assert not list(out.glob("**/.*.partial")) and not list(out.glob("**/.*.tmp"))
    return scores


@pytest.mark.parametrize("point", ["render", "files", "manifest", "archive"])
def test_a_build_killed_at_any_point_leaves_whole_revisions_or_none(tmp_path, point):
    out = tmp_path / "out"
    first = write_example(tmp_path / "q3.xlsx")
    assert build(out, first).returncode == 0
    sheets = example_sheets()
    sheets["KPIs"][4][4] = 0.91  # the next revision scores 89
    second = write(tmp_path / "q3-changed.xlsx", sheets)

    killed = build(out, second, point)

    assert killed.returncode == -9, killed.stderr  # it was killed where the hook said
    quarter = out / SLUG / "2025-Q3"
    left = sorted(p.name for p in quarter.iterdir() if not p.name.startswith("."))
    assert left == ["r1"]  # r2 is absent: it never appears half-made
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        latest = archive.latest(KEY, "2025-Q3")
    assert latest is not None and latest.revision == (2 if point == "archive" else 1)
    assert check_every_revision(out, settled=False) == {1: 83}

    again = build(out, second)

    assert again.returncode == 0, again.stderr
    state = "unchanged" if point == "archive" else "built"
    assert f"{state:<10} FinCorp–TechDrive Wealth Platform 2025-Q3 r2: 89" in again.stdout
    assert check_every_revision(out) == {1: 83, 2: 89}


# Runs `reportgen ARGS` with a hook that presses Ctrl-C (SIGINT) right after the first pack
# file of the revision is written.
INTERRUPTED_BUILD = """
import os, signal, sys
from reportgen.outputs import layout
real, written = layout._create, []
def create(path, data):
    real(path, data)
    written.append(path)
    if len(written) == 1:
        os.kill(os.getpid(), signal.SIGINT)
layout._create = create
from reportgen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_ends_a_build_cleanly_and_writes_nothing_half(tmp_path):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    run = subprocess.run([sys.executable, "-c", INTERRUPTED_BUILD, "build", str(source), "--out",
                          str(out), "--jobs", "1"], capture_output=True, text=True, timeout=600,
                         env={**os.environ, "SOURCE_DATE_EPOCH": "1759311000"})
    assert run.returncode == 130, run.stderr
    assert run.stderr.splitlines()[-1] == "interrupted"
    assert "Traceback" not in run.stderr
    quarter = out / SLUG / "2025-Q3"
    assert not quarter.exists() or not [p for p in quarter.iterdir() if p.name == "r1"]
    with Archive.open(f"sqlite:///{out / 'archive.sqlite'}") as archive:
        assert archive.latest(KEY, "2025-Q3") is None  # nothing recorded
    assert build(out, source).returncode == 0  # the next build makes r1 whole
    assert check_every_revision(out) == {1: 83}
