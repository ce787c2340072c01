"""The site in a real browser: Debian's headless Chromium, driven by selenium through Debian's
chromedriver (no browser is ever downloaded). Over file:// and through a local web server
(http.server on 127.0.0.1): following links to a partnership and its PDF, filtering, sorting,
the keyboard, contrast, printing, hostile names, and that nothing is fetched from a network."""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname, urlopen

import pytest

from archives import fill, quarters_from, record, synthetic_review
from reportgen.archive import Archive
from reportgen.cli import main
from sites import GENERATED, HOSTILE, Outputs, Page

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                       reason="Debian's chromium and chromium-driver are not installed "
                              "(scripts/install-system-packages --tests)"),
]
EXAMPLE = "FinCorp–TechDrive Wealth Platform"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """Real packs of the example (Q2, Q3) built by `reportgen build`, 12 synthetic partnerships
    over four quarters and the hostile names (stand-in files), and their site."""
    home = tmp_path_factory.mktemp("browser")
    assert main(["init", str(home / "demo")]) == 0
    folder = home / "outputs"
    workbooks = sorted(str(p) for p in (home / "demo").glob("*.xlsx"))
    assert main(["build", *workbooks, "--out", str(folder), "--format", "pdf",
                 "--jobs", "1"]) == 0
    url = f"sqlite:///{folder / 'archive.sqlite'}"
    with Archive.open(url) as archive:
        fill(archive, folder, [f"Partnership {n:02d}" for n in range(12)],
             quarters_from("2025-Q1", 4))
        for index, name in enumerate(HOSTILE):
            record(archive, synthetic_review(name, "2025-Q4", 0.9, seed=100 + index), 1,
                   GENERATED, folder)
    outputs = Outputs(folder, url)
    outputs.generate()
    return outputs


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="reportgen-chromium-")
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def fetched(driver: Any) -> list[str]:
    """Every URL the browser requested since the last call (from its performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def problems(driver: Any) -> list[str]:
    """The console's errors and warnings (a refused load or script error shows there)."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] in ("SEVERE", "WARNING")]


def rows(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return [r for r in driver.find_elements(By.CSS_SELECTOR, "#partnerships tbody tr")
            if r.is_displayed()]


def open_index(driver: Any, built: Outputs) -> None:
    driver.get((built.site / "index.html").as_uri())
    fetched(driver), problems(driver)  # start the logs afresh


def test_index_to_a_partnership_to_its_pdf_over_file_urls(browser: Any,
                                                          built: Outputs) -> None:
    from selenium.webdriver.common.by import By

    open_index(browser, built)
    browser.find_element(By.LINK_TEXT, EXAMPLE).click()
    assert browser.title.startswith(EXAMPLE)
    assert browser.find_element(By.TAG_NAME, "h1").text == EXAMPLE
    link = browser.find_element(By.CSS_SELECTOR, "article a.file")
    target = Path(url2pathname(urlsplit(link.get_attribute("href")).path)).resolve()
    assert target.is_relative_to(built.folder.resolve()) and target.suffix == ".pdf"
    assert target.read_bytes().startswith(b"%PDF-") and target.stat().st_size > 10_000
    assert "/2025-Q3/r1/" in target.as_posix()  # the newest quarter comes first
    assert problems(browser) == []
    assert all(url.startswith("file://") for url in fetched(browser))


def test_the_filter_narrows_the_rows_by_name_status_and_risk(browser: Any,
                                                             built: Outputs) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_index(browser, built)
    total = len(rows(browser))
    assert total == 17
    search = browser.find_element(By.ID, "partnerships-q")
    search.send_keys("partnership 1")
    assert sorted(r.get_attribute("data-name").split()[1] for r in rows(browser)) == [
        "10", "11"]
    count = browser.find_element(By.CLASS_NAME, "filter-count")
    assert count.text == f"2 of {total} shown"
    search.clear()
    search.send_keys(" ")  # an input event with an empty query: every row again
    status = Select(browser.find_element(By.ID, "partnerships-status"))
    status.select_by_visible_text("Red")
    red = rows(browser)
    assert red and all(r.get_attribute("data-status") == "red" for r in red)
    status.select_by_visible_text("Any status")
    browser.find_element(By.ID, "partnerships-risk").click()
    assert all(r.get_attribute("data-risk") != "0" for r in rows(browser))
    search.send_keys("no such partnership")
    assert rows(browser) == []
    assert browser.find_element(By.CLASS_NAME, "filter-empty").is_displayed()


def test_sorting_by_score_both_ways(browser: Any, built: Outputs) -> None:
    from selenium.webdriver.common.by import By

    open_index(browser, built)
    header = browser.find_element(
        By.XPATH, "//table[@id='partnerships']//th[button[normalize-space()='Score']]")
    header.find_element(By.TAG_NAME, "button").click()
    scores = [int(r.find_element(By.CLASS_NAME, "score").text) for r in rows(browser)]
    assert scores == sorted(scores) and header.get_attribute("aria-sort") == "ascending"
    header.find_element(By.TAG_NAME, "button").click()
    scores = [int(r.find_element(By.CLASS_NAME, "score").text) for r in rows(browser)]
    assert scores == sorted(scores, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"


def test_the_keyboard_reaches_the_content_and_sorts(browser: Any, built: Outputs) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_index(browser, built)
    keys = ActionChains(browser)

    def focused() -> Any:
        return browser.switch_to.active_element

    keys.send_keys(Keys.TAB).perform()
    assert focused().text == "Skip to the content"
    assert focused().value_of_css_property("outline-style") != "none"
    keys.send_keys(Keys.ENTER).perform()
    assert focused().get_attribute("id") == "main"
    for _ in range(40):  # on through the filter to the first sortable header
        keys.send_keys(Keys.TAB).perform()
        if focused().tag_name == "button":
            break
    assert focused().text.casefold().startswith("partnership")
    keys.send_keys(Keys.ENTER).perform()
    header = browser.find_element(By.CSS_SELECTOR, "#partnerships th")
    assert header.get_attribute("aria-sort") == "ascending"
    keys.send_keys(Keys.SPACE).perform()
    assert header.get_attribute("aria-sort") == "descending"
    names = [r.get_attribute("data-name") for r in rows(browser)]
    assert names[0].startswith("Partnership 11")


CONTRAST = """
function rgb(c) {
  const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : m.concat(1); }
function lum(c) { return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]); }
function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
function background(el) {
  for (; el; el = el.parentElement) { const b = rgb(getComputedStyle(el).backgroundColor);
    if (b[3] > 0.5) return b; }
  return [255, 255, 255, 1];
}
const bad = [];
for (const el of document.querySelectorAll("body *")) {
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length) continue;
  const s = getComputedStyle(el), size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
  const a = lum(rgb(s.color)), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < need)
    bad.push(`${el.tagName}.${el.className} '${el.textContent.trim().slice(0, 30)}' ${ratio}`);
}
return bad;
"""


def test_text_meets_wcag_aa_contrast_on_every_kind_of_page(browser: Any,
                                                           built: Outputs) -> None:
    example = next((built.site / "partnerships").glob("fincorp-techdrive-wealth-platform-*"))
    for page in (built.site / "index.html", example, built.site / "quarters" / "2025-Q3.html",
                 built.site / "quarters" / "index.html"):
        browser.get(page.as_uri())
        assert browser.execute_script(CONTRAST) == [], page


def test_hostile_names_are_inert_in_the_browser(browser: Any, built: Outputs) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_index(browser, built)
    for name in HOSTILE:
        link = browser.find_element(By.LINK_TEXT, name.strip())
        ActionChains(browser).move_to_element(link).perform()
        assert urlsplit(link.get_attribute("href")).scheme == "file"
    link = browser.find_element(By.LINK_TEXT, "javascript:alert(document.cookie)")
    link.click()
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.find_element(By.TAG_NAME, "h1").text == "javascript:alert(document.cookie)"
    assert browser.execute_script("return document.images.length") == 0
    assert problems(browser) == []


def test_printing_leaves_out_the_controls(browser: Any, built: Outputs,
                                          tmp_path: Path) -> None:
    open_index(browser, built)
    pdf = tmp_path / "index.pdf"
    pdf.write_bytes(base64.b64decode(browser.print_page()))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = " ".join(text.split())
    assert EXAMPLE in words and "Partnership 00" in words
    assert "Find a partnership" not in words and "Quarters" not in words and "↕" not in words


def test_a_screenshot_of_the_index_and_a_partnership(browser: Any, built: Outputs,
                                                     tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    open_index(browser, built)
    assert browser.save_screenshot(str(tmp_path / "index.png"))
    browser.find_element(By.LINK_TEXT, EXAMPLE).click()
    assert browser.save_screenshot(str(tmp_path / "partnership.png"))
    for name in ("index.png", "partnership.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000


@pytest.fixture(scope="module")
def server(built: Outputs) -> Iterator[str]:
    """The outputs folder served by http.server on 127.0.0.1 (an ephemeral port)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    def handler(*args: object) -> Quiet:
        return Quiet(*args, directory=str(built.folder))

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_through_a_web_server_every_link_on_every_page_resolves(built: Outputs,
                                                                server: str) -> None:
    start = urljoin(server, "site/index.html")
    seen, pending, checked = {start}, [start], 0
    while pending:
        page = pending.pop()
        with urlopen(page, timeout=10) as response:
            assert response.status == 200
            body = response.read()
        local = built.folder / unquote(urlsplit(page).path).lstrip("/")
        assert body == local.read_bytes()
        for link in Page(local).links:
            target = urljoin(page, link).partition("#")[0]
            assert target.startswith(server), f"{page}: {link} leaves the site's server"
            checked += 1
            if target in seen:
                continue
            seen.add(target)
            if target.endswith(".html"):
                pending.append(target)
            else:
                with urlopen(target, timeout=10) as response:
                    assert response.status == 200 and response.read(), target
    assert checked > 400 and sum(url.endswith(".pdf") for url in seen) > 40


def test_through_a_web_server_the_browser_follows_a_partnership_link(
        browser: Any, built: Outputs, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(urljoin(server, "site/index.html"))
    fetched(browser)
    browser.find_element(By.LINK_TEXT, EXAMPLE).click()
    assert browser.find_element(By.TAG_NAME, "h1").text == EXAMPLE
    pdf = browser.find_element(By.CSS_SELECTOR, "article a.file").get_attribute("href")
    with urlopen(pdf, timeout=10) as response:
        assert response.read().startswith(b"%PDF-")
    assert all(url.startswith(server) for url in fetched(browser))
    assert problems(browser) == []
