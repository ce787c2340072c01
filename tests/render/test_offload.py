"""The layout process (`render.offload`): the same result as laid out here, relayout questions
answered through the pipe, a job's own error raised as it was, a child that dies or a job that is
abandoned reported and the child not used again; and `reportgen build` lays its PDFs out there
(unless --jobs 1), writes the same bytes as a build without it, and leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from factories import GENERATED_AT, example_review
from reportgen.build.pipeline import BuildOptions, build
from reportgen.cli import main
from reportgen.config import Settings
from reportgen.errors import RenderError
from reportgen.present.view import build_view
from reportgen.render.html import render_html
from reportgen.render.offload import LayoutProcess
from reportgen.render.pdf import write
from reportgen.render.pdfjob import Attachment, Pages, PdfJob, Relayout, pack_job
from workbooks import write_example


@pytest.fixture(scope="module")
def job() -> PdfJob:
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    return pack_job(view, render_html(view), source_name="example.xlsx", attachments=(
        Attachment("data.json", b"{}", "The data", "application/json", "Data"),))


@pytest.fixture
def layout() -> Iterator[LayoutProcess]:
    process = LayoutProcess.start()
    yield process
    process.close()


def gone(pid: int) -> bool:
    """Whether the process `pid` has ended and been reaped (waiting a while for the reaper)."""
    for _ in range(600):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def asking(job: PdfJob, asked: list[Pages]) -> Relayout:
    """A relayout that asks for one more layout (the title shortened), then none."""
    def again(pages: Pages) -> str | None:
        asked.append(pages)
        return job.html.replace("Quarterly Business Review", "QBR", 1) if len(asked) == 1 else None
    return again


def test_the_result_and_the_questions_are_those_of_a_layout_here(
        job: PdfJob, layout: LayoutProcess) -> None:
    asked_here: list[Pages] = []
    here = write(job, asking(job, asked_here))
    for _ in range(2):  # the child takes job after job
        asked_there: list[Pages] = []
        assert layout.submit(job)
        there = layout.result(asking(job, asked_there))
        # (`requested` is not compared: a process's fonts are fetched by its first layout only)
        assert (there.data, there.warnings, there.missing) == (here.data, here.warnings,
                                                               here.missing)
        assert asked_there == asked_here and len(asked_here) == 2
    assert layout.usable


def test_a_jobs_own_error_is_raised_and_the_child_stays(job: PdfJob,
                                                        layout: LayoutProcess) -> None:
    assert layout.submit(replace(job, timeout=0.001))
    with pytest.raises(RenderError, match=r"example\.xlsx: rendering the PDF took longer than"):
        layout.result(None)
    assert layout.usable


def test_a_child_that_dies_is_reported_and_not_used_again(job: PdfJob,
                                                          layout: LayoutProcess) -> None:
    assert layout.submit(job)
    os.kill(layout.pid, signal.SIGKILL)
    with pytest.raises(RenderError, match="the process laying out the PDF stopped"):
        layout.result(None)
    assert not layout.usable and not layout.ready() and not layout.submit(job)


def test_an_abandoned_job_closes_the_child(job: PdfJob, layout: LayoutProcess) -> None:
    def failing(pages: Pages) -> str | None:
        raise RenderError("the template failed")

    assert layout.submit(job)
    with pytest.raises(RenderError, match="the template failed"):
        layout.result(failing)
    assert not layout.usable and gone(layout.pid)


def test_a_job_whose_result_was_never_read_closes_the_child(job: PdfJob,
                                                            layout: LayoutProcess) -> None:
    assert layout.submit(job)
    assert not layout.submit(job)  # the answers would be out of step: lay out here instead
    assert not layout.usable


def test_the_build_lays_out_there_with_the_same_bytes_and_leaves_no_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    source = write_example(tmp_path / "q3.xlsx")
    started: list[LayoutProcess] = []
    results: list[object] = []
    start, result = LayoutProcess.start, LayoutProcess.result

    def counted_start() -> LayoutProcess:
        started.append(start())
        return started[-1]

    def counted_result(self: LayoutProcess, relayout: Relayout | None) -> object:
        results.append(result(self, relayout))
        return results[-1]

    monkeypatch.setattr(LayoutProcess, "start", counted_start)
    monkeypatch.setattr(LayoutProcess, "result", counted_result)
    assert main(["build", str(source), "--out", str(tmp_path / "there"), "--format", "pdf",
                 "--jobs", "2"]) == 0
    assert len(started) == 1 and len(results) == 1
    assert not started[0].usable and gone(started[0].pid)
    assert main(["build", str(source), "--out", str(tmp_path / "alone"), "--format", "pdf",
                 "--jobs", "1"]) == 0
    assert len(started) == 1  # --jobs 1: the build keeps to its own process
    build([source], Settings(), BuildOptions(out=tmp_path / "here", formats=("pdf",)))
    there, here = (sorted((tmp_path / side).rglob("*.pdf")) for side in ("there", "here"))
    assert len(there) == len(here) == 1
    assert there[0].read_bytes() == here[0].read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_no_temporary_font_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 jobs: str) -> None:
    """WeasyPrint copies the pack's fonts into a temporary folder that its finaliser removes;
    neither the layout process (killed) nor the program (which skips the last collection, see
    `cli.main`) may leave it behind."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    source = write_example(tmp_path / "q3.xlsx")
    script = ("import sys, tempfile; tempfile.tempdir = sys.argv.pop(1)\n"
              "from reportgen.cli import main; sys.exit(main())\n")
    subprocess.run([sys.executable, "-c", script, str(temporary), "build", str(source),
                    "--out", str(tmp_path / "out"), "--format", "pdf", "--jobs", jobs],
                   check=True, capture_output=True, timeout=300)
    assert sorted((tmp_path / "out").rglob("*.pdf"))
    assert list(temporary.iterdir()) == []
