"""End to end in real headless Chromium (Debian's chromium + chromedriver, nothing downloaded):
search, context, course pack, .docx export, case check and uploads. Screenshots of each page
are saved under screenshots/ for review."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import PDFS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = ROOT / "screenshots"
WAIT = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("browser")
    index = work / "index"
    shutil.copytree(corpus_index, index)
    port = _free_port()
    env = {
        **os.environ,
        "KB_INDEX_PATH": str(index),
        "KB_PACKS_DIR": str(work / "packs"),
        "KB_LIBRARY_DIR": str(work / "library"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    yield url, work
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(app_url, tmp_path_factory: pytest.TempPathFactory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Debian's chromium and chromium-driver are needed: `make browser`")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1400,1600",
        "--no-first-run",
        "--disable-component-update",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    SHOTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def _wait_text(driver, text: str) -> None:
    WebDriverWait(driver, WAIT).until(
        ec.presence_of_element_located((By.XPATH, f'//*[contains(normalize-space(.), "{text}")]'))
    )


def _click(driver, xpath: str) -> None:
    element = WebDriverWait(driver, WAIT).until(ec.element_to_be_clickable((By.XPATH, xpath)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _button(label: str) -> str:
    return f'(//button[normalize-space(.)="{label}"])[1]'


def test_search_context_pack_and_word_export(app_url, browser) -> None:
    url, work = app_url
    browser.get(f"{url}/?q=fathers")
    _wait_text(browser, "Working with")
    _wait_text(browser, "Greater effort should be made")
    browser.save_screenshot(str(SHOTS / "search.png"))
    browser.set_window_size(820, 1180)  # a tablet held upright: cards still readable
    time.sleep(1)
    card = browser.find_element(By.XPATH, "(//*[contains(@class, 'kb-text')])[1]")
    assert card.is_displayed() and card.size["width"] > 400
    browser.save_screenshot(str(SHOTS / "search-tablet.png"))
    browser.set_window_size(1400, 1600)
    # The card of Baby F's point on fathers: its context, then into a pack.
    card = "//*[contains(@class, 'kb-text')][contains(., 'Greater effort should be made')]"
    _click(browser, f"({card}/following::summary[contains(., 'Show in context')])[1]")
    _wait_text(browser, "Practitioners should always make further")  # a neighbouring point
    _click(browser, f"({card}/following::button[normalize-space(.)='Add to pack'])[1]")
    time.sleep(2)
    browser.get(f"{url}/packs")
    _wait_text(browser, "Greater effort should be made")
    browser.save_screenshot(str(SHOTS / "packs.png"))
    _click(browser, _button("Word (.docx)"))
    deadline = time.time() + 30
    files: list[Path] = []
    while time.time() < deadline and not files:
        files = [p for p in browser.downloads.glob("*.docx")]
        time.sleep(0.5)
    assert files, "the .docx did not download"
    paragraphs = [p.text for p in docx.Document(files[0]).paragraphs]
    # The pack keeps what the card showed: the point under the lead-in of its list.
    point = (
        "Greater effort should be made to contact and involve fathers and extended family "
        "members in assessments and planning."
    )
    assert any(p.startswith("Other important learning points") and point in p for p in paragraphs)
    assert any(
        p.startswith("Source: Harrow Safeguarding Children Board Annual Report") for p in paragraphs
    )


def test_case_check_in_the_browser(app_url, browser) -> None:
    url, _ = app_url
    browser.get(f"{url}/case-check")
    area = WebDriverWait(browser, WAIT).until(ec.element_to_be_clickable((By.XPATH, "//textarea")))
    area.send_keys(
        "Mother's new partner has not been seen by anyone. The family moved here "
        "from another borough and the case is being transferred."
    )
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    _wait_text(browser, "Concern:")
    _wait_text(browser, "When cases are transferred across borough boundaries")
    browser.save_screenshot(str(SHOTS / "case-check.png"))


def test_upload_a_good_and_a_bad_file(app_url, browser, tmp_path: Path) -> None:
    url, work = app_url
    good = tmp_path / "child-b-review.txt"
    good.write_text("Learning\n\nHealth visitors should ask who else lives in the home.\n")
    bad = tmp_path / "locked.pdf"
    bad.write_bytes((PDFS / "libreoffice-writer-password.pdf").read_bytes())
    browser.get(f"{url}/library")
    _wait_text(browser, "Add documents")
    field = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.XPATH, "//input[@type='file']"))
    )
    field.send_keys(f"{good}\n{bad}")
    _click(browser, _button("Index these files"))
    _wait_text(browser, "Indexed child-b-review.txt")
    _wait_text(browser, "Not indexed: locked.pdf")
    browser.save_screenshot(str(SHOTS / "library.png"))
    saved = list((work / "library").iterdir())
    assert len(saved) == 1 and saved[0].name.startswith("child-b-review-")
    for page in ("topics", "ask"):
        browser.get(f"{url}/{page}")
        time.sleep(4)
        browser.save_screenshot(str(SHOTS / f"{page}.png"))
