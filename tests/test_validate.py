"""dafu validate: rules files, record checks, reports, and the command (exit codes 0 / 1 / 2)."""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest

from dafu.cli.reports import junit_xml, report_dict
from dafu.model import (
    SCHEMA_ID,
    Addressee,
    Contact,
    Metric,
    Normalization,
    Proposal,
    Record,
    Source,
    Unresolved,
    Warning,
)
from dafu.output import json_schema, record_to_dict
from dafu.validate import (
    Problem,
    RulesError,
    Verdict,
    check,
    check_rules,
    check_schema,
    counts,
    default_rules,
    parse_rules,
    unknown_paths,
)

ROOT = Path(__file__).parent.parent
CASES = Path(__file__).parent / "cases"
SAMPLES = ROOT / "samples"


# ---------------------------------------------------------------- a record built by hand
def _metric(raw: str, value: float, unit: str, category: str, start: int) -> Metric:
    return Metric(raw=raw, value=value, value_high=None, unit=unit, unit_kind="person_times",
                  qualifier=None, label="技能培训", category=category, period="2021年", per=None,
                  section="一", sentence=f"开展技能培训{raw}。", span=(start, start + len(raw)))


def _record(**change) -> dict:
    """Return the dict of a complete, valid reply letter record, with some fields changed."""
    text = "王建华委员：\n开展技能培训12.6万人次。\n苏州市人力资源和社会保障局\n2022年6月15日"
    fields = dict(
        schema=SCHEMA_ID, id="suzhou_0235", source=Source("letters/suzhou_0235.txt", "0" * 64, 120, "utf-8", 1.0),
        doc_type="reply_letter", title="关于市政协十五届一次会议第0235号提案的答复", doc_number=None,
        category="B", signer=None, metadata=(("索引号", "014000/2022-00058"),),
        proposal=Proposal("提案", "政协", "市政协十五届一次会议", "第0235号",
                          "关于加强新就业形态劳动者技能培训的建议", None),
        addressees=(Addressee("王建华", "委员", False, (0, 3)),), issuer="苏州市人力资源和社会保障局",
        date="2022-06-15", contact=Contact("陈明", None, ("0512-68880000",), (30, 40)), cc=(),
        sections=(), metrics=(_metric("12.6万人次", 126000, "人次", "training", 13),),
        cited_documents=(), organizations=(), normalization=Normalization(), warnings=(), text=text,
    )
    fields.update(change)
    return record_to_dict(Record(**fields))


def invoke(args: list[str], input: bytes | None = None):
    """Run the dafu app in-process, without colour; stdout and stderr apart."""
    from typer.testing import CliRunner

    return CliRunner().invoke(_app(), args, input=input, env={"NO_COLOR": "1", "COLUMNS": "200"})


def _app():
    import typer

    from dafu import cli

    app = getattr(cli, "app", None)
    if app is not None and {"validate", "inspect", "normalize", "schema"} <= {c.name for c in app.registered_commands}:
        return app
    # until cli/__init__.py registers the commands: the same registration, here
    from dafu.cli.inspect import inspect, normalize, schema
    from dafu.cli.validate import validate

    app = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
    for name, fn in (("validate", validate), ("inspect", inspect), ("normalize", normalize), ("schema", schema)):
        app.command(name)(fn)
    return app


def _fired(problems) -> list[str]:
    return [p.rule for p in problems]


# ---------------------------------------------------------------- rules files
def test_example_rules_file_parses_and_names_only_real_fields():
    book = parse_rules((CASES / "rules_example.toml").read_text("utf-8"))
    assert [b.doc_type for b in book.blocks] == [None, "reply_letter", "meeting_report"]
    assert book.blocks[0].date_min == "2015-01-01" and book.blocks[0].date_max == "2030-12-31"
    assert book.blocks[1].required[1] == ("doc_number", "proposal.number")
    assert book.blocks[2].min_metrics == 3
    assert unknown_paths(book, json_schema()) == ()


def test_default_rules_are_a_rules_file():
    book = default_rules()
    assert book.blocks[0].doc_types == ("reply_letter", "meeting_report", "notice")
    assert book.blocks[0].no_unresolved_damage
    assert unknown_paths(book, json_schema()) == ()


BAD_RULES = [
    ('required = ["date"', "not valid TOML"),
    ("min_metric = 2", "min_metric: unknown key"),
    ("[reply_leter]\nrequired = []", "[reply_leter]: unknown table"),
    ("min_metrics = -1", "min_metrics: expected a whole number"),
    ("min_metrics = true", "min_metrics: expected a whole number"),
    ('min_metrics = "3"', "min_metrics: expected a whole number"),
    ('date_min = "2018-13-01"', "expected a date"),
    ("date_max = 2018", "expected a date"),
    ('required = "date"', "required: expected a list"),
    ('required = [""]', "not a dotted field path"),
    ('required = ["proposal..number"]', "not a dotted field path"),
    ("required = [[]]", "empty list of alternatives"),
    ('doc_types = ["reply"]', "unknown doc_type 'reply'"),
    ('[notice]\ndoc_types = ["notice"]', "[notice] doc_types: unknown key"),
    ('categories = "training"', "categories: expected a list of strings"),
    ("no_unresolved_damage = 1", "expected true or false"),
    ('defaults = "no"', "defaults: expected true or false"),
    ("forbid_warnings = [1]", "forbid_warnings: expected a list of strings"),
]


@pytest.mark.parametrize("text,message", BAD_RULES)
def test_bad_rules_are_refused_with_a_message_naming_the_key(text, message):
    with pytest.raises(RulesError) as exc:
        parse_rules(text)
    assert message in str(exc.value)


@pytest.mark.parametrize("path,known", [
    ("proposal.number", True), ("contact.unit", True), ("addressees.0.name", True),
    ("metadata.索引号", True), ("source.sha256", True), ("sections.0.children.0.heading", True),
    ("proposal.numbr", False), ("issuers", False), ("metadata.索引号.x", False), ("title.0", False),
])
def test_unknown_paths_follow_the_schema(path, known):
    book = parse_rules(f'required = ["{path}"]')
    assert unknown_paths(book, json_schema()) == (() if known else (path,))


# ---------------------------------------------------------------- checks on record dicts
def test_a_complete_record_is_schema_valid_and_passes_the_defaults():
    assert check(_record()) == ()


def test_schema_problems_name_the_place():
    doc = _record()
    doc["metrics"][0]["value"] = "12.6万"
    del doc["issuer"]
    problems = check_schema(doc)
    assert _fired(problems) == ["schema", "schema"]
    assert any("$.metrics[0].value" in p.message for p in problems)
    assert any("'issuer' is a required property" in p.message for p in problems)


UNRESOLVED = Normalization(mojibake_unresolved=(Unresolved(5, 8, "?焖侔", "no reading"),))
INTERNAL = (Warning("internal_error", "segment failed (KeyError: 'x'); please report it"),)

# (record changes, problems the default rules find)
DEFAULT_CASES = [
    ({}, []),
    ({"doc_type": "other"}, ["doc_type"]),
    ({"normalization": UNRESOLVED}, ["damage"]),
    ({"warnings": INTERNAL}, ["warning"]),
    ({"date": None}, ["required"]),
    ({"title": None}, []),  # the proposal number says what is answered
    ({"title": None, "proposal": None}, ["required"]),
    ({"issuer": None}, ["required"]),  # the contact line names no unit either
    ({"issuer": None, "contact": None}, ["required"]),
    ({"issuer": None, "contact": Contact(None, "市人社局职建科", ("3026260",), (0, 5))}, []),
    ({"doc_type": "meeting_report", "title": None, "issuer": None, "date": None, "proposal": None}, []),
    ({"doc_type": "notice", "date": None}, []),
    # header doubts (issue 16): a glued date read two ways, injected text in the header, a cut-off page
    ({"date": None, "warnings": (Warning("date_ambiguous", "date digits '2009112' ..."),)}, ["warning", "required"]),
    ({"warnings": (Warning("injected_text", "injected text kept out of issuer: 'x'"),)}, ["warning"]),
    ({"warnings": (Warning("truncated", "the text stops mid-sentence: 'x'"),)}, ["warning"]),
    ({"warnings": (Warning("weak_evidence", "issuer taken from weaker evidence: title"),)}, []),
]


@pytest.mark.parametrize("change,rules", DEFAULT_CASES)
def test_default_rules(change, rules):
    assert _fired(check(_record(**change))) == rules


def test_missing_signature_names_the_fields():
    problems = check(_record(date=None, issuer=None, contact=None))
    assert [p.message for p in problems] == ["missing date (reply_letter)",
                                             "missing issuer or contact.unit (reply_letter)"]


THREE = tuple(_metric(f"{n}人次", n, "人次", cat, 10 * n)
              for n, cat in ((1, "training"), (2, "training"), (3, "funding")))

# (rules file, record changes, problems the user rules find)
USER_CASES = [
    ('required = ["proposal.number"]', {}, []),
    ('required = ["proposal.number"]', {"proposal": None}, ["required"]),
    ('required = ["doc_number"]', {}, ["required"]),
    ('required = ["cc"]', {}, ["required"]),  # an empty list is not present
    ('required = ["metadata.索引号"]', {}, []),
    ('required = ["metadata.主题分类"]', {}, ["required"]),
    ('required = ["addressees.0.role"]', {}, []),
    ('required = ["addressees.1.name"]', {}, ["required"]),
    ('required = [["doc_number", "signer"]]', {}, ["required"]),
    ("min_metrics = 3", {"metrics": THREE}, []),
    ("min_metrics = 4", {"metrics": THREE}, ["min_metrics"]),
    ("min_metrics = 1", {"metrics": ()}, ["min_metrics"]),
    ('categories = ["training", "funding"]', {"metrics": THREE}, []),
    ('categories = ["training"]', {"metrics": THREE}, ["category"]),
    ("date_min = 2023-01-01", {}, ["date"]),
    ("date_min = 2022-06-15\ndate_max = 2022-06-15", {}, []),
    ('date_max = "2021-12-31"', {}, ["date"]),
    ("date_min = 2023-01-01", {"date": None}, []),  # a missing date is `required`'s job
    ('doc_types = ["notice"]', {}, ["doc_type"]),
    ('forbid_warnings = ["no_title"]', {"warnings": (Warning("no_title", "no title line found"),)}, ["warning"]),
    ('forbid_warnings = ["no_title"]', {"warnings": INTERNAL}, []),
    ('[meeting_report]\nrequired = ["doc_number"]', {}, []),  # another doc_type's table
    ('[reply_letter]\nrequired = ["doc_number"]\nmin_metrics = 2', {}, ["required", "min_metrics"]),
]


@pytest.mark.parametrize("text,change,rules", USER_CASES)
def test_user_rules(text, change, rules):
    assert _fired(check_rules(_record(**change), parse_rules(text))) == rules


def test_user_rules_messages():
    book = parse_rules('min_metrics = 5\ncategories = ["training"]\ndate_min = 2023-01-01')
    messages = [p.message for p in check_rules(_record(metrics=THREE), book)]
    assert messages == ["3 metrics, at least 5 wanted",
                        "category funding not allowed: 1 metric(s), e.g. '3人次'",
                        "date 2022-06-15 is before 2023-01-01"]


def test_user_rules_add_to_the_defaults_unless_switched_off():
    doc = _record(doc_type="other")
    assert _fired(check(doc, parse_rules("min_metrics = 2"))) == ["doc_type", "min_metrics"]
    assert _fired(check(doc, parse_rules("defaults = false\nmin_metrics = 2"))) == ["min_metrics"]
    bad = copy.deepcopy(doc)
    bad["date"] = 20220615
    assert "schema" in _fired(check(bad, parse_rules("defaults = false")))  # the schema always counts


# ---------------------------------------------------------------- reports
VERDICTS = [
    Verdict("suzhou_0235", "letters/suzhou_0235.txt"),
    Verdict("cut\x07<&>\"", "letters/cut.txt", (Problem("required", "missing date (reply_letter)"),
                                                Problem("damage", "1 unresolved damaged span(s): '?焖侔' at 5"))),
    Verdict("binary", "letters/binary.txt", error="not text (NUL bytes)"),
    Verdict("bad\udcb9name", "letters/bad\udcb9name.txt", (Problem("doc_type", "doc_type is other"),)),
]


def test_counts():
    assert counts(VERDICTS) == {"letters": 4, "passed": 1, "failed": 2, "errors": 1}


def test_json_report_lists_every_letter_with_its_status():
    report = orjson.loads(orjson.dumps(report_dict(VERDICTS, rules="rules.toml", seconds=1.5)))
    assert (report["letters"], report["passed"], report["failed"], report["errors"]) == (4, 1, 2, 1)
    assert [r["status"] for r in report["results"]] == ["pass", "fail", "error", "fail"]
    assert report["results"][1]["problems"][0] == {"rule": "required", "message": "missing date (reply_letter)"}
    assert report["results"][2]["error"] == "not text (NUL bytes)"
    assert report["results"][3]["id"] == "bad\ufffdname"
    assert report["rules"] == "rules.toml"


def test_junit_report_is_valid_xml_with_one_testcase_per_letter():
    root = ET.fromstring(junit_xml(VERDICTS, seconds=2.0))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert len(cases) == 4
    assert suites[0].get("tests") == "4" and suites[0].get("failures") == "2" and suites[0].get("errors") == "1"
    assert [c.get("name") for c in cases] == ["suzhou_0235", "cut\ufffd<&>\"", "binary", "bad\ufffdname"]
    failure = cases[1].find("failure")
    assert failure.get("message") == "missing date (reply_letter); 1 unresolved damaged span(s): '?焖侔' at 5"
    assert failure.get("type") == "required"
    assert cases[2].find("error").get("message") == "not text (NUL bytes)"
    assert cases[0].find("failure") is None and cases[0].find("error") is None


# ---------------------------------------------------------------- the command
# Letters of the genre from other places, years and wordings; each is a correct letter.
GOOD = {
    "suzhou_0235": """苏州市人力资源和社会保障局关于市政协十五届一次会议第0235号提案的答复
苏人社函〔2022〕58号
王建华委员：
您提出的《关于加强新就业形态劳动者技能培训的建议》（第0235号）收悉。经认真研究，现答复如下：
一、加强技能培训
2021年，全市开展补贴性职业技能培训12.6万人次，其中新就业形态劳动者培训8300人次，发放培训补贴1.2亿元。
二、下一步工作
下一步，我局将继续扩大培训规模，提升培训质量。
感谢您对人力资源和社会保障工作的关心和支持。
苏州市人力资源和社会保障局
2022年6月15日
（联系人：陈明，电话：0512-68880000）
抄送：市政协提案委员会，市政府督查室。
""",
    "chengdu_127": """成都市就业服务管理局关于市十八届人大二次会议第127号代表建议答复的函
刘芳等代表：
你们提出的《关于促进高校毕业生就业的建议》收悉。现答复如下：
近年来，我市累计发放就业补贴资金3.5亿元，帮助高校毕业生就业创业2.1万人，建成就业见习基地460家。
专此答复，感谢你们对就业工作的关心和支持。
成都市就业服务管理局
二〇二三年七月十日
""",
    "wuhan_notice": """关于做好2024年全市职业技能竞赛工作的通知
武人社发〔2024〕9号
各区人力资源和社会保障局：
为进一步推动技能人才队伍建设，现将有关事项通知如下：
一、全年举办市级一类职业技能竞赛20项以上，参赛选手不少于3000人。
二、各区要加强组织领导，确保竞赛工作顺利开展。
武汉市人力资源和社会保障局
2024年3月1日
""",
    "hunan_meeting": """3月12日，省人力资源社会保障厅召开全省技工教育工作会议，总结2023年工作，部署2024年任务。
厅党组成员、副厅长出席会议并讲话，各市州人社局分管负责同志共120人参加会议。
会议指出，2023年全省技工院校招生9.8万人，毕业生就业率达98.5%。
""",
}

SIGNATURE_CUT = GOOD["suzhou_0235"].split("感谢您对")[0]


def _folder(tmp_path: Path, letters: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    for name, text in letters.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / f"{name}.txt").write_bytes(data)
    return folder


def _lines(out: str) -> dict[str, str]:
    """Return {id: line} of the plain verdict lines."""
    return {line.split(" ", 1)[1].split(":", 1)[0]: line for line in out.splitlines()}


def test_samples_are_valid_with_the_default_rules():
    result = invoke(["validate", str(SAMPLES)])
    assert sorted(_lines(result.stdout)) == sorted(p.stem for p in SAMPLES.glob("*.txt"))
    assert all(line.startswith("PASS ") for line in result.stdout.splitlines()), result.stdout
    assert result.exit_code == 0
    assert "5 letters: 5 valid, 0 invalid, 0 unreadable" in result.stderr


def test_strict_rules_fail_the_samples_without_a_title_or_issuer():
    result = invoke(["validate", str(SAMPLES), "--rules", str(CASES / "rules_strict.toml")])
    assert result.exit_code == 1
    lines = _lines(result.stdout)
    assert "missing title (reply_letter)" in lines["001_425f8ebd1574510b"]
    assert "missing issuer (reply_letter)" in lines["003_396f2fedd0fdd60e"]
    assert lines["002_fd18181f8bb67260"] == "PASS 002_fd18181f8bb67260"  # a meeting report


def test_good_letters_pass(tmp_path):
    result = invoke(["validate", str(_folder(tmp_path, GOOD))])
    assert result.stdout.splitlines() == [f"PASS {i}" for i in sorted(GOOD)]
    assert result.exit_code == 0


def test_a_letter_with_its_signature_cut_off_fails(tmp_path):
    folder = _folder(tmp_path, {**GOOD, "suzhou_cut": SIGNATURE_CUT})
    result = invoke(["validate", str(folder)])
    assert result.exit_code == 1
    # the issuer is still named by the title (苏州市…局关于…的答复); the date is lost with the signature
    assert _lines(result.stdout)["suzhou_cut"] == "FAIL suzhou_cut: missing date (reply_letter)"
    assert "5 letters: 4 valid, 1 invalid, 0 unreadable" in result.stderr


def test_unreadable_letters_fail_and_are_named(tmp_path):
    folder = _folder(tmp_path, {"chengdu_127": GOOD["chengdu_127"], "binary": b"\x00\x01\x02PK\x03\x04" * 50,
                                "empty": b""})
    result = invoke(["validate", str(folder)])
    assert result.exit_code == 1
    assert _lines(result.stdout) == {"binary": "ERROR binary: not text (NUL bytes)",
                                     "chengdu_127": "PASS chengdu_127", "empty": "ERROR empty: empty file"}
    assert f"dafu: error: {folder / 'binary.txt'}: not text (NUL bytes)" in result.stderr


def test_user_rules_on_the_command_line(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('min_metrics = 1\n[reply_letter]\nrequired = ["doc_number"]\ndate_min = 2023-01-01\n', "utf-8")
    result = invoke(["validate", str(_folder(tmp_path, GOOD)), "--rules", str(rules)])
    assert result.exit_code == 1
    lines = _lines(result.stdout)
    assert lines["chengdu_127"] == "FAIL chengdu_127: missing doc_number (reply_letter)"
    assert lines["suzhou_0235"] == "FAIL suzhou_0235: date 2022-06-15 is before 2023-01-01 (reply_letter)"
    assert lines["wuhan_notice"] == "PASS wuhan_notice"


@pytest.mark.parametrize("name,fragment", [
    ("rules_bad_syntax.toml", "not valid TOML: "),
    ("rules_bad_key.toml", "min_metric: unknown key"),
    ("rules_unknown_field.toml", "no record has the field(s) proposal.numbr"),
    ("no_such_rules.toml", "cannot read rules file"),
])
def test_a_bad_rules_file_is_a_usage_error_naming_the_file(name, fragment):
    path = CASES / name
    result = invoke(["validate", str(SAMPLES), "--rules", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"dafu: error: {path}: ") and fragment in line


def test_toml_error_says_where():
    result = invoke(["validate", str(SAMPLES), "--rules", str(CASES / "rules_bad_syntax.toml")])
    assert "line 3" in result.stderr


def test_json_report(tmp_path):
    folder = _folder(tmp_path, {**GOOD, "suzhou_cut": SIGNATURE_CUT, "binary": b"\x00" * 10})
    report = tmp_path / "report.json"
    result = invoke(["validate", str(folder), "--report", "json", str(report)])
    assert result.exit_code == 1
    data = orjson.loads(report.read_bytes())
    assert (data["letters"], data["passed"], data["failed"], data["errors"]) == (6, 4, 1, 1)
    by_id = {r["id"]: r for r in data["results"]}
    assert by_id["suzhou_cut"]["status"] == "fail"
    assert [p["rule"] for p in by_id["suzhou_cut"]["problems"]] == ["required"]
    assert by_id["binary"] == {"id": "binary", "path": str(folder / "binary.txt"), "status": "error",
                               "error": "not text (NUL bytes)", "problems": []}
    assert by_id["suzhou_0235"]["path"] == str(folder / "suzhou_0235.txt")


def test_junit_report(tmp_path):
    folder = _folder(tmp_path, {**GOOD, "suzhou_cut": SIGNATURE_CUT, "binary": b"\x00" * 10})
    report = tmp_path / "junit.xml"
    result = invoke(["validate", str(folder), "--report", "junit", str(report)])
    assert result.exit_code == 1
    suite = ET.parse(report).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert sorted(c.get("name") for c in cases) == sorted([*GOOD, "suzhou_cut", "binary"])
    assert len(suite.findall("testcase/failure")) == 1 and suite.get("failures") == "1"
    assert len(suite.findall("testcase/error")) == 1 and suite.get("errors") == "1"
    [failed] = [c for c in cases if c.find("failure") is not None]
    assert failed.get("name") == "suzhou_cut" and "missing date" in failed.find("failure").get("message")


@pytest.mark.parametrize("args,fragment", [
    (["--report", "yaml", "r.yaml"], "'yaml' is not one of json, junit"),
    (["--report", "json", "no/such/folder/r.json"], "does not exist"),
    (["--jobs", "0"], "must be 1 or more"),
])
def test_bad_options_are_usage_errors(args, fragment):
    result = invoke(["validate", str(SAMPLES), *args])
    assert result.exit_code == 2
    assert fragment in result.stderr


@pytest.mark.parametrize("given,reason", [
    ("no/such/letters", "no such file or folder"),
])
def test_missing_input_is_a_usage_error(given, reason):
    result = invoke(["validate", given])
    assert result.exit_code == 2
    assert f"dafu: error: {given}: {reason}" in result.stderr


def test_a_folder_without_letters_is_a_usage_error(tmp_path):
    result = invoke(["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no letters found" in result.stderr


def test_quiet_prints_only_failures(tmp_path):
    good = invoke(["validate", str(_folder(tmp_path, GOOD)), "--quiet"])
    assert (good.exit_code, good.stdout, good.stderr) == (0, "", "")
    cut = tmp_path / "cut.txt"
    cut.write_text(SIGNATURE_CUT, "utf-8")
    bad = invoke(["validate", str(tmp_path / "letters"), str(cut), "--quiet"])
    assert bad.exit_code == 1
    assert bad.stdout.splitlines() == [
        "FAIL cut: missing date (reply_letter)"]


def test_strict_stops_at_the_first_failing_letter(tmp_path):
    folder = _folder(tmp_path, {"a_cut": SIGNATURE_CUT, **GOOD})
    result = invoke(["validate", str(folder), "--strict", "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "FAIL a_cut: missing date (reply_letter)"]


def test_jobs_give_the_same_verdicts_in_the_same_order(tmp_path):
    folder = _folder(tmp_path, {**GOOD, "suzhou_cut": SIGNATURE_CUT})
    one = invoke(["validate", str(folder), "--jobs", "1"])
    two = invoke(["validate", str(folder), "--jobs", "2"])
    assert one.stdout == two.stdout and one.exit_code == two.exit_code == 1


def test_stdin_is_a_letter():
    result = invoke(["validate", "-"], input=SIGNATURE_CUT.encode("utf-8"))
    assert result.exit_code == 1
    assert result.stdout.startswith("FAIL stdin: missing date")
    ok = invoke(["validate", "-"], input=GOOD["chengdu_127"].encode("gb18030"))
    assert (ok.exit_code, ok.stdout) == (0, "PASS stdin\n")
