"""Review page in headless Chromium: it loads cleanly, every fact is highlighted, the
filters narrow the table, a row leads to its highlight, and report text shows literally.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and the
``selenium`` package (the ``test`` extra); without them the tests skip, naming what is missing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extract import extract_paths

REPOSITORY = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Flags that let Chromium run headless as root in a container, with no network chatter.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)
#: A report whose text holds everything HTML treats specially.
ESCAPES_TEXT = (
    "“A&B”计划<试点>完成投资3.5亿元，'新'项目12个。\n"
    '指标"</script><b>粗体</b>"增长8%，R&amp;D投入2亿元。\n'
)


def missing_browser() -> str | None:
    """Return why the browser test cannot run here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed; pip install -e '.[test]'"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} not found; apt-get install {package} (.ci/run installs it)"
    return None


pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """Return the review.html of a run over raw/ plus a report full of HTML specials, and
    the number of facts the run wrote."""
    folder = tmp_path_factory.mktemp("review")
    input_dir = folder / "in"
    shutil.copytree(REPOSITORY / "raw", input_dir)
    (input_dir / "zz_escapes.txt").write_text(ESCAPES_TEXT, encoding="utf-8")
    summary = extract_paths(input_dir, folder / "out")
    return folder / "out" / "review.html", summary.facts


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """Yield a headless Chromium driven by selenium, with the browser console recorded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="review-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(driver: Any, run: tuple[Path, int]) -> Any:
    """Return the driver with a freshly loaded review page."""
    driver.get(run[0].as_uri())
    return driver


def table_rows(page: Any) -> list[list[str]]:
    """Return the cell texts of the facts table's rows, as the page shows them, and last
    the document's title (the tooltip of the first cell)."""
    return page.execute_script(
        "return [...document.querySelectorAll('#fact-table tbody tr')]"
        ".map(row => [...row.cells].map(cell => cell.textContent).concat([row.cells[0].title]));"
    )


def test_page_loads_without_console_errors(page: Any) -> None:
    severe = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
    assert page.title == "extract: review"


def test_every_fact_has_one_highlight_and_one_row(page: Any, run: tuple[Path, int]) -> None:
    keys = page.execute_script(
        "return [...document.querySelectorAll('mark.fact')]"
        ".flatMap(mark => mark.dataset.facts.split(' '));"
    )
    assert len(keys) == len(set(keys)) == run[1] > 100
    assert len(table_rows(page)) == run[1]


@pytest.mark.parametrize(
    ("control", "value", "column", "expected"),
    [
        pytest.param("filter-unit", "亿元", 3, "亿元", id="unit"),
        pytest.param("filter-doc", "2", 0, "3", id="document"),
        pytest.param("filter-section", "稳进提质", 1, "稳进提质", id="section"),
        pytest.param("filter-text", "就业", None, None, id="free-text"),
    ],
)
def test_filters_narrow_the_table(
    page: Any, control: str, value: str, column: int | None, expected: str | None
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    before = table_rows(page)
    element = page.find_element(By.ID, control)
    if element.tag_name == "select":
        Select(element).select_by_value(value)
    else:
        element.send_keys(value)
    after = table_rows(page)
    assert 0 < len(after) < len(before)
    if column is not None:
        assert {row[column] for row in after} == {expected}
    else:
        assert all(value in " ".join(row) for row in after)


def test_sorting_a_column_orders_the_rows(page: Any) -> None:
    from selenium.webdriver.common.by import By

    header = page.find_element(By.CSS_SELECTOR, "th button[data-key=normalized_value]")

    def normalized() -> list[float]:
        return [float(row[4].split()[0].replace(",", "")) for row in table_rows(page)]

    assert normalized() != sorted(normalized())
    header.click()
    assert normalized() == sorted(normalized())
    header.click()
    assert normalized() == sorted(normalized(), reverse=True)
    assert header.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"


def test_clicking_a_row_scrolls_to_and_marks_its_highlight(page: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    # The last document starts closed: the click must open it.
    Select(page.find_element(By.ID, "filter-doc")).select_by_value("3")
    row = page.find_elements(By.CSS_SELECTOR, "#fact-table tbody tr")[5]
    key, mention = row.get_attribute("data-key"), row.find_elements(By.TAG_NAME, "td")[2].text
    row.click()
    state = page.execute_script(
        "const mark = document.activeElement, box = mark.getBoundingClientRect();"
        "return {facts: mark.dataset.facts, current: mark.classList.contains('current'),"
        " text: mark.textContent, open: mark.closest('details').open,"
        " visible: box.top >= 0 && box.bottom <= innerHeight,"
        " tip: document.getElementById('fact-tip').hidden ? null"
        "  : document.getElementById('fact-tip').textContent};"
    )
    assert key in state["facts"].split()
    assert state["current"] and state["open"] and state["visible"]
    assert state["text"] == mention
    assert state["tip"] is not None and mention in state["tip"]


@pytest.mark.parametrize(
    "action",
    [pytest.param("hover", id="hover"), pytest.param("keyboard", id="keyboard-focus")],
)
def test_a_highlight_shows_its_details(page: Any, action: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    mark = page.find_element(By.CSS_SELECTOR, "details[open] mark.fact")
    tip = page.find_element(By.ID, "fact-tip")
    assert not tip.is_displayed()
    if action == "hover":
        ActionChains(page).move_to_element(mark).perform()
    else:
        # Tab from the first document's summary to its first highlight.
        page.find_element(By.CSS_SELECTOR, "details.doc > summary").send_keys(Keys.TAB)
        assert page.switch_to.active_element == mark
    assert tip.is_displayed()
    for label in ("value", "unit", "normalized", "comparator", "indicator", "raw line"):
        assert label in tip.text
    assert mark.text in tip.text


def test_report_text_shows_literally(page: Any) -> None:
    shown = page.execute_script(
        "const text = document.querySelector('#d4 .text');"
        "return {text: text.textContent, elements: text.querySelectorAll(':not(mark)').length,"
        " facts: JSON.parse(document.querySelector('#d4 script.doc-facts').textContent)};"
    )
    assert shown["text"] == ESCAPES_TEXT.rstrip("\n")
    assert shown["elements"] == 0  # no <b> or <script> element came from the text
    assert any("</script>" in fact["indicator"] for fact in shown["facts"])
