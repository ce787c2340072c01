"""Build a demonstration outputs folder and photograph its site: `python scripts/site_demo.py DIR`.

Starts from `reportgen init`'s example workbooks and runs the real commands on them: the
example partnership over four quarters (Q1–Q4 2025, the extra quarters made by editing the
Quarter cell and a few actuals with openpyxl), Q3 rebuilt twice with changed commentary (r2,
r3), its packs e-mailed through a local SMTP server (aiosmtpd on 127.0.0.1, one address
refused), and eight more partnerships built together in Q2, Q3 and Q4 (so each of those
quarters has a portfolio summary). Then `reportgen site`, and with `--screenshots` headless
Chromium photographs the index and the example's page into docs/site-index.png and
docs/site-partnership.png.

Needs the test extras (aiosmtpd, selenium) and, for screenshots, Debian's chromium and
chromium-driver. Everything stays on this machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
REPORTGEN = [sys.executable, "-m", "reportgen.cli"]
EXAMPLE = "FinCorp–TechDrive Wealth Platform"
OTHERS = (  # name, partner, how well it is doing (1.0: on target)
    ("Northwind–Contoso Payments Alliance", "Contoso Ltd.", 1.08),
    ("Globex Cloud Co-Sell", "Globex Corporation", 0.97),
    ("Initech Data Exchange", "Initech LLC", 0.80),
    ("Umbrella Health Joint Venture", "Umbrella Health plc", 1.02),
    ("Stark–Wayne Supply Chain Programme", "Wayne Enterprises", 0.93),
    ("Acme Retail Marketplace", "Acme Corp.", 1.04),
    ("Hooli Identity Partnership", "Hooli Inc.", 0.86),
    ("Vandelay Logistics Network", "Vandelay Industries", 0.99),
)


class Refusing:
    """An SMTP server's handler: accepts every message but for one refused address."""

    def __init__(self, refuse: str) -> None:
        self.refuse = refuse

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if address == self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 2.0.0 Ok: queued"


def reportgen(folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
    print("$ reportgen", " ".join(args), flush=True)
    result = subprocess.run([*REPORTGEN, *args], cwd=folder, env={**os.environ, **(env or {})},
                            check=False)
    if result.returncode not in (0, 1):  # 1: a refused recipient, which the demo wants
        raise SystemExit(f"reportgen {args[0]} failed with {result.returncode}")


def variant(source: Path, target: Path, *, quarter: str, name: str = "", partner: str = "",
            factor: float = 1.0, seed: int = 0, note: str = "",
            actuals: dict[str, float] | None = None) -> Path:
    """A copy of an example workbook for another quarter or partnership: actuals scaled by
    `factor` (give or take 6%) or set by KPI name; another partnership's risks reshuffled."""
    book = load_workbook(source)
    keys = book["Partnership"]
    for row in keys.iter_rows(min_row=1):
        key = str(row[0].value or "").strip()
        if key == "Quarter":
            row[1].value = quarter
        elif key == "Partnership" and name:
            row[1].value = name
        elif key == "Partner" and partner:
            row[1].value = partner
    chance = random.Random(seed)
    kpis = book["KPIs"]
    for row in kpis.iter_rows(min_row=2):
        actual = row[4]
        if isinstance(actual.value, int | float) and factor != 1.0:
            scaled = actual.value * factor * chance.uniform(0.94, 1.06)
            actual.value = round(scaled, 4) if abs(actual.value) < 10 else round(scaled)
            if row[3].number_format == "0.0":  # a 1–5 scale stays on it
                actual.value = round(min(5.0, max(1.0, scaled)), 1)
        if actuals and row[1].value in actuals:
            actual.value = actuals[row[1].value]
        if note and row[1].value == "Joint Project Milestone Delivery":
            row[10].value = note
    if name:
        for row in book["Risks"].iter_rows(min_row=2):
            row[3].value = chance.randint(1, 3) if factor >= 0.97 else chance.randint(2, 4)
    book.save(target)
    return target


def build(folder: Path, screenshots: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    reportgen(folder, "init", ".", "--force")
    q2, q3 = folder / "fincorp-techdrive-2025-Q2.xlsx", folder / "fincorp-techdrive-2025-Q3.xlsx"
    q1 = variant(q2, folder / "fincorp-techdrive-2025-Q1.xlsx", quarter="2025-Q1", factor=0.95,
                 seed=1)
    q4 = variant(q3, folder / "fincorp-techdrive-2025-Q4.xlsx", quarter="2025-Q4",
                 actuals={"Joint Project Milestone Delivery": 0.93,
                          "Executive Engagement Score": 4.6})
    drift = {"2025-Q2": (q2, 0.97), "2025-Q3": (q3, 1.0), "2025-Q4": (q4, 1.02)}
    others = {quarter: [variant(source, folder / f"other-{index}-{quarter}.xlsx",
                                quarter=quarter, name=name, partner=partner,
                                seed=index * 10 + int(quarter[-1]), factor=level * change)
                        for index, (name, partner, level) in enumerate(OTHERS)]
              for quarter, (source, change) in drift.items()}
    reportgen(folder, "build", str(q1.name))
    reportgen(folder, "build", str(q2.name), *(p.name for p in others["2025-Q2"]))
    reportgen(folder, "build", str(q3.name), *(p.name for p in others["2025-Q3"]))
    handler = Refusing("elena.ortiz@techdrive.example")
    server = Controller(handler, hostname="127.0.0.1", port=8025)
    server.start()
    smtp = {"REPORTGEN_SMTP_HOST": "127.0.0.1", "REPORTGEN_SMTP_PORT": "8025",
            "REPORTGEN_SMTP_SECURITY": "none",
            "REPORTGEN_SMTP_FROM": "Alliance Office <alliances@fincorp.example>"}
    try:
        pack = "outputs/fincorp-techdrive-wealth-platform/2025-Q3"
        reportgen(folder, "send", pack, env=smtp)
        for text in ("Dedicated team approved (D-01); recovery plan agreed.",
                     "Dedicated team starts in November; two releases moved into Q4."):
            variant(q3, q3, quarter="2025-Q3", note=text)
            reportgen(folder, "build", q3.name)
        reportgen(folder, "send", pack, env=smtp)
        reportgen(folder, "build", q4.name, *(p.name for p in others["2025-Q4"]))
        reportgen(folder, "send", "outputs/fincorp-techdrive-wealth-platform/2025-Q4",
                  "--to", "Dana Whitfield <dana.whitfield@fincorp.example>", env=smtp)
    finally:
        server.stop()
    reportgen(folder, "site")
    if screenshots:
        site = folder / "outputs" / "site"
        page = next((site / "partnerships").glob("fincorp-techdrive-wealth-platform-*.html"))
        photograph(site / "index.html", ROOT / "docs" / "site-index.png", height=1160)
        photograph(page, ROOT / "docs" / "site-partnership.png", height=2446)


def photograph(page: Path, target: Path, *, width: int = 1200, height: int) -> None:
    """A screenshot of `page`, `width` wide and at most `height` tall, as a small PNG."""
    from PIL import Image
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
                     f"--window-size={width},{height}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.get(page.as_uri())
        full = driver.execute_script("return document.documentElement.scrollHeight")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": min(full, height), "deviceScaleFactor": 1,
            "mobile": False})
        raw = target.with_suffix(".raw.png")
        driver.save_screenshot(str(raw))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    image = Image.open(raw).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    raw.unlink()
    print(f"wrote {target} ({target.stat().st_size // 1024} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to build (a new or scratch folder)")
    parser.add_argument("--screenshots", action="store_true",
                        help="also photograph the site into docs/")
    arguments = parser.parse_args()
    build(arguments.folder.resolve(), arguments.screenshots)


if __name__ == "__main__":
    main()
