"""Corrections (DESIGN §4): one test per kind of correction, stale ones, the file formats, and the CLI round trip."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from dafu import process
from dafu.corrections import CorrectionsError, apply_corrections, parse_corrections
from dafu.options import DEFAULT_OPTIONS

LETTER = ("关于第1号提案的答复\n张三委员：\n现答复如下：今年培训学员100人次，新建实训基地12个，"
          "另有约300名志愿者参与，超过半数学员取得证书。\n某某市人力资源和社会保障局\n2020年1月1日\n")
HALF = LETTER.index("半数")


def _record():
    return process(LETTER, id="x")


def _toml(*entries: str) -> str:
    return "".join(f'[[correction]]\nletter = "x"\n{e}\n' for e in entries)


def _metric(record, raw):
    return next(m for m in record.metrics if m.raw == raw)


# (id, correction, check(record before, record after))
KINDS = [
    ("drop", 'action = "drop"\nraw = "12个"\nstart = 41',
     lambda a, b: [m.raw for m in b.metrics] == ["100人次", "约300名"]),
    ("change-label", 'action = "change"\nraw = "100人次"\nstart = 29\nlabel = "技能培训"',
     lambda a, b: _metric(b, "100人次").label == "技能培训" and _metric(b, "100人次").category == "training"),
    ("change-category", 'action = "change"\nraw = "约300名"\nstart = 47\ncategory = "employment"',
     lambda a, b: _metric(b, "约300名").category == "employment"),
    ("change-value-unit", 'action = "change"\nraw = "12个"\nstart = 41\nvalue = 13\nunit = "处"',
     lambda a, b: (_metric(b, "12个").value, _metric(b, "12个").unit) == (13, "处")),
    ("change-clears-label", 'action = "change"\nraw = "12个"\nstart = 41\nlabel = ""',
     lambda a, b: _metric(b, "12个").label is None),
    ("add", f'action = "add"\nraw = "半数"\nstart = {HALF}\nvalue = 50\nunit = "%"\nlabel = "取得证书学员"',
     lambda a, b: [m.raw for m in b.metrics] == ["100人次", "12个", "约300名", "半数"]
     and _metric(b, "半数").span == (HALF, HALF + 2) and _metric(b, "半数").sentence.startswith("现答复如下")
     and _metric(b, "半数").section == _metric(b, "12个").section and _metric(b, "半数").category == "other"),
    ("change-kind-qualifier", 'action = "change"\nraw = "约300名"\nstart = 47\nunit_kind = "items"\nqualifier = ""',
     lambda a, b: (_metric(b, "约300名").unit_kind, _metric(b, "约300名").qualifier) == ("items", None)
     and _metric(a, "约300名").qualifier == "about"),
    ("header-issuer", 'action = "header"\nfield = "issuer"\nvalue = "某某市人社局"\nwas = "某某市人力资源和社会保障局"',
     lambda a, b: b.issuer == "某某市人社局"),
    ("header-date", 'action = "header"\nfield = "date"\nvalue = "2020-01-02"', lambda a, b: b.date == "2020-01-02"),
    ("header-clear", 'action = "header"\nfield = "title"\nvalue = ""', lambda a, b: b.title is None),
]


@pytest.mark.parametrize("entry, check", [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_kind_of_correction_applies_and_is_listed(entry, check):
    before = _record()
    corrections = parse_corrections(_toml(entry))
    after = apply_corrections(before, corrections.for_letter("x"))
    assert check(before, after)
    assert len(after.corrections) == 1 and after.corrections[0].action == corrections.entries[0].action
    assert after.warnings == before.warnings  # applied: no warning
    for m in after.metrics:
        assert after.text[m.span[0]:m.span[1]] == m.raw


def test_applied_correction_says_what_it_changed():
    after = apply_corrections(_record(), parse_corrections(
        _toml('action = "change"\nraw = "100人次"\nstart = 29\nlabel = "技能培训"\nnote = "by hand"')).entries)
    c = after.corrections[0]
    assert (c.raw, c.start, c.end, c.before, c.after, c.note) == (
        "100人次", 29, 34, (("label", "培训学员"),), (("label", "技能培训"),), "by hand")


# (id, correction, words the warning must hold) — each matches nothing in the letter
STALE = [
    ("drop-moved", 'action = "drop"\nraw = "12个"\nstart = 40', "no metric '12个' starts at 40"),
    ("change-gone", 'action = "change"\nraw = "99人"\nstart = 29\nlabel = "x"', "no metric '99人'"),
    ("add-text-differs", 'action = "add"\nraw = "半数"\nstart = 3\nvalue = 50\nunit = "%"', "the text at 3 is not"),
    ("add-now-extracted", 'action = "add"\nraw = "12个"\nstart = 41\nvalue = 12\nunit = "个"', "now extracted"),
    ("add-overlaps", 'action = "add"\nraw = "12"\nstart = 41\nvalue = 12\nunit = "个"', "overlaps"),
    ("header-was-differs", 'action = "header"\nfield = "issuer"\nvalue = "甲"\nwas = "乙"', "not '乙'"),
]


@pytest.mark.parametrize("entry, words", [s[1:] for s in STALE], ids=[s[0] for s in STALE])
def test_a_stale_correction_becomes_a_warning(entry, words):
    before = _record()
    after = apply_corrections(before, parse_corrections(_toml(entry)).entries)
    assert after.metrics == before.metrics and after.issuer == before.issuer
    assert after.corrections == ()
    new = after.warnings[len(before.warnings):]
    assert [w.code for w in new] == ["correction_stale"]
    assert words in new[0].message


def test_corrections_run_inside_process_for_their_letter_only():
    corrections = parse_corrections(_toml('action = "drop"\nraw = "12个"\nstart = 41'))
    options = replace(DEFAULT_OPTIONS, corrections=corrections)
    assert [m.raw for m in process(LETTER, id="x", options=options).metrics] == ["100人次", "约300名"]
    assert len(process(LETTER, id="y", options=options).metrics) == 3


def test_toml_and_jsonl_give_the_same_corrections():
    toml = _toml('action = "change"\nraw = "100人次"\nstart = 29\nvalue = 101\nrole = "result"',
                 'action = "header"\nfield = "signer"\nvalue = "李四"')
    jsonl = "\n".join(json.dumps(c, ensure_ascii=False) for c in parse_corrections(toml).as_dicts()) + "\n"
    assert parse_corrections(jsonl, jsonl=True).entries == parse_corrections(toml).entries


def _change(fields: str) -> str:
    return _toml(f'action = "change"\nraw = "1人"\nstart = 0\n{fields}')


JSON_LINE = '{{"letter": "x", "action": "change", "raw": "1人", "start": 0, "value": {value}}}'

# (id, file text, jsonl?, words of the error)
BAD = [
    ("not-toml", "[[correction]\n", False, "not TOML"),
    ("not-json", '{"letter": "x",\n', True, "line 1: not JSON"),
    ("other-table", '[fix]\na = 1\n', False, "unknown table 'fix'"),
    ("no-letter", '[[correction]]\naction = "drop"\nraw = "1人"\nstart = 0\n', False, "'letter'"),
    ("bad-action", _toml('action = "fix"'), False, "'action' must be one of"),
    ("no-start", _toml('action = "drop"\nraw = "1人"'), False, "'start'"),
    ("negative-start", _toml('action = "drop"\nraw = "1人"\nstart = -1'), False, "'start'"),
    ("unknown-key", _toml('action = "drop"\nraw = "1人"\nstart = 0\nlabl = "x"'), False, "unknown key 'labl'"),
    ("drop-with-field", _toml('action = "drop"\nraw = "1人"\nstart = 0\nlabel = "x"'), False, "a drop takes no"),
    ("empty-change", _toml('action = "change"\nraw = "1人"\nstart = 0'), False, "a change needs"),
    ("value-not-number", _toml('action = "change"\nraw = "1人"\nstart = 0\nvalue = "5"'), False, "must be a number"),
    ("bad-role", _toml('action = "change"\nraw = "1人"\nstart = 0\nrole = "goal"'), False, "'role'"),
    ("letter-not-string", '[[correction]]\nletter = 7\naction = "drop"\nraw = "1人"\nstart = 0\n', False,
     "'letter' (the letter id) must be a string, not an integer 7"),
    ("raw-not-string", _toml('action = "drop"\nraw = 5\nstart = 0'), False,
     "'raw' (the figure as written) must be a string"),
    ("value-nan", _change("value = nan"), False, "'value' must be a finite number, not nan"),
    ("value-inf", _change("value = -inf"), False, "'value' must be a finite number, not -inf"),
    ("value-json-infinity", JSON_LINE.format(value="Infinity"), True, "line 1: 'value' must be a finite number"),
    ("value-json-huge", JSON_LINE.format(value="1" + "0" * 30), True, "'value' is too large"),
    ("value-bool", _change("value = true"), False, "'value' must be a number, not a boolean true"),
    ("unit-kind-unknown", _change('unit_kind = "people"'), False, "'unit_kind' must be one of person_times"),
    ("unit-kind-empty", _change('unit_kind = ""'), False, "'unit_kind' must be one of"),
    ("qualifier-unknown", _change('qualifier = "over"'), False, "'qualifier' must be one of \"\" (none), more_than"),
    ("role-empty", _change('role = ""'), False, "'role' must be one of result, target, standard, not ''"),
    ("category-empty", _change('category = ""'), False, "'category' cannot be empty"),
    ("label-not-string", _change("label = 5"), False, "'label' must be a string, not an integer 5"),
    ("add-without-unit", _toml('action = "add"\nraw = "1人"\nstart = 0\nvalue = 1'), False, "'value' and 'unit'"),
    ("header-field", _toml('action = "header"\nfield = "text"\nvalue = "x"'), False, "'field' must be one of"),
    ("header-bad-date", _toml('action = "header"\nfield = "date"\nvalue = "2020-02-30"'), False, "YYYY-MM-DD"),
    ("header-bad-type", _toml('action = "header"\nfield = "doc_type"\nvalue = "memo"'), False, "doc_type"),
]


@pytest.mark.parametrize("text, jsonl, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_an_unusable_corrections_file_is_refused_with_the_reason(text, jsonl, words):
    with pytest.raises(CorrectionsError) as info:
        parse_corrections(text, name="c.toml", jsonl=jsonl)
    assert str(info.value).startswith("c.toml: ") and words in str(info.value)


# ---------------------------------------------------------------- through the command line
@pytest.fixture
def letter_dir(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text(LETTER, encoding="utf-8")
    return folder


def _converted(cli, letter_dir, out, *extra):
    result = cli("convert", letter_dir, "-o", out, *extra)
    return result, json.loads((out / "letters" / "x.json").read_text("utf-8"))


def test_convert_applies_a_corrections_file_and_the_record_validates(cli, letter_dir, tmp_path):
    import jsonschema

    from dafu.output import json_schema

    fixes = tmp_path / "fixes.toml"
    fixes.write_text(_toml('action = "drop"\nraw = "12个"\nstart = 41',
                           'action = "change"\nraw = "100人次"\nstart = 29\nlabel = "技能培训"'), encoding="utf-8")
    result, record = _converted(cli, letter_dir, tmp_path / "out", "--corrections", fixes)
    assert result.exit_code == 0, result.stderr
    assert [(m["raw"], m["label"]) for m in record["metrics"]] == [("100人次", "技能培训"), ("约300名", "志愿者")]
    assert [c["action"] for c in record["corrections"]] == ["drop", "change"]
    jsonschema.validate(record, json_schema())
    rows = (tmp_path / "out" / "metrics.csv").read_text("utf-8").splitlines()
    assert len(rows) == 3 and "技能培训" in rows[1]


def test_convert_finds_corrections_beside_the_outputs_and_warns_about_stale_ones(cli, letter_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "corrections.toml").write_text(_toml('action = "drop"\nraw = "12个"\nstart = 40') +
                                          '[[correction]]\nletter = "gone"\naction = "drop"\nraw = "1人"\nstart = 0\n',
                                          encoding="utf-8")
    result, record = _converted(cli, letter_dir, out)
    assert result.exit_code == 0
    assert len(record["metrics"]) == 3 and record["corrections"] == []
    assert [w["code"] for w in record["warnings"]] == ["correction_stale"]
    assert "dafu: warning: corrections: 1 letter id(s) not among this run's inputs: gone" in result.stderr


@pytest.mark.parametrize("content, words", [
    (None, "cannot read"), ("[[correction]]\nletter = 1\n", "'letter' (the letter id) must be a string"),
    (b"\xff\xfe", "not UTF-8"), (_toml('action = "change"\nraw = "12个"\nstart = 41\nvalue = nan'), "finite number"),
    (_toml('action = "change"\nraw = "12个"\nstart = 41\nunit_kind = "people"'), "'unit_kind' must be one of"),
])
def test_convert_refuses_an_unusable_corrections_file(cli, letter_dir, tmp_path, content, words):
    fixes = tmp_path / "fixes.toml"
    if isinstance(content, bytes):
        fixes.write_bytes(content)
    elif content is not None:
        fixes.write_text(content, encoding="utf-8")
    result = cli("convert", letter_dir, "-o", tmp_path / "out", "--corrections", fixes, "--sqlite", tmp_path / "d.db")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"dafu: error: {fixes}: ") and words in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "letters" / "x.json").exists() and not (tmp_path / "d.db").exists()
    assert not [p.name for p in tmp_path.rglob("*dafu-tmp")]


def test_a_new_corrections_file_reconverts_incremental_letters(cli, letter_dir, tmp_path):
    out = tmp_path / "out"
    assert _converted(cli, letter_dir, out, "--incremental")[1]["corrections"] == []
    (out / "corrections.toml").write_text(_toml('action = "drop"\nraw = "12个"\nstart = 41'), encoding="utf-8")
    result, record = _converted(cli, letter_dir, out, "--incremental")
    assert [c["action"] for c in record["corrections"]] == ["drop"]
