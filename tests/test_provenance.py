"""Provenance (issue 22): --manifest and <letter>.meta.json fill source.url / fetched_at and the CSV."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest

from dafu.provenance import Provenance, ProvenanceError, is_official, parse_manifest, parse_sidecar

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "tests/letters/05_bracket_numbers.txt"


@pytest.mark.parametrize("text, error", [
    ("path,url\na.txt,https://x.gov.cn/\n", "missing fetched_at"),
    ("path,url,fetched_at\n,https://x.gov.cn/,2024-01-01\n", "line 2: empty path"),
    ("path,url,fetched_at\na.txt,ftp://x/,2024-01-01\n", "line 2: url 'ftp://x/' is not an http"),
    ("path,url,fetched_at\na.txt,https://x.gov.cn/,yesterday\n", "line 2: fetched_at 'yesterday'"),
    ("path,url,fetched_at\na.txt,,\nb.txt,,\na.txt,,\n", "line 4: 'a.txt' is listed twice"),
    ('path,url,fetched_at\n"unterminated,https://a,2024\n', "line 2: not CSV \\(a quote opened here is never closed"),
    ('path,url,fetched_at\na.txt,,\n"b.txt"x,,\n', "line 3: not CSV \\(',' expected after '\"'\\)"),
    ("path,url,fetched_at\na.txt,https://a.gov.cn/1,2024-01-01,extra\n", "line 2: 4 fields where the header has 3 "
                                                                        "\\(a value holding a comma needs quotes"),
    ('path,url,fetched_at\n"a\nb.txt",,\nc.txt\n', "line 4: 1 field where the header has 3$"),
    ("path,url,fetched_at,path\na.txt,,,\n", "line 1: the column 'path' appears twice"),
    ("", "line 1: the header needs the columns path,url,fetched_at \\(missing path, url, fetched_at\\)"),
])
def test_bad_manifest_names_its_line(text, error):
    with pytest.raises(ProvenanceError, match=error):
        parse_manifest(text)


def test_manifest_blank_lines_crlf_and_quoted_newlines_are_csv():
    text = 'path,url,fetched_at\r\n\r\n"a, b.txt",https://a.gov.cn/1,2024-01-01\r\n"c\r\nd.txt",,\r\n'
    assert [p for p, _ in parse_manifest(text)] == ["a, b.txt", "c\r\nd.txt"]


def test_manifest_rows_with_site_and_empty_values():
    text = "\ufeffpath,url,fetched_at,site,notes\na.txt,https://a.gov.cn/1,2024-05-06 10:00:00,某局,x\nb.txt,,,,\n"
    assert parse_manifest(text) == (
        ("a.txt", Provenance("https://a.gov.cn/1", "2024-05-06 10:00:00", "某局")), ("b.txt", Provenance()))


@pytest.mark.parametrize("data, error", [(b"{", "not JSON"), (b"[]", "not a JSON object"),
                                         (b'{"fetched_at": "2024-13-01"}', "not an ISO 8601")])
def test_bad_sidecar(data, error):
    with pytest.raises(ProvenanceError, match=error):
        parse_sidecar(data)


@pytest.mark.parametrize("url, official", [("https://www.gd.gov.cn/a", True), ("http://RSJ.SZ.GOV.CN/x", True),
                                           ("https://gov.cn.mirror.com/a", False), (None, False)])
def test_is_official(url, official):
    assert is_official(url) is official


def _folder(tmp_path: Path) -> Path:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(LETTER.read_bytes())
    (tmp_path / "m.csv").write_text("path,url,fetched_at,site\na.txt,https://rsj.example.gov.cn/a.html,"
                                    "2024-05-06T10:00:00+08:00,某市人社局\nc.txt,https://m.example.com/c,2024-06-01,\n",
                                    "utf-8")
    (tmp_path / "b.meta.json").write_text('{"url": "https://copy.example.com/b", "fetched_at": "2024-07-01"}', "utf-8")
    (tmp_path / "c.meta.json").write_text('{"url": "https://ignored.example.com/c", "fetched_at": "2020-01-01"}',
                                          "utf-8")
    return tmp_path


def test_manifest_and_sidecars_fill_record_and_csv(cli, tmp_path):
    """The manifest names a and c (it wins over c's sidecar); b's sidecar fills b."""
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    result = cli("convert", folder, "--manifest", folder / "m.csv", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    got = {p.stem: orjson.loads(p.read_bytes())["source"] for p in sorted((out / "letters").glob("*.json"))}
    assert {k: (v["url"], v["fetched_at"], v["site"]) for k, v in got.items()} == {
        "a": ("https://rsj.example.gov.cn/a.html", "2024-05-06T10:00:00+08:00", "某市人社局"),
        "b": ("https://copy.example.com/b", "2024-07-01", None),
        "c": ("https://m.example.com/c", "2024-06-01", None)}
    rows = list(csv.DictReader(io.StringIO((out / "metrics.csv").read_text("utf-8"))))
    assert {(r["letter_id"], r["source_url"], r["fetched_at"]) for r in rows} == {
        (k, v["url"], v["fetched_at"]) for k, v in got.items()}


@pytest.mark.parametrize("text, reason", [
    ("path,url\na.txt,https://x.gov.cn/\n",
     "line 1: the header needs the columns path,url,fetched_at (missing fetched_at)"),
    ('path,url,fetched_at\n"unterminated,https://a,2024\n', "line 2: not CSV (a quote opened here is never closed)"),
    ("path,url,fetched_at\na.txt,https://x.gov.cn/,2024-01-01,x\n",
     "line 2: 4 fields where the header has 3 (a value holding a comma needs quotes)"),
])
def test_unusable_manifest_is_a_usage_error(cli, tmp_path, text, reason):
    folder = _folder(tmp_path)
    (folder / "m.csv").write_text(text, "utf-8")
    result = cli("convert", folder, "--manifest", folder / "m.csv", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"dafu: error: {folder / 'm.csv'}: {reason}"]
    assert not (tmp_path / "out").exists()


def test_unusable_sidecar_is_a_warning_not_a_lost_letter(cli, tmp_path):
    folder = _folder(tmp_path)
    (folder / "b.meta.json").write_text("{", "utf-8")
    result = cli("convert", folder / "b.txt")
    assert result.exit_code == 0
    record = orjson.loads(result.stdout_bytes)
    assert record["source"]["url"] is None
    assert record["warnings"][0]["code"] == "provenance_invalid"


def test_rows_naming_no_input_are_reported(cli, tmp_path):
    folder = _folder(tmp_path)
    result = cli("convert", folder / "a.txt", "--manifest", folder / "m.csv")
    assert result.exit_code == 0
    assert "rows naming no input letter: 1" in result.stderr
