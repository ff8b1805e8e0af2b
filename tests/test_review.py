"""`dafu review`: the pages hold exactly the record's figures, escape every piece of letter text, and the command."""
from __future__ import annotations

import json
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dafu import process
from dafu.output import record_to_dict
from dafu.output.review import json_script, letter_page, marked_text, page_href, page_name, record_problem
from dafu.output.review_index import index_page, index_row

from .conftest import SAMPLES

HOSTILE = Path(__file__).parent / "review" / "hostile.txt"


class _Page(HTMLParser):
    """Collects what a test needs: every tag with its attributes, the #text content, the script blocks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text, self._in_text, self._script = [], 0, None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script = (a, [])
        if self._in_text:
            self._in_text += 1
        elif a.get("id") == "text":
            self._in_text = 1

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None
        if self._in_text:
            self._in_text -= 1

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        elif self._in_text:
            self.text.append(data)

    def metrics(self) -> list[tuple[int, int]]:
        return [(int(a["data-start"]), int(a["data-end"])) for t, a in self.tags
                if "metric" in (a.get("class") or "").split()]

    def data(self) -> dict:
        return json.loads(next(body for a, body in self.scripts if a.get("type") == "application/json"))


def _page(record: dict, **kw) -> str:
    return letter_page(record, prev_id=kw.get("prev"), next_id=kw.get("next"), position=(1, 1))


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_a_letter_page_highlights_exactly_its_metrics_and_keeps_the_text(path):
    record = record_to_dict(process(path.read_text("utf-8"), id=path.stem))
    page = _Page(_page(record))
    assert page.metrics() == [tuple(m["span"]) for m in record["metrics"]]
    assert "".join(page.text) == record["text"]
    assert [m["raw"] for m in page.data()["metrics"]] == [m["raw"] for m in record["metrics"]]


# (id, text, metric spans, repairs, warnings, expected HTML)
MARKS = [
    ("plain", "ab12人cd", [(2, 5)], [], [],
     'ab<mark class="metric c-other" data-k="0" data-start="2" data-end="5">12人</mark>cd'),
    ("escaped", "<i>1人&", [(3, 5)], [], [],
     '&lt;i&gt;<mark class="metric c-other" data-k="0" data-start="3" data-end="5">1人</mark>&amp;'),
    ("repair-across-a-metric", "甲乙1人丙", [(2, 4)], [(1, 3, 0)], [],
     '甲<span class="repair" data-repair="0" id="repair-0">乙</span><mark class="metric c-other" data-k="0" '
     'data-start="2" data-end="4"><span class="repair" data-repair="0">1</span>人</mark>丙'),
    ("overlap-is-cut", "1人2人", [(0, 4), (2, 4)], [], [],
     '<mark class="metric c-other" data-k="0" data-start="0" data-end="4">1人2人</mark>'
     '<mark class="metric c-other" data-k="1" data-start="4" data-end="4"></mark>'),
    ("span-outside-the-text", "1人", [(0, 2), (5, 9)], [], [],
     '<mark class="metric c-other" data-k="0" data-start="0" data-end="2">1人</mark>'
     '<mark class="metric c-other" data-k="1" data-start="2" data-end="2"></mark>'),
    ("warning", "abc", [], [], [(0, 2, 0)], '<span class="warn" data-warn="0" id="warn-0">ab</span>c'),
    ("empty-text", "", [], [], [], ""),
]


@pytest.mark.parametrize("text, spans, repairs, warnings, expected", [m[1:] for m in MARKS], ids=[m[0] for m in MARKS])
def test_marked_text(text, spans, repairs, warnings, expected):
    metrics = [{"span": list(s)} for s in spans]
    assert marked_text(text, metrics, repairs=repairs, warnings=warnings) == expected


def test_json_script_cannot_be_ended_by_letter_text():
    data = {"t": "</script><script>alert(1)</script>\u2028<!--", "n": [1, 2.5, None]}
    block = json_script(data, "d")
    assert block.count("</script>") == 1 and "<!--" not in block
    assert _Page(block).data() == data


def test_hostile_letter_shows_as_text_and_runs_nothing():
    """Every tag and attribute in the page is dafu's own: none comes from the letter."""
    text = HOSTILE.read_text("utf-8")
    record = record_to_dict(process(text, id="<b>hostile</b>"))
    assert any("</script>" in (m["label"] or "") for m in record["metrics"])  # the test means something
    html = _page(record, prev="<img src=x onerror=alert(1)>", next='"><script>alert(2)</script>')
    page = _Page(html)
    assert {t for t, _ in page.tags} <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "a", "span",
                                         "nav", "main", "section", "h2", "ul", "li", "div", "mark", "aside", "h3",
                                         "p", "table", "tr", "th", "td", "button", "ol", "code", "footer", "script",
                                         "del", "ins"}
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:")
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    assert "".join(page.text) == record["text"]  # shown as the text it is
    assert unescape(html).count("window.__pwned=7") >= 1
    assert page.data()["metrics"][0]["label"] == record["metrics"][0]["label"]
    csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1]


def test_index_escapes_and_totals():
    rows = [index_row({"id": "a<script>", "doc_type": "other", "metrics": [{}] * 3, "warnings": [{}],
                       "text": "", "title": "<img src=x onerror=alert(1)>"}),
            index_row({"id": "b", "doc_type": "notice", "metrics": [{}] * 2, "warnings": [], "text": "",
                       "normalization": {"mojibake_repaired": [{}]}})]
    page = _Page(index_page(rows))
    assert [a["href"] for t, a in page.tags if t == "a"] == ["letters/a%253Cscript%253E.html", "letters/b.html"]
    assert {t for t, _ in page.tags}.isdisjoint({"img"})
    html = index_page(rows)
    assert 'id="total-metrics">5<' in html and 'id="total-warnings">1<' in html and 'id="total-repairs">1<' in html


def test_corrected_figures_show_as_corrected_and_dropped_ones_as_dropped():
    from dataclasses import replace

    from dafu.corrections import parse_corrections
    from dafu.options import DEFAULT_OPTIONS

    text = ("关于第1号提案的答复\n张三委员：\n现答复如下：今年培训学员100人次，新建实训基地12个。\n"
            "某某局\n2020年1月1日\n")
    fixes = parse_corrections('[[correction]]\nletter = "x"\naction = "drop"\nraw = "12个"\nstart = 41\n'
                              '[[correction]]\nletter = "x"\naction = "change"\nraw = "100人次"\nstart = 29\n'
                              'label = "技能培训"\n')
    record = record_to_dict(process(text, id="x", options=replace(DEFAULT_OPTIONS, corrections=fixes)))
    page = _Page(_page(record))
    marks = [a for t, a in page.tags if "metric" in (a.get("class") or "").split()]
    assert len(marks) == 1 and "corrected" in marks[0]["class"].split()
    assert [a.get("data-dropped") for t, a in page.tags if a.get("class") == "dropped"] == ["0"]
    assert page.data()["metrics"][0]["before"] == {"label": "培训学员"}


# (id, page file name, href): the name is the id where that is a safe file name on Linux, macOS and Windows;
# the href is the name percent-encoded (a browser decodes %XX in a file:// URL before it looks for the file)
PAGES = [
    ("000_08d6c07602bede5a", "000_08d6c07602bede5a.html", "000_08d6c07602bede5a.html"),
    ("关于答复", "关于答复.html", "%E5%85%B3%E4%BA%8E%E7%AD%94%E5%A4%8D.html"),
    ("with space", "with space.html", "with%20space.html"),
    ("（2023）第1号#答复", "（2023）第1号#答复.html",
     "%EF%BC%882023%EF%BC%89%E7%AC%AC1%E5%8F%B7%23%E7%AD%94%E5%A4%8D.html"),
    ("a/b\\c:d", "a%2Fb%5Cc%3Ad.html", "a%252Fb%255Cc%253Ad.html"),
    ('*?"<>|', "%2A%3F%22%3C%3E%7C.html", "%252A%253F%2522%253C%253E%257C.html"),
    ("tab\there\n\x1b", "tab%09here%0A%1B.html", "tab%2509here%250A%251B.html"),
    ("a%2fb", "a%252fb.html", "a%25252fb.html"),  # % is escaped too: no id can pose as a/b
    ("a~1", "a%7E1.html", "a%257E1.html"),  # and ~: no id can pose as a suffixed one
    (".hidden", "%2Ehidden.html", "%252Ehidden.html"),
    ("a.b", "a.b.html", "a.b.html"),
    # a name a case-insensitive or normalizing file system (macOS, Windows) would take for another's
    ("Abc", "Abc~06d90109c8.html", "Abc~06d90109c8.html"),
    ("e\u0301", "e\u0301~bf12767b0f.html", "e%CC%81~bf12767b0f.html"),
    # Windows device names, also before a dot
    ("con", "con~1143da2bc5.html", "con~1143da2bc5.html"),
    ("lpt1.x", "lpt1.x~2ccbd9b305.html", "lpt1.x~2ccbd9b305.html"),
    ("", "~e3b0c44298.html", "~e3b0c44298.html"),
]
PAGE_IDS = [p[0] for p in PAGES] + ["ABC", "abc", "a/b", "e\u00e9", "E\u0301", "字" * 300, "字" * 299 + "a", "a" * 260,
                                    "/" * 100, "\udcff", "con.txt", "CON"]


@pytest.mark.parametrize("letter_id, name, href", PAGES, ids=[repr(p[0]) for p in PAGES])
def test_page_name_and_href(letter_id, name, href):
    from urllib.parse import unquote

    assert (page_name(letter_id), page_href(letter_id)) == (name, href)
    assert unquote(href) == name


def test_page_names_are_safe_short_and_never_shared_even_ignoring_case():
    import re
    import unicodedata
    from urllib.parse import unquote

    names = [page_name(i) for i in PAGE_IDS]
    for name in names:
        assert not re.search(r'[\x00-\x1f\x7f/\\:*?"<>|]', name) and not name.startswith(".")
        assert len(name.encode("utf-8")) <= 255 and unquote(quote_name(name)) == name
    assert len({unicodedata.normalize("NFC", n.casefold()) for n in names}) == len(set(PAGE_IDS))


def quote_name(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# (case, record, why it has no page: None = it has one)
RECORDS = [
    ("a-whole-record", None, None),
    ("only-text", {"text": "abc"}, None),  # an older record may lack fields: the page shows what is there
    ("an-unknown-field", {"text": "abc", "later": 1}, None),
    ("metrics-a-string", {"text": "abc", "metrics": "x"}, "not a dafu record ($.metrics: 'x' is not of type 'array')"),
    ("metrics-of-numbers", {"text": "abc", "metrics": [5]},
     "not a dafu record ($.metrics[0]: 5 is not of type 'object')"),
    ("sections-a-string", {"text": "abc", "sections": "x"},
     "not a dafu record ($.sections: 'x' is not of type 'array')"),
    ("title-a-number", {"text": "abc", "title": 5}, "not a dafu record ($.title: 5 is not of type 'string', 'null')"),
    ("warnings-an-object", {"text": "abc", "warnings": {}},
     "not a dafu record ($.warnings: {} is not of type 'array')"),
    ("span-a-string", {"text": "abc", "metrics": [{"span": "ab"}]},
     "not a dafu record ($.metrics[0].span: 'ab' is not of type 'array')"),
    ("no-text", {"id": "b"}, "not a dafu record ($: 'text' is a required property)"),
    ("text-a-number", {"text": 5}, "not a dafu record ($.text: 5 is not of type 'string')"),
    ("a-list", [], "not a dafu record (not a JSON object)"),
]


@pytest.mark.parametrize("record, problem", [r[1:] for r in RECORDS], ids=[r[0] for r in RECORDS])
def test_record_problem(record, problem):
    if record is None:
        record = record_to_dict(process((SAMPLES / "004_ec6a11e31d304edf.txt").read_text("utf-8"), id="x"))
    assert record_problem(record) == problem
    if problem is None:
        _Page(_page(record))  # and its page can be made


@pytest.mark.parametrize("record, problem", [r[1:] for r in RECORDS if isinstance(r[1], dict) or r[1] is None],
                         ids=[r[0] for r in RECORDS if isinstance(r[1], dict) or r[1] is None])
def test_the_quick_check_agrees_with_jsonschema(record, problem):
    """The compiled check (jsonschema-rs) says yes exactly where jsonschema finds nothing."""
    from dafu.output.review import _shape_validator

    quick, validator = _shape_validator()
    if quick is None:
        pytest.skip("jsonschema-rs is not installed")
    if record is None:
        record = record_to_dict(process((SAMPLES / "004_ec6a11e31d304edf.txt").read_text("utf-8"), id="x"))
    assert quick(record) is (not list(validator.iter_errors(record))) is (problem is None)


# ---------------------------------------------------------------- the command
@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    from typer.testing import CliRunner

    from dafu.cli import app

    out = tmp_path_factory.mktemp("review") / "out"
    result = CliRunner().invoke(app, ["convert", str(SAMPLES), "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 0
    return out


def test_review_writes_the_index_and_a_page_per_letter(cli, converted):
    result = cli("review", converted)
    assert result.exit_code == 0, result.stderr
    site = converted / "review"
    ids = sorted(p.stem for p in SAMPLES.glob("*.txt"))
    assert sorted(p.stem for p in (site / "letters").glob("*.html")) == ids
    index = _Page((site / "index.html").read_text("utf-8"))
    assert [a["href"] for t, a in index.tags if t == "a"] == [f"letters/{i}.html" for i in ids]
    first = _Page((site / "letters" / f"{ids[0]}.html").read_text("utf-8"))
    assert [a.get("href") for t, a in first.tags if a.get("rel") == "next"] == [f"{ids[1]}.html"] * 2  # top and bottom
    before = {p: p.read_bytes() for p in site.rglob("*.html")}
    assert cli("review", converted, "-q").stdout == ""
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == before  # same bytes: deterministic


def test_review_refuses_a_folder_that_is_not_an_output(cli, tmp_path):
    result = cli("review", tmp_path / "nothing")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"dafu: error: {tmp_path / 'nothing'}: not a dafu output folder")


def test_review_skips_an_unreadable_record_and_removes_pages_of_gone_letters(cli, converted, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(converted, out)
    assert cli("review", out).exit_code == 0
    (out / "letters" / "000_08d6c07602bede5a.json").write_text("{not json", encoding="utf-8")
    (out / "letters" / "001_425f8ebd1574510b.json").unlink()
    result = cli("review", out)
    assert result.exit_code == 1
    assert "000_08d6c07602bede5a.json" in result.stderr and "no page" in result.stderr
    assert sorted(p.stem for p in (out / "review" / "letters").glob("*.html")) == [
        "002_fd18181f8bb67260", "003_396f2fedd0fdd60e", "004_ec6a11e31d304edf"]
    assert "Records not shown" in (out / "review" / "index.html").read_text("utf-8")


def test_review_starts_from_the_corrections_beside_the_outputs(cli, converted, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(converted, out)
    (out / "corrections.toml").write_text('[[correction]]\nletter = "x"\naction = "header"\nfield = "title"\n'
                                          'value = "<b>t</b>"\n', encoding="utf-8")
    assert cli("review", out).exit_code == 0
    page = _Page((out / "review" / "letters" / "002_fd18181f8bb67260.html").read_text("utf-8"))
    assert page.data()["base"] == [{"letter": "x", "action": "header", "field": "title", "value": "<b>t</b>"}]
    (out / "corrections.toml").write_text("[[correction]\n", encoding="utf-8")
    result = cli("review", out)
    assert result.exit_code == 2 and result.stderr.startswith(f"dafu: error: {out / 'corrections.toml'}: not TOML")


@pytest.mark.parametrize("browser_found, stderr", [
    (True, ""),
    # a server or a container: webbrowser.open finds no browser and returns False; say so, the site is written
    (False, "dafu: warning: no web browser found to open it; open {uri} yourself\n"),
])
def test_review_open_shows_the_index_in_a_browser(cli, converted, monkeypatch, browser_found, stderr):
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda uri: opened.append(uri) or browser_found)
    result = cli("review", converted, "--open", "-q")
    uri = (converted / "review" / "index.html").resolve().as_uri()
    assert (result.exit_code, result.stderr) == (0, stderr.format(uri=uri))
    assert opened == [uri]


# (case, what letters/zz.json holds): each is a line and no page; the other letters get theirs, exit 1
BAD_RECORDS = [
    ("metrics-a-string", '{"id":"b","text":"abc","metrics":"x"}'),
    ("metrics-of-numbers", '{"id":"b","text":"abc","metrics":[5]}'),
    ("sections-a-string", '{"id":"b","text":"abc","sections":"x"}'),
    ("title-a-number", '{"id":"b","text":"abc","title":5}'),
    ("warnings-an-object", '{"id":"b","text":"abc","warnings":{}}'),
    ("corrections-of-strings", '{"id":"b","text":"abc","corrections":["x"]}'),
    ("not-json", "{not json"),
]


@pytest.mark.parametrize("content", [b[1] for b in BAD_RECORDS], ids=[b[0] for b in BAD_RECORDS])
def test_review_gives_a_malformed_record_one_line_and_no_page(cli, converted, tmp_path, content):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(converted, out)
    (out / "letters" / "003_zz.json").write_text(content, encoding="utf-8")  # between two letters
    result = cli("review", out, "-q")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"dafu: error: {out / 'letters' / '003_zz.json'}: ")
    assert lines[0].endswith("; no page")
    pages = out / "review" / "letters"
    assert sorted(p.stem for p in pages.glob("*.html")) == sorted(p.stem for p in SAMPLES.glob("*.txt"))
    before = _Page((pages / "002_fd18181f8bb67260.html").read_text("utf-8"))  # next skips the one with no page
    assert [a["href"] for t, a in before.tags if a.get("rel") == "next"] == ["003_396f2fedd0fdd60e.html"] * 2


def test_a_failed_review_leaves_the_previous_site_as_it_was(cli, converted, tmp_path, monkeypatch):
    import shutil

    import dafu.output.review as review

    out = tmp_path / "out"
    shutil.copytree(converted, out, ignore=shutil.ignore_patterns("review"))
    render = review.letter_page

    def full_disk_at_the_third(record, **kw):
        if record["id"].startswith("002"):
            raise OSError(28, "No space left on device")
        return render(record, **kw)

    monkeypatch.setattr(review, "letter_page", full_disk_at_the_third)
    result = cli("review", out)  # the first run fails: no site rather than pages with no index
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert "review" not in {p.name for p in out.iterdir()}
    assert not [p for p in out.iterdir() if p.name.startswith(".dafu-review-")]

    monkeypatch.setattr(review, "letter_page", render)
    assert cli("review", out, "-q").exit_code == 0
    site = {p: p.read_bytes() for p in (out / "review").rglob("*.html")}
    (out / "letters" / "001_425f8ebd1574510b.json").unlink()  # the next site would differ
    for failure in (OSError(28, "No space left on device"), RuntimeError("a bug")):
        def fail(record, failure=failure, **kw):
            if record["id"].startswith("002"):
                raise failure
            return render(record, **kw)

        monkeypatch.setattr(review, "letter_page", fail)
        if isinstance(failure, OSError):
            assert cli("review", out, "-q").exit_code == 2
        else:
            with pytest.raises(RuntimeError):
                cli("review", out, "-q")
        assert {p: p.read_bytes() for p in (out / "review").rglob("*.html")} == site
        assert not [p for p in out.iterdir() if p.name.startswith(".dafu-review-")]


def test_review_stops_while_another_run_holds_the_lock(cli, converted, tmp_path):
    import os
    import shutil

    from dafu.cli.writers import lock_folder

    out = tmp_path / "out"
    shutil.copytree(converted, out, ignore=shutil.ignore_patterns("review"))
    fd = lock_folder(str(out))
    try:
        result = cli("review", out)
    finally:
        os.close(fd)
    assert (result.exit_code, result.stderr) == (75, f"dafu: error: {out}: another dafu run holds the lock\n")
    assert not (out / "review").exists()


def test_review_rebuilds_a_linked_site_where_the_link_points(cli, converted, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(converted, out, ignore=shutil.ignore_patterns("review"))
    web = tmp_path / "web"
    web.mkdir()
    (out / "review").symlink_to(web)
    for _ in range(2):
        assert cli("review", out, "-q").exit_code == 0
    assert (out / "review").is_symlink() and (web / "index.html").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".dafu-review")] == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dafu-review")] == []


def test_review_never_replaces_a_file_named_review(cli, converted, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(converted, out, ignore=shutil.ignore_patterns("review"))
    (out / "review").write_bytes(b"mine")
    result = cli("review", out)
    assert result.exit_code == 2 and "is not a folder dafu wrote" in result.stderr
    assert (out / "review").read_bytes() == b"mine"
