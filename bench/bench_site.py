"""How long `reportgen site` takes on a large archive: `python bench/bench_site.py [N] [RUNS]`.

Records N partnerships (default 500) × 8 quarters of synthetic reviews straight into a new
SQLite archive through `Archive.record` (tests/archives.py: every fifth quarter has three
revisions, every third revision an e-mail delivery, each with stand-in PDF, Word and manifest
files), then times `reportgen site` as a fresh process RUNS times (default 5) and prints the
median wall time, its spread, the CPU time, the peak memory, and what was written. With
`--postgres URL` the archive is a schema of that PostgreSQL database instead (dropped
afterwards).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from archives import fill, quarters_from  # noqa: E402
from reportgen.archive import Archive  # noqa: E402

MEASURED = """
import resource, sys
from reportgen.cli import main
code = main(sys.argv[1:])
used = resource.getrusage(resource.RUSAGE_SELF)
print("PEAK", used.ru_maxrss, used.ru_utime + used.ru_stime, file=sys.stderr)
sys.exit(code)
"""


def postgres_schema(server: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, make_url, text

    schema = f"reportgen_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(server: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("partnerships", type=int, nargs="?", default=500)
    parser.add_argument("runs", type=int, nargs="?", default=5)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use instead")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        outputs = Path(scratch) / "outputs"
        outputs.mkdir()
        schema = ""
        if arguments.postgres:
            url, schema = postgres_schema(arguments.postgres)
        else:
            url = f"sqlite:///{outputs / 'archive.sqlite'}"
        try:
            start = time.perf_counter()
            with Archive.open(url) as archive:
                names = [f"Partnership {n:04d} Alliance" for n in range(arguments.partnerships)]
                revisions = fill(archive, outputs, names, quarters_from("2024-Q1", 8))
            print(f"archive: {arguments.partnerships} partnerships × 8 quarters, {revisions} "
                  f"revisions, recorded in {time.perf_counter() - start:.0f} s")
            times, cpu, peaks = [], [], []
            command = [sys.executable, "-c", MEASURED, "site", "--out", str(outputs),
                       "--archive", url]
            env = {**os.environ, "SOURCE_DATE_EPOCH": "1767600000"}
            for _ in range(arguments.runs):
                start = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True,
                                      check=True)
                times.append(time.perf_counter() - start)
                peak, seconds = done.stderr.split("PEAK")[1].split()[:2]
                peaks.append(int(peak) / 1024)
                cpu.append(float(seconds))
            site = outputs / "site"
            files = [p for p in site.rglob("*") if p.is_file()]
            pages = [p for p in files if p.suffix == ".html"]
            largest = max(pages, key=lambda p: p.stat().st_size)
            print(done.stdout.strip())
            print(f"reportgen site: median {statistics.median(times):.2f} s over "
                  f"{arguments.runs} runs (min {min(times):.2f}, max {max(times):.2f}), CPU "
                  f"{statistics.median(cpu):.2f} s; peak memory {max(peaks):.0f} MiB")
            print(f"wrote {len(pages)} pages, {len(files)} files, "
                  f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB; largest page "
                  f"{largest.relative_to(site)} {largest.stat().st_size / 1000:.0f} KB")
        finally:
            if schema:
                drop_schema(arguments.postgres, schema)


if __name__ == "__main__":
    main()
