"""What the benchmark scripts share: the interpreter, the environment every build runs in, the
floor (bare WeasyPrint writing a pack's HTML to PDF) and the timing of one fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1759311000"}
FLOOR = """
import sys
from weasyprint import HTML
HTML(string=open(sys.argv[1], encoding="utf-8").read(), base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""


def timed(command: list[str], cwd: Path, env: dict[str, str] = ENV) -> float:
    """Wall seconds of one command in a fresh process (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
