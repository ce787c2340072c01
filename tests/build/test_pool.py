"""Quarter end for a portfolio: parallel builds, failures isolated, the portfolio summary, and
workers that never outlive their build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pdfplumber
import pytest

from reportgen.build.renderer import Renderer
from reportgen.cli import main
from reportgen.errors import RenderError
from workbooks import portfolio_sheets, write

pytestmark = pytest.mark.slow  # forks worker pools and renders many packs

NAMES = ["Gamma Alliance", "Alpha Venture", "Beta Co-Marketing"]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")


@pytest.fixture
def portfolio(tmp_path):
    sheets = portfolio_sheets(NAMES)
    for row in sheets["KPIs"][1:]:
        if row[0] == "Alpha Venture" and row[2] == "Joint Project Milestone Delivery":
            row[5] = 0.97  # Alpha's milestone KPI is Green: it ranks first
        if row[0] == "Beta Co-Marketing" and row[2] == "Joint Revenue Growth":
            row[5] = 0.01  # Beta's growth is Red: it ranks last
    return write(tmp_path / "portfolio.xlsx", sheets, quarter_formats=None)


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_portfolio_builds_every_pack_in_parallel_and_a_summary(portfolio, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(portfolio), "--out", str(out), "--jobs", "2",
                 "--format", "pdf"]) == 0
    for slug in ("gamma-alliance", "alpha-venture", "beta-co-marketing"):
        assert (out / slug / "2025-Q3" / "r1" / f"{slug}-2025-Q3-qbr.pdf").is_file()
    captured = capsys.readouterr()
    assert captured.out.count("built ") == 3  # one plain line per pack when not a terminal
    summary = out / "portfolio" / "2025-Q3" / "portfolio-2025-Q3.pdf"
    assert f"portfolio  {summary}" in captured.out
    text = pdf_text(summary)
    order = [text.index(name) for name in ("Alpha Venture", "Gamma Alliance",
                                            "Beta Co-Marketing")]
    assert order == sorted(order), "ranked by overall score, highest first"
    assert "Status by KPI category" in text and "Open Critical and High risks" in text
    assert "Financial Performance" in text


def test_summary_is_not_rewritten_when_nothing_changed(portfolio, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", str(portfolio), "--out", str(out), "--jobs", "2", "--format", "pdf"]
    assert main(args) == 0
    summary = out / "portfolio" / "2025-Q3" / "portfolio-2025-Q3.pdf"
    stamp = summary.stat().st_mtime_ns
    capsys.readouterr()
    assert main(args) == 0
    assert "0 built, 3 unchanged, 0 failed" in capsys.readouterr().err
    assert summary.stat().st_mtime_ns == stamp


def test_one_failed_render_does_not_stop_the_others(portfolio, tmp_path, monkeypatch, capsys):
    real = Renderer.render

    def flaky(self, scored, *args, **kwargs):
        if scored.input.partnership.name == "Beta Co-Marketing":
            raise RenderError("portfolio.xlsx: the pack took longer than 120 s to render")
        return real(self, scored, *args, **kwargs)

    monkeypatch.setattr(Renderer, "render", flaky)  # inherited by the forked workers
    out = tmp_path / "out"
    assert main(["build", str(portfolio), "--out", str(out), "--jobs", "2",
                 "--format", "pdf"]) == 1
    err = capsys.readouterr().err
    assert "Beta Co-Marketing: portfolio.xlsx: the pack took longer than 120 s" in err
    assert "2 built, 0 unchanged, 1 failed" in err
    assert not (out / "beta-co-marketing").exists()
    assert (out / "alpha-venture" / "2025-Q3" / "r1").is_dir()


def test_sequential_and_parallel_builds_give_the_same_packs(portfolio, tmp_path):
    for jobs in ("1", "2"):
        assert main(["build", str(portfolio), "--out", str(tmp_path / jobs), "--jobs", jobs,
                     "--format", "pdf", "--no-archive"]) == 0
    for slug in ("gamma-alliance", "alpha-venture", "beta-co-marketing"):
        name = f"{slug}/2025-Q3/r1/{slug}-2025-Q3-qbr.pdf"
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_a_portfolio_workbook_is_never_embedded_in_one_partners_pack(portfolio, tmp_path):
    import pikepdf

    out = tmp_path / "out"
    assert main(["build", str(portfolio), "--out", str(out), "--jobs", "1", "--format", "pdf",
                 "--no-archive"]) == 0
    pdf = out / "alpha-venture" / "2025-Q3" / "r1" / "alpha-venture-2025-Q3-qbr.pdf"
    with pikepdf.open(pdf) as document:
        assert sorted(document.attachments) == ["scored-review.json"]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if entry.isdigit() and int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False


def test_workers_exit_when_the_build_is_killed(portfolio, tmp_path):
    build = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "build", str(portfolio),
                              "--out", str(tmp_path / "out"), "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.1)
        workers = children_of(build.pid)
    assert len(workers) == 2, "the pool's two workers did not start"
    time.sleep(1)  # at work on their first packs
    build.kill()  # SIGKILL: no chance to stop its pool
    build.wait()
    deadline = time.monotonic() + 20
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for worker in left:  # do not leave them behind if this fails
        os.kill(worker, signal.SIGKILL)
    assert left == [], "workers outlived the build they belonged to"


def test_workers_are_replaced_in_rounds_of_whole_groups(portfolio, tmp_path, monkeypatch,
                                                          capsys):
    from reportgen.build import pool

    assert pool._rounds([["a"], ["b", "c"], ["d"], ["e"]], 2) == [
        [["a"], ["b", "c"]], [["d"], ["e"]]]
    assert pool._rounds([["a", "b", "c"]], 1) == [[["a", "b", "c"]]]
    started = tmp_path / "workers"
    real = pool._start

    def start(*args):
        with started.open("a") as log:
            log.write(f"{os.getpid()}\n")
        real(*args)

    monkeypatch.setattr(pool, "PACKS_PER_WORKER", 1)
    monkeypatch.setattr(pool, "_start", start)
    assert main(["build", str(portfolio), "--out", str(tmp_path / "out"), "--jobs", "2",
                 "--format", "html"]) == 0
    assert "3 built, 0 unchanged, 0 failed" in capsys.readouterr().err
    assert len(set(started.read_text().split())) == 3  # rounds of 2 then 1: three forks
