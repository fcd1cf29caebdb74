"""End to end in real headless Chromium (Debian's chromium + chromedriver, nothing downloaded),
as the app's three kinds of users use it: successive searches and filters, undated documents,
topic browsing, document text full of markup, a case check exported and reopened, the Baby Q
PDF opened at its passage with the passage outlined, course packs and uploads. The speed
figures of docs/evaluation.md are measured here and printed (never asserted: the machine is shared).
Screenshots of each page go to screenshots/ for review."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.app_fixtures import BABY_Q_PAGE, BABY_Q_PHRASE, build_app_index
from tests.conftest import PDFS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = ROOT / "screenshots"
WAIT = 90
SPEED: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _model_load_seconds() -> float:
    """Importing sentence-transformers and loading the model, alone, in a fresh process."""
    code = (
        "import time; t = time.perf_counter(); from kb.index.embed import Embedder; "
        "Embedder(device='cpu').encode_query('warm up'); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def app_url(corpus_index: Path, embedder, browser, tmp_path_factory: pytest.TempPathFactory):
    """The app's server, started after the browser is up (a user's browser is open already:
    the cold start measured is the server's)."""
    work = tmp_path_factory.mktemp("browser")
    index = build_app_index(corpus_index, work / "index", embedder)
    SPEED["model load alone (s)"] = _model_load_seconds()
    port = _free_port()
    env = {
        **os.environ,
        "KB_INDEX_PATH": str(index),
        "KB_PACKS_DIR": str(work / "packs"),
        "KB_LIBRARY_DIR": str(work / "library"),
        "KB_CASECHECKS_DIR": str(work / "casechecks"),
    }
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url, work, started
    server.terminate()
    server.wait(timeout=20)
    _report_speed()


def _report_speed() -> None:
    if not SPEED:
        return
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "speed.json").write_text(json.dumps(SPEED, indent=2) + "\n")
    print("\nApp speed, measured in the browser:", json.dumps(SPEED, indent=2))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
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


# -- helpers ---------------------------------------------------------------------------------
def _wait_text(driver, text: str, wait: float = WAIT) -> None:
    WebDriverWait(driver, wait).until(
        ec.presence_of_element_located((By.XPATH, f'//*[contains(normalize-space(.), "{text}")]'))
    )


def _wait_gone(driver, text: str) -> None:
    xpath = f'//*[contains(@class, "kb-text")][contains(normalize-space(.), "{text}")]'
    WebDriverWait(driver, WAIT).until(lambda d: not d.find_elements(By.XPATH, xpath))


def _click(driver, xpath: str) -> None:
    element = WebDriverWait(driver, WAIT).until(ec.element_to_be_clickable((By.XPATH, xpath)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _button(label: str) -> str:
    return f'(//button[normalize-space(.)="{label}"])[1]'


def _first_card(driver) -> str:
    fresh = "//div[contains(@class, 'kb-text')][not(ancestor::*[@data-stale='true'])]"
    cards = driver.find_elements(By.XPATH, fresh)
    return cards[0].text if cards else ""


def _type(driver, label: str, text: str) -> float:
    """Replace the text of the input labelled `label` and press Enter; the time it was sent."""
    field = WebDriverWait(driver, WAIT).until(
        ec.element_to_be_clickable((By.XPATH, f"//input[@aria-label='{label}']"))
    )
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)
    sent = time.perf_counter()
    field.send_keys(Keys.ENTER)
    return sent


def _until(driver, condition, wait: float = WAIT) -> float:
    """Wait for `condition(driver)`; the moment it held."""
    try:
        WebDriverWait(driver, wait, poll_frequency=0.05).until(condition)
    except TimeoutException:
        driver.save_screenshot(str(SHOTS / "timeout.png"))
        shown = _first_card(driver)[:200]
        raise AssertionError(f"timed out at {driver.current_url}: {shown}") from None
    return time.perf_counter()


def _choose(driver, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label` (sidebar or page)."""
    _click(driver, f"//input[@role='combobox'][@aria-label='{label}']/following-sibling::button")
    _click(driver, f"//*[@role='option'][normalize-space(.)='{option}']")


def _download(driver, label: str, suffix: str) -> Path:
    """Click a download button and wait for its file. A click that lands while Streamlit
    redraws the page (after a tick or a comment is saved) can hit the button being replaced
    and is lost, as a person's would be: click again, up to three times, as they would; a
    button that stays unclickable is met as a person meets it, by reloading the page."""
    before = set(driver.downloads.glob(f"*{suffix}"))
    for attempt in range(3):
        try:
            _click(driver, _button(label))
        except TimeoutException:
            # Twice in about ten clean-clone CI runs (never alone) the button stayed
            # unclickable for 90 s after a comment's rerun; a person reloads the page, which
            # reopens the same saved check from its address. The state is kept for the report.
            state = driver.execute_script(
                "const b = document.evaluate(arguments[0], document, null, 9, null)"
                ".singleNodeValue; return b ? b.outerHTML.slice(0, 300) : 'no button';",
                _button(label),
            )
            if attempt == 2:
                raise AssertionError(f"{label} never clickable: {state}") from None
            print(f"{label} not clickable, page reloaded: {state}")
            driver.refresh()
            continue
        deadline = time.time() + 10
        while time.time() < deadline:
            new = [p for p in driver.downloads.glob(f"*{suffix}") if p not in before]
            if new:
                time.sleep(0.5)  # let Chromium finish writing it
                return new[0]
            time.sleep(0.3)
    raise AssertionError(f"{label} did not download")


# -- items 1, 3 and 11: successive input, topic browsing, speed ------------------------------
def test_every_change_takes_effect_and_speed(app_url, browser) -> None:
    url, _, started = app_url
    browser.get(f"{url}/?q=fathers")
    first = _until(browser, lambda d: "father" in _first_card(d).lower(), wait=180)
    SPEED["cold start to first result (s)"] = first - started
    SPEED["cold start over model load (s)"] = first - started - SPEED["model load alone (s)"]
    timings = []
    for query, expected in [
        ("case transfer", "transfer"),
        ("private fostering", "fostering"),
        ("bruising on a baby", "bruis"),
        ("safe sleep", "sleep"),
    ]:
        sent = _type(browser, "Search", query)
        shown = _until(browser, lambda d, e=expected: e in _first_card(d).lower())
        timings.append(shown - sent)
        assert f"q={quote(query).replace('%20', '+')}" in browser.current_url, query
        value = browser.find_element(By.XPATH, "//input[@aria-label='Search']")
        assert value.get_attribute("value") == query  # the box kept what was typed
    SPEED["warm search to first card, median of 4 (s)"] = sorted(timings)[len(timings) // 2]
    for doc_type in ("serious case review", "annual report"):  # a filter changed twice
        _choose(browser, "Document type", doc_type)
        _until(browser, lambda d, t=doc_type: f"type={t.replace(' ', '+')}" in d.current_url)
        _until(browser, lambda d, t=doc_type: _only_type(d, t))
    assert "q=safe+sleep" in browser.current_url
    _ask_twice(browser, url)
    _topics_twice(browser, url)


def _ask_twice(browser, url: str) -> None:
    browser.get(f"{url}/ask")
    timings = []
    for question, expected in [
        ("How many children were on a child protection plan?", "309"),
        ("What should happen when a baby who cannot crawl has a bruise?", "ruis"),
        ("How many children were on a child protection plan?", "309"),
    ]:
        sent = _type(browser, "Question", question)
        shown = _until(browser, lambda d, e=expected: e in _answer(d))
        timings.append(shown - sent)
        assert "question=" in browser.current_url
    SPEED["Ask, warm, to the answer (s)"] = timings[-1]
    browser.save_screenshot(str(SHOTS / "ask.png"))
    _click(browser, "(//a[contains(@class, 'kb-ref')])[1]")  # [1] opens its source
    _until(browser, lambda d: "#source-" in d.current_url)


def _only_type(driver, doc_type: str) -> bool:
    """Every result shown is of `doc_type` (or nothing matches)."""
    fresh = "//*[contains(@class, 'kb-cite')][not(ancestor::*[@data-stale='true'])]"
    cites = [c.text for c in driver.find_elements(By.XPATH, fresh)]
    if not cites:
        return "Nothing matches" in driver.page_source
    return all(f"{doc_type}," in c for c in cites)


def _answer(driver) -> str:
    fresh = "//div[contains(@class, 'kb-answer')][not(ancestor::*[@data-stale='true'])]"
    return " ".join(a.text for a in driver.find_elements(By.XPATH, fresh))


def _topics_twice(browser, url: str) -> None:
    browser.get(f"{url}/topics")
    for label, topic_id in [("Case transfer and moves between areas", "case-transfer"),
                            ("Fathers and male carers", "fathers")]:  # fmt: skip
        _choose(browser, "Choose a topic", label)
        _until(browser, lambda d, t=topic_id: f"topic={t}" in d.current_url)
    _wait_text(browser, "fathers and male carers should be seen")
    assert "centrality" not in browser.page_source
    grid = browser.find_element(By.CSS_SELECTOR, "[data-testid='stDataFrame']")
    row = 35  # the grid's row height in pixels; the header is one row
    ActionChains(browser).move_to_element_with_offset(
        grid, -grid.size["width"] // 2 + 15, -grid.size["height"] // 2 + 3 * row + row // 2
    ).click().perform()  # the third topic of the table: Culture, faith and ethnicity
    _until(browser, lambda d: "topic=culture" in d.current_url)
    browser.save_screenshot(str(SHOTS / "topics.png"))


def test_topic_alone_lists_its_learning(app_url, browser) -> None:
    url, _, _ = app_url
    browser.get(f"{url}/?q=&topics=fathers")
    _wait_text(browser, "its learning points first, most central first")
    assert "Nothing matches" not in browser.page_source
    _until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".kb-learning"))
    browser.get(url)
    _click(browser, _button("Case transfer and moves between areas"))  # a suggested topic
    _until(browser, lambda d: "topics=case-transfer" in d.current_url)
    _wait_text(browser, "its learning points first, most central first")
    _until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".kb-learning"))


# -- item 2: undated documents ---------------------------------------------------------------
def test_undated_documents_are_found_unless_years_are_chosen(app_url, browser) -> None:
    url, _, _ = app_url
    browser.get(f"{url}/?q={quote('lodger sofa-surfing')}")
    _wait_text(browser, "Guidance on lodgers and sofa-surfing adults")
    _click(browser, "//label[contains(., 'Only documents from these years')]")
    _until(browser, lambda d: "years=" in d.current_url)
    _wait_gone(browser, "sofa-surfing adult or paying guest")
    filtered = browser.current_url
    browser.get(filtered)  # a reload keeps the years filter
    _wait_text(browser, "Documents without a year are left out")
    assert "years=" in browser.current_url
    box = browser.find_element(By.XPATH, "//label[contains(., 'Only documents')]//input")
    assert box.is_selected()


# -- item 5: document text is text -----------------------------------------------------------
def _assert_inert(browser, page: str) -> None:
    dom = browser.find_element(By.TAG_NAME, "body")
    links = dom.find_elements(By.XPATH, "//a[starts-with(@href, 'javascript')]")
    beacons = dom.find_elements(By.XPATH, "//img[contains(@src, 'tracker.example')]")
    maths = dom.find_elements(By.CSS_SELECTOR, ".katex")
    assert not links and not beacons and not maths, page
    browser.save_screenshot(str(SHOTS / f"markup-{page}.png"))


def test_document_markup_is_shown_as_text_on_every_page(app_url, browser) -> None:
    url, _, _ = app_url
    browser.get(f"{url}/?q={quote('male carer javascript beacon')}")
    _wait_text(browser, "javascript:alert(document.cookie)")  # shown, as text
    _wait_text(browser, "tracker.example/beacon.gif")
    _assert_inert(browser, "search")
    browser.get(f"{url}/topics?topic=fathers")
    _wait_text(browser, "javascript:alert(document.cookie)")
    _assert_inert(browser, "topics")
    browser.get(
        f"{url}/ask?question={quote('What should practitioners record about a male carer?')}"
    )
    _wait_text(browser, "Sources")
    _assert_inert(browser, "ask")
    browser.get(f"{url}/case-check")
    area = WebDriverWait(browser, WAIT).until(ec.element_to_be_clickable((By.XPATH, "//textarea")))
    area.send_keys("Nobody recorded the name of the male carer living in the home.")
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    _click(browser, _button("Check this case"))
    _wait_text(browser, "Concern 1:")
    _assert_inert(browser, "case-check")
    browser.get(f"{url}/library")
    _wait_text(browser, "Where each field was read from")
    _assert_inert(browser, "library")


# -- item 6: case check saved, exported and reopened -----------------------------------------
def test_case_check_ticks_by_concern_export_and_reopen(app_url, browser) -> None:
    url, work, _ = app_url
    browser.get(f"{url}/case-check")
    area = WebDriverWait(browser, WAIT).until(ec.element_to_be_clickable((By.XPATH, "//textarea")))
    area.send_keys(
        "The father has not been seen by anyone. Nobody has seen or spoken to the father. "
        "The family moved here from another borough and the case is being transferred."
    )
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    _click(browser, _button("Check this case"))
    _until(browser, lambda d: "check=" in d.current_url)
    _wait_text(browser, "Concern 3:")
    check_id = browser.current_url.split("check=")[1].split("&")[0]
    saved = json.loads((work / "casechecks" / f"{check_id}.json").read_text())
    first = [i for i in saved["items"] if i["concern_no"] == 1]
    twice = next(
        i for i in first
        if any(j["passage_id"] == i["passage_id"] for j in saved["items"] if j["concern_no"] == 2)
    )  # fmt: skip
    tick, comment = _row_widgets(browser, twice["text"][:40], concern=1)
    tick.find_element(By.XPATH, "./ancestor::label[1]").click()
    comment.send_keys("Seen at the 3 April visit" + Keys.ENTER)
    key = f"1-{twice['passage_id']}"
    saved_file = work / "casechecks" / f"{check_id}.json"

    def kept(_: object) -> bool:  # the tick and the comment are saved as they are made
        data = json.loads(saved_file.read_text())
        ticked = data.get("ticks", {}).get(key)
        return bool(ticked) and data.get("comments", {}).get(key) == "Seen at the 3 April visit"

    _until(browser, kept)
    browser.save_screenshot(str(SHOTS / "case-check.png"))
    path = _download(browser, "Checklist (.docx)", ".docx")
    lines = [p.text for p in docx.Document(path).paragraphs]
    point = twice["text"][:40]
    ticked = [n for n, t in enumerate(lines) if point in t and t.startswith("☑")]
    unticked = [n for n, t in enumerate(lines) if point in t and t.startswith("☐")]
    concern2 = next(n for n, t in enumerate(lines) if t.startswith("Concern 2:"))
    assert ticked and ticked[0] < concern2 and any(n > concern2 for n in unticked)
    assert "Comment: Seen at the 3 April visit" in lines
    browser.refresh()  # reopened from its address after a reload
    _wait_text(browser, "Concern 3:")
    # The page is drawn in several passes: wait for the row as saved, then check it whole.
    _until(browser, lambda d: _ticked(d, point, concern=1))
    tick, comment = _row_widgets(browser, point, concern=1)
    assert tick.is_selected() and comment.get_attribute("value") == "Seen at the 3 April visit"
    assert not _row_widgets(browser, point, concern=2)[0].is_selected()


def _ticked(browser, text: str, concern: int) -> bool:
    """Whether the row's tick box is drawn and ticked (False while the page is redrawn)."""
    try:
        return _row_widgets(browser, text, concern, wait=1)[0].is_selected()
    except (AssertionError, StaleElementReferenceException):
        return False


def _row_widgets(browser, text: str, concern: int, wait: float = WAIT):
    """The tick box and comment field of a point under concern `concern`."""
    heading = f"//h4[starts-with(normalize-space(.), 'Concern {concern}:')]"
    point = f"({heading}/following::div[contains(@class,'kb-text')][contains(., \"{text}\")])[1]"
    tick_path = f"({point}/following::input[@type='checkbox'])[1]"
    comment_path = f"({point}/following::input[@type='text'])[1]"
    # Both widgets of the row: Streamlit may draw the comment field before the tick box.
    _until(
        browser,
        lambda d: d.find_elements(By.XPATH, comment_path) and d.find_elements(By.XPATH, tick_path),
        wait,
    )
    tick = browser.find_element(By.XPATH, tick_path)
    comment = browser.find_element(By.XPATH, comment_path)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", comment)
    return tick, comment


# -- item 7: the passage outlined in the Baby Q PDF ------------------------------------------
def test_baby_q_pdf_opens_at_the_passage_with_it_outlined(app_url, browser) -> None:
    url, _, _ = app_url
    browser.get(f"{url}/?q={quote(BABY_Q_PHRASE)}")
    card = f"//div[contains(@class, 'kb-text')][contains(., '{BABY_Q_PHRASE[-30:]}')]"
    _wait_text(browser, BABY_Q_PHRASE[-30:])
    assert not browser.find_elements(By.TAG_NAME, "iframe")  # no PDF sent before it is opened
    _click(browser, f"({card}/following::label[contains(., 'Open the PDF')])[1]")
    frame = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.XPATH, "//iframe[contains(@title, 'pdf_viewer')]"))
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", frame)
    browser.switch_to.frame(frame)
    try:
        WebDriverWait(browser, WAIT).until(
            ec.presence_of_element_located((By.ID, f"canvas_page_{BABY_Q_PAGE}"))
        )
        notes = browser.find_elements(By.CSS_SELECTOR, "[id^='annotation-']")
        assert notes, "no highlight: the passage has no boxes in the index"
        pages = {
            note.find_element(By.XPATH, "./ancestor::div[@class='page']")
            .find_element(By.TAG_NAME, "canvas")
            .get_attribute("id")
            for note in notes
        }
        assert pages == {f"canvas_page_{BABY_Q_PAGE}"}
    finally:
        browser.switch_to.default_content()
    time.sleep(2)
    browser.save_screenshot(str(SHOTS / "search-pdf.png"))


# -- course packs and uploads ----------------------------------------------------------------
def test_search_context_pack_and_word_export(app_url, browser) -> None:
    url, _, _ = app_url
    browser.get(f"{url}/?q={quote('working with fathers')}")
    _wait_text(browser, "Greater effort should be made")
    browser.save_screenshot(str(SHOTS / "search.png"))
    browser.set_window_size(820, 1180)  # a tablet held upright: cards still readable
    time.sleep(1)
    card = browser.find_element(By.XPATH, "(//*[contains(@class, 'kb-text')])[1]")
    assert card.is_displayed() and card.size["width"] > 400
    browser.save_screenshot(str(SHOTS / "search-tablet.png"))
    browser.set_window_size(1400, 1600)
    card = "//*[contains(@class, 'kb-text')][contains(., 'Greater effort should be made')]"
    _click(browser, f"({card}/following::label[contains(., 'Show in context')])[1]")
    _wait_text(browser, "Practitioners should always make further")  # a neighbouring point
    _click(browser, f"({card}/following::button[normalize-space(.)='Add to pack'])[1]")
    time.sleep(2)
    browser.get(f"{url}/packs")
    _wait_text(browser, "Greater effort should be made")
    assert "/packs" not in browser.find_element(By.TAG_NAME, "body").text  # no server path
    browser.save_screenshot(str(SHOTS / "packs.png"))
    paragraphs = [
        p.text for p in docx.Document(_download(browser, "Word (.docx)", ".docx")).paragraphs
    ]
    point = (
        "Greater effort should be made to contact and involve fathers and extended family "
        "members in assessments and planning."
    )
    assert any(p.startswith("Other important learning points") and point in p for p in paragraphs)
    assert any(
        p.startswith("Source: Harrow Safeguarding Children Board Annual Report") and "Baby F" in p
        for p in paragraphs
    )


def test_upload_a_good_and_a_bad_file(app_url, browser, tmp_path: Path) -> None:
    url, work, _ = app_url
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
    # The page is redrawn with the new document: the picker under the table lists it.
    picker = "//input[@role='combobox'][@aria-label='Document']/following-sibling::button"

    def lists_five(d) -> bool:
        # Opened before the redraw finished, the list is the old one: close it, open again.
        options = d.find_elements(By.XPATH, "//*[@role='option']")
        if len(options) == 5:
            return True
        if options:
            d.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        time.sleep(0.5)
        _click(d, picker)
        time.sleep(0.5)
        return False

    _until(browser, lists_five)
