"""HTML input (issue 22): a page's main text runs through the same pipeline as the letter in .txt."""
from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings

from dafu import process
from dafu.html import declared_encoding, drop_xml_declaration, extract_page
from dafu.read import ReadError, decode_html, read_file

from .html_pages import PAGE_META, SHELLS, letter_parts, page
from .strategies import html_pages
from .test_pipeline import check

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ["samples/004_ec6a11e31d304edf.txt", "tests/letters/05_bracket_numbers.txt",
           "tests/letters/07_lenticular_brackets.txt", "tests/letters/11_metadata_table.txt",
           "tests/letters/22_meeting_training.txt", "tests/letters/26_notice_opinion.txt"]


def _fields(record) -> dict:
    """Return what a user reads from a record, without offsets (the page's text has other line breaks)."""
    r = check(record)
    for m in r["metrics"]:
        m.pop("span")
    return {k: r[k] for k in ("doc_type", "title", "category", "signer", "issuer", "date", "cc", "metrics",
                              "cited_documents", "organizations")} | {
        "doc_number": (r["doc_number"] or {}).get("raw"),
        "proposal": {k: v for k, v in (r["proposal"] or {}).items() if k != "span"},
        "addressees": [(a["name"], a["role"], a["and_others"]) for a in r["addressees"]],
        "contact": {k: v for k, v in (r["contact"] or {}).items() if k != "span"},
        "sections": [(s["path"], s["kind"], s["heading"]) for s in r["sections"]],
    }


def _html_record(data: bytes):
    decoded = decode_html(data)
    return process(decoded.text, source=decoded.source("page.html"), page_metadata=decoded.metadata)


@pytest.mark.parametrize("shell", ["table", "trs", "portal"])
@pytest.mark.parametrize("rel", LETTERS, ids=lambda r: Path(r).stem)
def test_page_gives_the_fields_and_metrics_of_the_txt(rel, shell):
    """Three page shells around a letter give the record fields and metrics of the same letter as .txt."""
    text = (ROOT / rel).read_text("utf-8")
    data, _ = page(shell, *letter_parts(text), seed=len(rel))
    from_txt, from_html = _fields(process(text)), _fields(_html_record(data))
    assert from_html == from_txt
    assert from_txt["metrics"], "a letter with no metrics would prove little"


@pytest.mark.parametrize("shell", SHELLS)
def test_page_metadata_is_kept_but_never_the_date_or_issuer(shell):
    """<title>, <meta> publication date and publisher go to metadata; a letter without a signature keeps
    date and issuer null."""
    text = (ROOT / "tests/letters/13_publish_meta_no_signature.txt").read_text("utf-8")
    record = _html_record(page(shell, *letter_parts(text), seed=3)[0])
    meta = dict(record.metadata)
    assert meta["page_title"].startswith(letter_parts(text)[0])
    if shell != "mirror":  # the content farm declares neither
        assert meta["page_date"] == PAGE_META["published"]
        assert meta["page_publisher"] == PAGE_META["publisher"]
    assert record.date is None and record.issuer is None
    assert PAGE_META["publisher"] not in record.organizations


def test_chrome_does_not_reach_the_text():
    """Navigation, related links and footers (ICP, 公网安备) stay out of the record's text."""
    text = (ROOT / LETTERS[1]).read_text("utf-8")
    for shell in SHELLS:
        data, chrome = page(shell, *letter_parts(text), seed=1)
        kept = _html_record(data).text
        for line in chrome:
            if "备" in line or "版权" in line or "热门" in line or "相关" in line:
                assert line not in kept, (shell, line)


@pytest.mark.parametrize("head, codec", [
    (b'<meta charset="utf-8">', "utf-8"),
    (b"<meta charset=GBK>", "gb18030"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
    (b'<?xml version="1.0" encoding="big5"?>', "big5hkscs"),
    (b'<meta charset="no-such-codec">', None),
    (b"<html><body>", None),
])
def test_declared_encoding(head, codec):
    assert declared_encoding(head) == codec


def test_the_pages_declaration_decides_the_encoding():
    """A GB2312 page (GBK bytes) is read as it declares; a wrong declaration falls back to detection."""
    body = "<html><body><div><p>关于第12号提案的答复</p><p>现答复如下：培训300人次。</p></div></body></html>"
    gbk = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + body).encode("gbk")
    assert decode_html(gbk).encoding == "gb18030"
    lying = ('<meta charset="utf-8">' + body).encode("gbk")
    decoded = decode_html(lying)
    assert decoded.encoding == "gb18030" and "培训300人次" in decoded.text
    bom = b"\xef\xbb\xbf" + ('<meta charset="gbk">' + body).encode("utf-8")
    assert decode_html(bom).encoding == "utf-8-sig"


def test_read_file_dispatches_on_the_suffix(tmp_path):
    """.html and .htm are read as pages; .txt is unchanged (the markup stays text)."""
    markup = "<html><head><title>某站</title></head><body><div><p>现答复如下：培训300人次。</p></div></body></html>"
    for name in ("a.html", "b.HTM"):
        (tmp_path / name).write_text(markup, "utf-8")
        assert read_file(tmp_path / name).text == "现答复如下：培训300人次。"
    (tmp_path / "c.txt").write_text(markup, "utf-8")
    assert read_file(tmp_path / "c.txt").text == markup


XHTML_BODY = "<html><body><p>关于某提案的答复，今年培训300人次，发放补贴20万元。</p></body></html>"
XHTML = ('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>答复</title></head><body><div>'
         "<p>关于某提案的答复，今年培训300人次，发放补贴20万元。</p></div></body></html>")


# (id, bytes before the page, the page's codec): lxml refuses a str that opens with an encoding declaration
@pytest.mark.parametrize("head, codec", [
    (b'<?xml version="1.0" encoding="utf-8"?>\n', "utf-8"),
    (b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n', "utf-8"),
    (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>", "utf-8"),
    (b'<?xml version="1.0" encoding="GBK"?>\r\n', "gbk"),
    (b'\n  <?XML version="1.0" encoding="gb2312"?>', "gbk"),
    (b'<?xml version="1.0"?>\n', "utf-8"),
], ids=["utf-8", "bom", "single-quotes", "gbk", "leading-space-gb2312", "no-encoding"])
@pytest.mark.parametrize("body", [XHTML_BODY, '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                                  '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' + XHTML],
                         ids=["bare", "xhtml"])
def test_a_page_with_an_xml_declaration_is_read(head, codec, body):
    assert decode_html(head + body.encode(codec)).text == "关于某提案的答复，今年培训300人次，发放补贴20万元。"


def test_only_a_leading_xml_declaration_is_dropped():
    assert drop_xml_declaration("<p>a</p><?xml version='1.0'?>") == "<p>a</p><?xml version='1.0'?>"


@pytest.mark.parametrize("markup", [b"<html><head><title>x</title></head><body></body></html>", b"<html>  </html>"])
def test_page_without_main_text_is_refused(markup):
    with pytest.raises(ReadError, match="no main text"):
        decode_html(markup)


def test_missing_extra_is_one_clear_error(monkeypatch):
    """Without readability-lxml the reason names the extra to install."""
    monkeypatch.setitem(sys.modules, "readability", None)
    with pytest.raises(ReadError, match=r"pip install 'dafu\[html\]'"):
        decode_html(b"<html><body><p>\xe6\xad\xa4\xe5\xa4\x8d</p></body></html>")


def test_heading_outside_the_article_is_put_first():
    html = ("<html><body><h1>关于第5号建议的答复</h1><div class='nav'><a>首页</a></div><div class='c'>"
            "<p>张三代表：</p><p>您提出的建议收悉。现答复如下：全年培训1000人次，发放补贴资金200万元。</p>"
            "<p>此复。</p></div></body></html>")
    assert extract_page(html).text.splitlines()[0] == "关于第5号建议的答复"


def test_cli_reads_pages_named_by_glob(cli, tmp_path):
    """`--glob '*.htm*'` walks pages; ids drop .html like .txt; records are those of the letters."""
    text = (ROOT / LETTERS[1]).read_text("utf-8")
    for k, shell in enumerate(SHELLS):
        (tmp_path / f"{shell}.html").write_bytes(page(shell, *letter_parts(text), seed=k)[0])
    (tmp_path / "note.txt").write_text(text, "utf-8")
    result = cli("convert", tmp_path, "--glob", "*.htm*", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    records = [orjson.loads(line) for line in result.stdout_bytes.splitlines()]
    assert [r["id"] for r in records] == sorted(SHELLS)
    assert {r["issuer"] for r in records} == {process(text).issuer}


def test_heavy_libraries_load_only_when_used():
    """Importing dafu, its CLI and the html/dedupe/provenance modules loads neither readability, lxml,
    datasketch nor numpy: `dafu --help` stays fast."""
    import subprocess

    heavy = ("readability", "lxml", "datasketch", "numpy", "scipy")
    code = ("import sys, dafu, dafu.cli, dafu.cli.convert, dafu.html, dafu.dedupe, dafu.provenance; "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@settings(max_examples=300, deadline=None)
@given(html_pages)
def test_any_page_gives_text_or_a_read_error(data):
    """decode_html never fails otherwise than with a ReadError, and what it keeps is usable text."""
    try:
        decoded = decode_html(data)
    except ReadError:
        return
    assert decoded.text.strip() and "\r" not in decoded.text
    check(process(decoded.text, page_metadata=decoded.metadata))
