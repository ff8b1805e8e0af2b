"""How fast `dafu review` writes, and headless Chromium loads, a 100,000-character letter and a 5,000-letter index.

    python bench/review_pages.py [--letters 5000] [--chars 100000] [--keep DIR]

Builds the corpus from samples/: one long letter (the samples' bodies repeated until it has --chars
characters, converted by `dafu convert`), and --letters records (the five sample records copied under new
ids, so the index has that many rows without converting them all). Prints the time `dafu review` takes and,
when Chromium and chromedriver are installed, what the browser reports: the page's load event, the
time to the first filter result and to a sort (index), and a click on the last figure (letter page).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dafu(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dafu", *args], check=True, env={**os.environ, "NO_COLOR": "1"})
    return time.perf_counter() - start


def long_letter(chars: int) -> str:
    samples = sorted((ROOT / "samples").glob("*.txt"))
    head = "关于第1号提案的答复\n张三委员：\n您提出的建议收悉。现答复如下：\n"
    body, k = [], 0
    while sum(map(len, body)) < chars * 1.3:  # normalization removes pinyin and debris: aim above
        text = samples[k % len(samples)].read_text("utf-8")
        body.append(f"{_numeral(k + 1)}、第{k + 1}部分\n" + text)
        k += 1
    return (head + "".join(body))[:int(chars * 1.3)] + "\n此复。\n某某市人力资源和社会保障局\n2024年5月16日\n"


def _numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    return digits[n] if n < 10 else ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")


def many_letters(out: Path, count: int, records: list[dict]) -> None:
    letters = out / "letters"
    letters.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        record = dict(records[k % len(records)], id=f"{k:05d}_{records[k % len(records)]['id']}")
        (letters / f"{record['id']}.json").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                 f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


# driver.get() returns after the load event; performance.now() then is the time since navigation started
# (file:// pages get no Navigation Timing entry). The forced layout counts the first rendering too.
_LOAD = "document.body.getBoundingClientRect(); return [performance.now(), performance.now()];"


def measure_index(driver, index: Path) -> dict[str, float]:
    wall = time.perf_counter()
    driver.get(index.as_uri())
    wall = (time.perf_counter() - wall) * 1000
    _, load = driver.execute_script(_LOAD)
    filter_ms = driver.execute_script("""
        var f = document.getElementById('filter'), t0 = performance.now();
        f.value = 'meeting_report'; f.dispatchEvent(new Event('input')); document.body.getBoundingClientRect();
        var ms = performance.now() - t0; f.value = ''; f.dispatchEvent(new Event('input')); return ms;""")
    sort_ms = driver.execute_script("""
        var t0 = performance.now(); document.querySelector('th[data-key=metrics] button').click();
        document.body.getBoundingClientRect(); return performance.now() - t0;""")
    rows = driver.execute_script("return document.querySelectorAll('#letters tbody tr').length")
    return {"rows": rows, "get_ms": wall, "load_ms": load, "filter_ms": filter_ms, "sort_ms": sort_ms}


def measure_letter(driver, page: Path) -> dict[str, float]:
    wall = time.perf_counter()
    driver.get(page.as_uri())
    wall = (time.perf_counter() - wall) * 1000
    _, load = driver.execute_script(_LOAD)
    click_ms = driver.execute_script("""
        var m = document.querySelectorAll('#text .metric'), t0 = performance.now();
        m[m.length - 1].click(); return performance.now() - t0;""")
    metrics = driver.execute_script("return document.querySelectorAll('#text .metric').length")
    return {"metrics": metrics, "get_ms": wall, "load_ms": load, "click_last_figure_ms": click_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--keep", help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="dafu-review-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    big_in = work / "big_in"
    big_in.mkdir(exist_ok=True)
    (big_in / "long.txt").write_text(long_letter(args.chars), encoding="utf-8")
    _dafu("convert", str(big_in), "-o", str(work / "big"), "-q", "--jobs", "1")
    record = json.loads((work / "big" / "letters" / "long.json").read_text("utf-8"))
    seconds_big = _dafu("review", str(work / "big"), "-q")
    page = work / "big" / "review" / "letters" / "long.html"
    print(f"long letter: {len(record['text'])} characters, {len(record['metrics'])} metrics; "
          f"dafu review {seconds_big:.2f} s (process start included); page {page.stat().st_size / 1e6:.2f} MB")

    _dafu("convert", str(ROOT / "samples"), "-o", str(work / "samples"), "-q", "--jobs", "1")
    records = [json.loads(p.read_text("utf-8")) for p in sorted((work / "samples" / "letters").glob("*.json"))]
    many_letters(work / "many", args.letters, records)
    seconds_many = _dafu("review", str(work / "many"), "-q")
    index = work / "many" / "review" / "index.html"
    print(f"{args.letters} letters: dafu review {seconds_many:.2f} s "
          f"({seconds_many / args.letters * 1000:.2f} ms a letter); index {index.stat().st_size / 1e6:.2f} MB")

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("no chromium/chromedriver: browser timings skipped")
        return
    driver = _browser()
    try:
        print("index in Chromium:", {k: round(v, 1) for k, v in measure_index(driver, index).items()})
        print("long letter in Chromium:", {k: round(v, 1) for k, v in measure_letter(driver, page).items()})
    finally:
        driver.quit()
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
