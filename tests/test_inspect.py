"""dafu inspect, dafu normalize and dafu schema through the command line."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import orjson
import pytest

from dafu.output import CSV_COLUMNS, json_schema

from .test_validate import GOOD, invoke

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DAFU_UPDATE_GOLDEN") == "1"
TRADITIONAL = SAMPLES / "000_08d6c07602bede5a.txt"  # traditional, pinyin-annotated, with byte-loss damage


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema())


# ---------------------------------------------------------------- inspect
# (sample, what its header view must show)
HEADERS = [
    ("000_08d6c07602bede5a", ["reply_letter", "清人社函〔2018〕192號", "issuer code 清人社函, year 2018, serial 192",
                              "第20180218号", "廖力嘉委员", "清遠市人力資源和社會保障局", "2018-05-21",
                              "18926661293", "市政協提案委員會"]),  # a traditional page: names as it writes them
    ("001_425f8ebd1574510b", ["咸人社函〔2025〕140号", "李卫东", "张卫婷委员", "第440号", "2025-05-22",
                              "咸阳市人力资源和社会保障局", "metadata: 索引号"]),
    ("004_ec6a11e31d304edf", ["苏灿代表等", "第1916号", "广东省人力资源和社会保障厅", "2024-05-16", "杨伟"]),
]


@pytest.mark.parametrize("stem,shown", HEADERS, ids=[h[0] for h in HEADERS])
def test_inspect_shows_the_header_fields(stem, shown):
    result = invoke(["inspect", str(SAMPLES / f"{stem}.txt")])
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" not in result.stdout  # no colour off a terminal
    for heading in ("Normalization", "Header", "Sections", "Metrics ("):
        assert heading in result.stdout
    missing = [s for s in shown if s not in result.stdout]
    assert not missing, result.stdout


def test_inspect_shows_the_normalization_a_damaged_letter_needed():
    out = invoke(["inspect", str(TRADITIONAL)]).stdout
    assert "traditional → simplified" in out
    repair = next(line for line in out.splitlines() if "?,F" in line)  # the damaged span of 收悉?,F
    assert "。现" in repair
    assert re.search(r"\b(?:0\.9\d*|1\.0+)\b", repair), repair  # its confidence, which is high
    pinyin = next(line for line in out.splitlines() if "pinyin annotations removed" in line)
    assert int(pinyin.split()[-1]) > 100


def test_inspect_shows_the_section_tree_and_metrics():
    out = invoke(["inspect", str(SAMPLES / "004_ec6a11e31d304edf.txt")]).stdout
    assert "一、" in out and "[opening]" in out and "[closing]" in out
    assert "1979万人" in out and "19790000" in out  # raw and value side by side


def test_inspect_json_is_a_valid_record():
    result = invoke(["inspect", "--json", str(SAMPLES / "003_396f2fedd0fdd60e.txt")])
    assert result.exit_code == 0
    assert result.stdout.endswith("}\n") and result.stdout.count("\n") == 1
    record = orjson.loads(result.stdout)
    assert list(_validator().iter_errors(record)) == []
    assert (record["id"], record["doc_type"], record["date"]) == ("003_396f2fedd0fdd60e", "reply_letter", "2024-07-24")
    assert record["source"]["path"] == str(SAMPLES / "003_396f2fedd0fdd60e.txt")


def test_inspect_reads_stdin():
    result = invoke(["inspect", "--json", "-"], input=GOOD["chengdu_127"].encode("utf-8"))
    record = orjson.loads(result.stdout)
    assert (record["id"], record["issuer"], record["date"]) == ("stdin", "成都市就业服务管理局", "2023-07-10")


@pytest.mark.parametrize("command", ["inspect", "normalize"])
@pytest.mark.parametrize("content,code,reason", [
    (None, 2, "no such file or folder"),
    (b"\x00\x01\x02\x03" * 64, 1, "not text (NUL bytes)"),
    (b"   \n\n", 1, "whitespace only"),
])
def test_unusable_input_is_one_line_naming_the_file(tmp_path, command, content, code, reason):
    path = tmp_path / "x.txt"
    if content is not None:
        path.write_bytes(content)
    result = invoke([command, str(path)])
    assert (result.exit_code, result.stdout) == (code, "")
    assert result.stderr == f"dafu: error: {path}: {reason}\n"


# ---------------------------------------------------------------- normalize
def test_normalize_prints_simplified_text_of_a_traditional_letter():
    result = invoke(["normalize", str(TRADITIONAL)])
    assert result.exit_code == 0
    out = result.stdout
    assert "关于市七届政协会议第20180218号" in out and "收悉。现答复如下" in out
    assert "關" not in out and "(guān)" not in out and "?,F" not in out
    assert out.endswith("抄送：市政协提案委员会，市政府督查室，市政协，清远市教育局，清远市外事侨务局。\n")


def test_normalize_keep_script_only_repairs():
    out = invoke(["normalize", "--script", "keep", str(TRADITIONAL)]).stdout
    assert "關于市七屆政協會議" in out and "(guān)" not in out


def test_normalize_traditional_script():
    out = invoke(["normalize", "--script", "traditional", str(SAMPLES / "003_396f2fedd0fdd60e.txt")]).stdout
    assert "對市政協十三屆二次會議" in out


def test_normalize_reads_stdin_in_any_encoding():
    data = TRADITIONAL.read_bytes()
    from_file = invoke(["normalize", str(TRADITIONAL)]).stdout
    assert invoke(["normalize", "-"], input=data).stdout == from_file
    big5 = "關於加強職業技能培訓的答復\n".encode("big5")
    assert invoke(["normalize", "-"], input=big5).stdout == "关于加强职业技能培训的答复\n"


def test_normalize_is_a_shell_filter():
    """`cat x | dafu normalize -` in a real shell pipeline: UTF-8 bytes on stdout, nothing on stderr."""
    proc = subprocess.run([sys.executable, "-m", "dafu", "normalize", "-"], input=TRADITIONAL.read_bytes(),
                          capture_output=True, env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout.decode("utf-8") == invoke(["normalize", str(TRADITIONAL)]).stdout


# ---------------------------------------------------------------- schema
def test_schema_matches_the_golden_file():
    result = invoke(["schema"])
    assert result.exit_code == 0
    golden = GOLDEN / "schema.json"
    if UPDATE:
        golden.write_text(result.stdout, "utf-8")
    assert result.stdout == golden.read_text("utf-8")


def test_schema_is_the_shipped_schema_in_declaration_order():
    out = invoke(["schema"]).stdout
    assert orjson.loads(out) == json_schema()
    assert list(orjson.loads(out)["properties"])[:5] == ["schema", "id", "source", "duplicate_of", "doc_type"]
    assert out.startswith('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n')


def test_schema_csv_lists_the_columns():
    result = invoke(["schema", "--csv"])
    assert result.stdout.splitlines() == list(CSV_COLUMNS)
    assert result.stdout.splitlines()[0] == "letter_id" and result.stdout.endswith("end\n")


def test_encoding_is_forced_for_files_and_stdin(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("关于加强职业技能培训的答复\n".encode("gbk"))
    assert invoke(["normalize", "--encoding", "gbk", str(path)]).stdout == "关于加强职业技能培训的答复\n"
    wrong = invoke(["normalize", "--encoding", "utf-8", "-"], input=path.read_bytes())
    assert wrong.exit_code == 1 and wrong.stderr.startswith("dafu: error: <stdin>: undecodable bytes")
    record = orjson.loads(invoke(["inspect", "--json", "--encoding", "gbk", str(path)]).stdout)
    assert record["source"]["encoding"] == "gbk"


def test_inspect_takes_one_letter_not_a_folder():
    result = invoke(["inspect", str(SAMPLES)])
    assert (result.exit_code, result.stderr) == (2, f"dafu: error: {SAMPLES}: is a folder; give one letter\n")
