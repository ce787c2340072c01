"""When the environment is at fault, one line and exit status 1, never a traceback: an output
folder that may only be read (where `history` still works: reading needs no write access), a
disk that fills up, an archive with a damaged page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reportgen.cli import main
from workbooks import example_sheets, write, write_example

SLUG = "fincorp-techdrive-wealth-platform"
Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    monkeypatch.delenv("REPORTGEN_ARCHIVE", raising=False)


def reportgen(*args: object, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "reportgen.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1759311000"})


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], Run]]:
    """`read_only(folder)` gives a runner of reportgen commands that see `folder` read-only: a
    read-only bind mount in a mount namespace of their own when root (whom permissions do not
    stop), else the folder's write permissions taken away."""
    restore: list[Path] = []

    def make(folder: Path) -> Run:
        if os.geteuid() != 0:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o555)
                    restore.append(path)
            return reportgen
        if shutil.which("unshare") is None:
            pytest.skip("needs unshare(1) to mount a read-only folder")
        mount = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
                 'exec "$@"')
        probe = subprocess.run(["unshare", "-m", "sh", "-c", mount, "sh", "true"],
                               capture_output=True)
        if probe.returncode:
            pytest.skip(f"cannot mount a read-only folder here: {probe.stderr!r}")
        return lambda *args: reportgen(*args, prefix=("unshare", "-m", "sh", "-c", mount, "sh"))

    yield make
    for path in restore:
        path.chmod(0o755)


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_history_reads_an_archive_in_a_read_only_folder(tmp_path, read_only):
    out = tmp_path / "out"
    assert main(["archive", "import", str(write_example(tmp_path / "q2.xlsx", quarter=2)),
                 "--out", str(out)]) == 0
    shutil.rmtree(out / "archive.sqlite.locks")  # as if another user had built it
    before = listing(out)
    writable = reportgen("history", "fincorp", "--json", "--out", out)
    assert writable.returncode == 0, writable.stderr
    shutil.rmtree(out / "archive.sqlite.locks", ignore_errors=True)
    run = read_only(out)
    shown = run("history", "fincorp", "--json", "--out", out)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout == writable.stdout
    assert listing(out) == before  # nothing created, not even a lock file


def test_build_into_a_read_only_folder_is_one_line(tmp_path, read_only):
    out = tmp_path / "out"
    source = write_example(tmp_path / "q3.xlsx")
    # built in a process of its own, as the read-only build is: a number cell read earlier in
    # this test process can change how an equal one reads back (50 or 50.0), and so the digest
    assert reportgen("build", source, "--out", out, "--format", "html").returncode == 0
    run = read_only(out)
    same = run("build", source, "--out", out, "--format", "html", "--jobs", "1")
    assert same.returncode == 0 and "unchanged" in same.stdout, (same.stdout, same.stderr,
                                                                 listing(out))
    sheets = example_sheets()
    sheets["KPIs"][4][4] = 0.91
    new = run("build", write(source, sheets), "--out", out, "--format", "html", "--jobs", "1")
    assert new.returncode == 1
    lines = new.stderr.splitlines()
    assert len(lines) == 3, new.stderr  # the problem, "failed … nothing written", the count
    assert lines[0].startswith(f"{source.name}: FinCorp–TechDrive Wealth Platform: {out}")
    assert lines[0].endswith(("Read-only file system", "Permission denied"))
    assert lines[1] == "failed     FinCorp–TechDrive Wealth Platform 2025-Q3: nothing written"
    for folder in (out, tmp_path / "other"):  # a new archive cannot be made there either
        folder.mkdir(exist_ok=True)
    fresh = read_only(tmp_path / "other")("build", source, "--out", tmp_path / "other")
    assert fresh.returncode == 1 and len(fresh.stderr.splitlines()) == 1, fresh.stderr
    assert fresh.stderr.startswith(f"cannot open the archive {tmp_path / 'other'}")


def damage(archive: Path) -> None:
    """Overwrite every page but the first (the header and schema) with garbage."""
    data = bytearray(archive.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)
    archive.write_bytes(bytes(data))


def test_a_damaged_archive_is_one_line_naming_it(tmp_path, capsys):
    out = tmp_path / "out"
    workbooks = [write_example(tmp_path / f"q{q}.xlsx", quarter=q) for q in (2, 3)]
    assert main(["archive", "import", *map(str, workbooks), "--out", str(out)]) == 0
    damage(out / "archive.sqlite")
    capsys.readouterr()
    damaged = (f"archive {out / 'archive.sqlite'}: database disk image is malformed: the file "
               "is damaged; restore it from a backup (`sqlite3 FILE .recover` salvages what can "
               "still be read); the packs on disk are not affected")
    assert main(["history", "fincorp", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith(damaged), err
    assert main(["build", str(workbooks[1]), "--out", str(out), "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "[SQL:" not in err and "Traceback" not in err and "please report" not in err
    assert err.count("\n") == 1 and err.rstrip().endswith(damaged), err


def test_a_really_full_disk_leaves_nothing_and_one_line(tmp_path):
    """On a disk of its own just big enough for the PDF, the PDF fits and the pack does not."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) to mount a small disk")
    out, archive = tmp_path / "out", tmp_path / "archive.sqlite"
    out.mkdir()
    source = write_example(tmp_path / "q3.xlsx")
    sizes = tmp_path / "sizes"  # the pack built once on an ordinary disk, to size the small one
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1759311000")
        assert main(["build", str(source), "--out", str(sizes), "--no-archive"]) == 0
    pdf = next(sizes.glob("*/2025-Q3/r1/*.pdf")).stat().st_size
    disk = pdf // 1024 + 12  # KiB: the PDF and a few pages more, not the Word file as well
    script = (f'mount -t tmpfs -o size={disk}k tmpfs "$1" || exit 99; '
              '"$2" -m reportgen.cli build "$3" --out "$1" --archive "sqlite:///$4" --jobs 1; '
              'echo "exit $?"; cd "$1" && find . | sort')
    run = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(out), sys.executable,
                          str(source), str(archive)], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": "1759311000"})
    if "exit" not in run.stdout:
        pytest.skip(f"cannot mount a small disk here: {run.stderr!r}")
    assert run.stdout.splitlines() == [
        "exit 1", ".", "./.locks", f"./.locks/{SLUG}.lock", f"./{SLUG}",
        f"./{SLUG}/2025-Q3"], run.stdout  # no r1/, no .r1.partial/, no temporary file
    lines = run.stderr.splitlines()  # which file fills the disk depends on the pack's sizes
    assert len(lines) == 3, run.stderr
    assert lines[0].startswith(f"q3.xlsx: FinCorp–TechDrive Wealth Platform: {out}/{SLUG}/"
                               "2025-Q3/.r1.partial/")
    assert lines[0].endswith(": No space left on device")
    assert lines[1:] == ["failed     FinCorp–TechDrive Wealth Platform 2025-Q3: nothing written",
                         "0 built, 0 unchanged, 1 failed"]
    assert main(["history", "fincorp", "--archive", f"sqlite:///{archive}"]) == 1  # no row


HOLD = ("import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n")


def test_a_locked_archive_names_the_lock_and_what_holds_it(tmp_path, capsys, monkeypatch):
    from reportgen.archive import engine

    out = tmp_path / "out"
    q2, q3 = (write_example(tmp_path / f"q{q}.xlsx", quarter=q) for q in (2, 3))
    assert main(["archive", "import", str(q2), "--out", str(out)]) == 0
    database = out / "archive.sqlite"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(database)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
        capsys.readouterr()
        assert main(["archive", "import", str(q3), "--out", str(out)]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "another reportgen" not in err and "Traceback" not in err
    assert f"the lock on {database} (and its -wal and -shm files)" in err
    assert f"process {holder.pid} (python" in err


@pytest.mark.parametrize("link", [SLUG, f"{SLUG}/2025-Q3", ".locks"])
def test_a_symbolic_link_in_the_outputs_folder_is_never_followed_out(tmp_path, capsys, link):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(elsewhere, target_is_directory=True)
    source = write_example(tmp_path / "q3.xlsx")
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert f"{out / link}: a symbolic link inside the outputs folder" in err, err
    assert "Traceback" not in err
    assert list(elsewhere.iterdir()) == []


def test_an_emptied_archive_beside_archived_revisions_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    q2, q3 = (write_example(tmp_path / f"q{q}.xlsx", quarter=q) for q in (2, 3))
    assert main(["build", str(q2), "--out", str(out), "--format", "html", "--site"]) == 0
    database = out / "archive.sqlite"
    database.write_bytes(b"")  # the archive's data lost, its packs still there
    index = (out / "site" / "index.html").read_bytes()
    capsys.readouterr()
    for command in (["build", str(q3), "--out", str(out), "--format", "html"],
                    ["site", "--out", str(out)], ["history", "fincorp", "--out", str(out)]):
        assert main(command) == 1, command
        err = capsys.readouterr().err
        assert f"archive {database}: the file is empty (0 bytes), yet revisions archived " \
            f"before are beside it ({out / SLUG / '2025-Q2' / 'r1'})" in err, err
        assert "Traceback" not in err
    assert database.stat().st_size == 0
    assert (out / "site" / "index.html").read_bytes() == index
    assert not (out / SLUG / "2025-Q3").exists()


def test_an_empty_archive_file_with_nothing_beside_it_is_a_new_archive(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "archive.sqlite").write_bytes(b"")
    assert main(["build", str(write_example(tmp_path / "q3.xlsx")), "--out", str(out),
                 "--format", "html"]) == 0
