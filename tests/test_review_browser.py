"""The review site in a real browser: headless Chromium (Debian's chromium + chromium-driver) from file://.

Skipped, with the reason, only where no Chromium or chromedriver is installed (.ci/run installs both).
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from .conftest import SAMPLES
from .test_corrections import HALF, LETTER

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else shutil.which("chromedriver")
HOSTILE = Path(__file__).parent / "review" / "hostile.txt"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="no Chromium: the browser tests need the Debian packages chromium and chromium-driver "
           "(apt-get install -y chromium chromium-driver; .ci/run installs them)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Yield (driver, download folder): a fresh headless Chromium profile that saves downloads without asking."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (the test extra) is not installed")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _convert_and_review(cli, inputs, out, *extra):
    assert cli("convert", inputs, "-o", out, "-q", "--jobs", "1", *extra).exit_code in (0, 1)
    assert cli("review", out, "-q").exit_code == 0
    return out / "review"


def _css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


@pytest.fixture(scope="module")
def samples_site(tmp_path_factory):
    from typer.testing import CliRunner

    from dafu.cli import app

    out = tmp_path_factory.mktemp("site") / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["convert", str(SAMPLES), "-o", str(out), "-q", "--jobs", "1"]).exit_code == 0
    assert runner.invoke(app, ["review", str(out), "-q"]).exit_code == 0
    return out


def test_every_letter_page_highlights_exactly_its_metrics(browser, samples_site):
    driver, _ = browser
    driver.get((samples_site / "review" / "index.html").as_uri())
    assert len(_css(driver, "#letters tbody tr")) == 5
    for path in sorted((samples_site / "letters").glob("*.json")):
        record = json.loads(path.read_text("utf-8"))
        driver.get((samples_site / "review" / "letters" / f"{path.stem}.html").as_uri())
        marks = _css(driver, "#text .metric")
        assert len(marks) == len(record["metrics"])
        assert [(int(m.get_attribute("data-start")), int(m.get_attribute("data-end"))) for m in marks] == [
            tuple(m["span"]) for m in record["metrics"]]
        assert driver.execute_script("return document.getElementById('text').textContent") == record["text"]


def test_clicking_a_figure_shows_its_details(browser, samples_site):
    driver, _ = browser
    record = json.loads((samples_site / "letters" / "004_ec6a11e31d304edf.json").read_text("utf-8"))
    driver.get((samples_site / "review" / "letters" / "004_ec6a11e31d304edf.html").as_uri())
    mark = _css(driver, "#text .metric")[2]
    mark.click()
    details = _css(driver, "#details-body")[0].text
    metric = record["metrics"][2]
    assert metric["raw"] in details and metric["label"] in details and metric["category"] in details
    assert "active" in mark.get_attribute("class").split()


def test_index_filters_sorts_and_totals(browser, samples_site):
    from selenium.webdriver.common.by import By

    driver, _ = browser
    driver.get((samples_site / "review" / "index.html").as_uri())
    total = sum(len(json.loads(p.read_text("utf-8"))["metrics"]) for p in (samples_site / "letters").glob("*.json"))
    assert driver.find_element(By.ID, "total-metrics").text == str(total)
    driver.find_element(By.ID, "filter").send_keys("meeting_report")
    visible = [r for r in _css(driver, "#letters tbody tr") if r.is_displayed()]
    assert len(visible) == 1 and driver.find_element(By.ID, "shown").text == "1"
    assert driver.find_element(By.ID, "total-metrics").text == visible[0].find_elements(By.TAG_NAME, "td")[4].text
    driver.find_element(By.ID, "filter").clear()
    driver.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'))")
    driver.find_element(By.CSS_SELECTOR, "th[data-key=metrics] button").click()
    counts = [int(r.find_elements(By.TAG_NAME, "td")[4].text) for r in _css(driver, "#letters tbody tr")]
    assert counts == sorted(counts) and len(counts) == 5


def _wait_for(path_glob, folder: Path, seconds: float = 10) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(path_glob) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no {path_glob} downloaded into {folder}")


def _fill(driver, name, value):
    from selenium.webdriver.support.ui import Select

    field = _css(driver, f"#details-body [name={name}]")[0]
    if field.tag_name == "select":
        Select(field).select_by_value(value)
    else:
        field.clear()
        field.send_keys(value)


def _make_four_corrections(driver, marks):
    """Change the first figure's label, drop the second, add 半数 from a selection, fix the issuer."""
    marks[0].click()
    _fill(driver, "label", "技能培训")
    _fill(driver, "category", "certification")
    _css(driver, "#details-body button.save")[0].click()
    marks[1].click()
    _css(driver, "#details-body button.drop")[0].click()
    assert "pending-drop" in marks[1].get_attribute("class").split()

    driver.execute_script("""
        var box = document.getElementById('text'), walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), t;
        while ((t = walker.nextNode())) { var i = t.data.indexOf('半数'); if (i >= 0) break; }
        var r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 2);
        var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);""")
    add = _css(driver, "button.add-selection")[0]
    deadline = time.monotonic() + 5
    while not add.is_displayed() and time.monotonic() < deadline:
        time.sleep(0.05)
    add.click()
    _fill(driver, "label", "取得证书学员")
    _fill(driver, "value", "50")
    _fill(driver, "unit", "%")
    _css(driver, "#details-body button.save")[0].click()

    _css(driver, "button.edit-header[data-field=issuer]")[0].click()
    _fill(driver, "issuer", "某某市人社局")
    _css(driver, "#details-body button.save")[0].click()


def test_corrections_made_in_the_browser_are_applied_by_convert(browser, cli, tmp_path):
    """Change a label, drop a figure, add one from a selection, fix a header field; download; convert applies."""
    driver, downloads = browser
    letters = tmp_path / "in"
    letters.mkdir()
    (letters / "x.txt").write_text(LETTER, encoding="utf-8")
    site = _convert_and_review(cli, letters, tmp_path / "out")
    first = json.loads((tmp_path / "out" / "letters" / "x.json").read_text("utf-8"))
    driver.get((site / "letters" / "x.html").as_uri())
    marks = _css(driver, "#text .metric")
    assert [m.text for m in marks] == ["100人次", "12个", "约300名"]

    _make_four_corrections(driver, marks)
    assert "4 made on this page" in _css(driver, "#pending")[0].text

    _css(driver, "#download-toml")[0].click()
    downloaded = _wait_for("corrections*.toml", downloads)
    fixes = tmp_path / "corrections.toml"
    shutil.move(downloaded, fixes)

    result = cli("convert", letters, "-o", tmp_path / "again", "--corrections", fixes)
    assert result.exit_code == 0, result.stderr
    record = json.loads((tmp_path / "again" / "letters" / "x.json").read_text("utf-8"))
    assert [(m["raw"], m["label"], m["category"]) for m in record["metrics"]] == [
        ("100人次", "技能培训", "certification"), ("约300名", "志愿者", first["metrics"][2]["category"]),
        ("半数", "取得证书学员", "other")]
    assert record["metrics"][2]["span"] == [HALF, HALF + 2] and record["metrics"][2]["value"] == 50
    assert record["issuer"] == "某某市人社局"
    assert sorted(c["action"] for c in record["corrections"]) == ["add", "change", "drop", "header"]
    assert not [w for w in record["warnings"] if w["code"] == "correction_stale"]

    # the next review starts from the file and shows the figures as corrected
    shutil.copy(fixes, tmp_path / "again" / "corrections.toml")
    assert cli("review", tmp_path / "again", "-q").exit_code == 0
    driver.get((tmp_path / "again" / "review" / "letters" / "x.html").as_uri())
    classes = [m.get_attribute("class").split() for m in _css(driver, "#text .metric")]
    assert ["corrected" in c for c in classes] == [True, False, True]
    assert len(_css(driver, "#text span.dropped")) == 1

    # keep the dropped figure after all: the next file no longer drops it
    _css(driver, "button.withdraw-drop")[0].click()
    _css(driver, "#download-toml")[0].click()
    again = _wait_for("corrections*.toml", downloads)
    text = again.read_text("utf-8")
    again.unlink()
    assert 'action = "drop"' not in text and text.count("[[correction]]") == 3


def test_the_hostile_letter_runs_no_script(browser, cli, tmp_path):
    from selenium.webdriver.common.by import By

    driver, _ = browser
    letters = tmp_path / "in"
    letters.mkdir()
    shutil.copy(HOSTILE, letters / "hostile.txt")
    site = _convert_and_review(cli, letters, tmp_path / "out")
    for page in (site / "index.html", site / "letters" / "hostile.html"):
        driver.get(page.as_uri())
        assert driver.execute_script("return typeof window.__pwned") == "undefined"
    text = driver.find_element(By.ID, "text").text
    assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=2">' in text
    for mark in _css(driver, "#text .metric"):
        mark.click()
        mark.find_element(By.XPATH, "..").click()
    _css(driver, "button.edit-header[data-field=title]")[0].click()
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert "<script>" in _css(driver, "#details-body input")[0].get_attribute("value")
    assert driver.execute_script("return document.querySelectorAll('img, iframe, svg, textarea').length") == 0


def test_repaired_text_is_marked_with_the_damaged_original(browser, samples_site):
    driver, _ = browser
    record = json.loads((samples_site / "letters" / "000_08d6c07602bede5a.json").read_text("utf-8"))
    driver.get((samples_site / "review" / "letters" / "000_08d6c07602bede5a.html").as_uri())
    titles = {s.get_attribute("title") for s in _css(driver, "#text span.repair")}
    repairs = record["normalization"]["mojibake_repaired"]
    assert len(repairs) == 4
    for r in repairs:
        assert any(r["damaged"] in t and r["repaired"] in t for t in titles)
    assert len(_css(driver, "ul.repairs del")) == 4


def test_pages_of_ids_with_chinese_spaces_and_punctuation_open_from_the_index(browser, cli, tmp_path):
    """The index's links and previous/next reach pages whose ids are not plain ASCII (file:// decodes %XX)."""
    from selenium.webdriver.common.by import By

    driver, _ = browser
    letters = tmp_path / "in"
    letters.mkdir()
    ids = ["关于答复", "with space #1", "（2023）第1号"]
    for name in ids:
        (letters / f"{name}.txt").write_text(LETTER, encoding="utf-8")
    site = _convert_and_review(cli, letters, tmp_path / "out")
    for k, letter_id in enumerate(sorted(ids)):
        driver.get((site / "index.html").as_uri())
        driver.find_element(By.LINK_TEXT, letter_id).click()
        assert driver.find_element(By.CSS_SELECTOR, "h1 .id").text == letter_id
        assert _css(driver, "#text .metric")  # the page itself, not an error page
        if k + 1 < len(ids):
            _css(driver, "a[rel=next]")[0].click()
            assert driver.find_element(By.CSS_SELECTOR, "h1 .id").text == sorted(ids)[k + 1]
        _css(driver, "h1 a")[0].click()
        assert driver.find_element(By.ID, "letters")
