"""The command line: arguments, exit codes, what goes to stdout and stderr (tables, CliRunner)."""
from __future__ import annotations

import csv
import dataclasses
import io
import subprocess
import sys

import orjson
import pytest

import dafu
from dafu import process
from dafu.cli.inputs import display_path, sanitize_id
from dafu.cli.writers import csv_bytes
from dafu.output import CSV_COLUMNS, csv_rows, csv_rows_from_dict, json_schema, record_to_dict

from .conftest import SAMPLES, run_dafu

SAMPLE = sorted(SAMPLES.glob("*.txt"))[0]


def _jsonl(data: bytes) -> list[dict]:
    return [orjson.loads(line) for line in data.splitlines()]


def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema())


# ---------------------------------------------------------------- usage errors: exit 2, one line, no traceback
@pytest.mark.parametrize("args, fragment", [
    (["convert"], "Missing argument"),
    (["convert", "x.txt", "--jobs", "0"], "must be 1 or more"),
    (["convert", "x.txt", "--script", "cyrillic"], "is not one of simplified, traditional, keep"),
    (["convert", "x.txt", "--incremental"], "needs -o DIR"),
    (["convert", "x.txt", "--prune"], "needs -o DIR"),
    (["convert", "x.txt", "--csv", "-", "--jsonl", "-"], "only one of --csv and --jsonl"),
    (["convert", "x.txt", "--encoding", "klingon-8"], "unknown encoding 'klingon-8'"),
    (["convert", "-", "-"], "stdin (-) can be read only once"),
    (["convert", "x.txt", "--max-bytes", "0"], "must be 1 or more"),
    (["frobnicate"], "No such command"),
])
def test_usage_errors_exit_2(cli, args, fragment):
    result = cli(*args)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_version(cli):
    result = cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"dafu {dafu.__version__}\n")


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for name in ("convert", "validate", "inspect", "normalize", "schema"):
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("command, usage", [
    ("convert", "Usage: dafu convert [OPTIONS] {INPUT...}"),  # several inputs, as the README writes it
    ("validate", "Usage: dafu validate [OPTIONS] {INPUT...}"),
    ("inspect", "Usage: dafu inspect [OPTIONS] {FILE}"),  # one letter only
    ("review", "Usage: dafu review [OPTIONS] {OUT_DIR}"),
])
def test_help_usage_says_how_many_inputs(cli, command, usage):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[0] == usage


def test_python_dash_m_is_the_same_program():
    done = run_dafu("--version")
    assert (done.returncode, done.stdout) == (0, f"dafu {dafu.__version__}\n".encode())


def test_help_imports_no_heavy_library():
    """`dafu --help` must not pay for the pipeline's libraries nor rich."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "dafu", "--help"],
                          capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    for heavy in ("opencc", "jieba", "pypinyin", "charset_normalizer", "jsonschema", "rich", "orjson"):
        assert heavy not in imported, heavy


# ---------------------------------------------------------------- stdout: JSON Lines, CSV, stdin
def test_stdout_is_jsonl_ordered_by_id_and_schema_valid(cli, samples):
    result = cli("convert", samples, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout_bytes)
    assert [r["id"] for r in records] == sorted(p.stem for p in SAMPLES.glob("*.txt"))
    validator = _validator()
    for record in records:
        assert list(validator.iter_errors(record)) == []
    assert result.stderr.startswith("dafu: 5 letters, ")


def test_stdin_letter_is_the_same_record_as_the_file(cli):
    from_file = _jsonl(cli("convert", SAMPLE, "-j", "1").stdout_bytes)[0]
    result = cli("convert", "-", "-j", "1", input=SAMPLE.read_bytes())
    assert result.exit_code == 0, result.stderr
    from_stdin = _jsonl(result.stdout_bytes)[0]
    assert from_stdin["id"] == "stdin"
    assert from_stdin["source"]["sha256"] == from_file["source"]["sha256"]
    for key in ("id", "source"):
        from_file.pop(key), from_stdin.pop(key)
    assert from_stdin == from_file


def test_csv_to_stdout_instead_of_jsonl(cli, samples):
    result = cli("convert", samples, "--csv", "-", "-j", "1")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    assert result.stdout_bytes.endswith(b"\r\n") and not result.stdout_bytes.startswith(b"{")
    ids = [r[0] for r in rows[1:]]
    assert ids == sorted(ids)


def test_excel_csv_starts_with_bom(cli, samples):
    result = cli("convert", samples, "--csv", "-", "--excel", "-j", "1")
    assert result.stdout_bytes.startswith("\ufeffletter_id,".encode())


def test_csv_to_stdout_equals_metrics_csv(cli, samples, tmp_path):
    piped = cli("convert", samples, "--csv", "-", "-j", "1").stdout_bytes
    cli("convert", samples, "-o", tmp_path / "out", "-j", "1")
    assert piped == (tmp_path / "out" / "metrics.csv").read_bytes()


# ---------------------------------------------------------------- exit codes and messages
@pytest.mark.parametrize("files, exit_code, stderr_fragments", [
    ({"a.txt": SAMPLE.read_bytes()}, 0, ["dafu: 1 letter, "]),
    ({"a.txt": SAMPLE.read_bytes(), "b.txt": b""}, 1, ["b.txt: empty file; skipped", ", 1 error in "]),
    ({"a.txt": b"\x00\x01\x02binary\x00" * 10}, 1, ["a.txt: not text"]),
])
def test_exit_codes(cli, tmp_path, files, exit_code, stderr_fragments):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = cli("convert", tmp_path, "-j", "1")
    assert result.exit_code == exit_code
    for fragment in stderr_fragments:
        assert fragment in result.stderr
    assert len(_jsonl(result.stdout_bytes)) == sum(1 for d in files.values() if d == SAMPLE.read_bytes())


def test_missing_input_stops_before_anything_is_written(cli, tmp_path):
    result = cli("convert", SAMPLE, tmp_path / "nope.txt", "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 2
    assert result.stderr == f"dafu: error: {tmp_path / 'nope.txt'}: no such file or folder; nothing written\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, message", [
    (("convert", "", "-o", "{out}"), "dafu: error: '': empty path (an unset shell variable?); nothing written\n"),
    (("convert", str(SAMPLE), "", "-o", "{out}"),
     "dafu: error: '': empty path (an unset shell variable?); nothing written\n"),
    (("validate", ""), "dafu: error: '': empty path (an unset shell variable?)\n"),
    (("inspect", ""), "dafu: error: '': empty path (an unset shell variable?)\n"),
    (("normalize", ""), "dafu: error: '': empty path (an unset shell variable?)\n"),
    (("review", ""), "dafu: error: '': empty path (an unset shell variable?)\n"),
])
def test_an_empty_input_path_is_named_as_such(cli, tmp_path, monkeypatch, args, message):
    """An unset $DIR gives '' — never the current folder, and the message says what it likely is."""
    monkeypatch.chdir(tmp_path)
    result = cli(*(a.format(out=tmp_path / "out") for a in args))
    assert (result.exit_code, result.stderr) == (2, message)
    assert not (tmp_path / "out").exists()


def test_empty_folder_is_a_usage_error_unless_allowed(cli, tmp_path):
    result = cli("convert", tmp_path, "-j", "1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"dafu: error: {tmp_path}: no letters found (--glob '*.txt'); nothing written\n"
    result = cli("convert", tmp_path, "-j", "1", "--allow-empty")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines()[0] == f"dafu: warning: {tmp_path}: no letters found (--glob '*.txt')"


def test_quiet_prints_nothing_on_success(cli, samples, tmp_path):
    result = cli("convert", samples, "-o", tmp_path / "out", "--quiet", "-j", "1")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_quiet_still_reports_errors(cli, tmp_path):
    (tmp_path / "a.txt").write_bytes(b" \n\t ")
    result = cli("convert", tmp_path, "--quiet", "-j", "1")
    assert result.exit_code == 1
    assert result.stderr == f"dafu: error: {tmp_path / 'a.txt'}: whitespace only; skipped\n"


def test_summary_line_has_the_numbers_of_run_json(cli, samples, tmp_path):
    (samples / "zz_empty.txt").write_bytes(b"")
    result = cli("convert", samples, "-o", tmp_path / "out", "-j", "1")
    run = orjson.loads((tmp_path / "out" / "run.json").read_bytes())["counts"]
    line = result.stderr.splitlines()[-1]
    assert line.startswith(f"dafu: {run['letters']} letters, {run['metrics']} metrics, "
                           f"{run['warnings']} warnings, {run['errors']} error in ")
    assert (run["letters"], run["errors"], run["new"]) == (5, 1, 5)


@pytest.mark.parametrize("counts, status, line", [
    ({"letters": 1, "metrics": 1, "warnings": 1, "failed": 1}, "partial",
     "dafu: 1 letter, 1 metric, 1 warning, 1 error in 0.5 s (partial)"),
    ({"letters": 0, "metrics": 0, "warnings": 0, "failed": 0, "kept": 6}, "complete",
     "dafu: 0 letters, 0 metrics, 0 warnings, 0 errors in 0.5 s, 6 kept from the last run"),
    ({"letters": 599, "metrics": 11855, "warnings": 360, "failed": 0, "pruned": 1}, "complete",
     "dafu: 599 letters, 11855 metrics, 360 warnings, 0 errors in 0.5 s, 1 pruned"),
])
def test_summary_line_counts_in_words(counts, status, line):
    """One of anything is singular; a --prune run says how many records it deleted (run.json counts.pruned)."""
    from dafu.cli.summary import Tally, summary_line

    assert summary_line(Tally(**counts), 0.5, status) == line


def test_internal_error_is_one_line_and_the_traceback_is_kept(cli, samples, tmp_path, monkeypatch):
    def broken(text, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(dafu, "process", broken)
    result = cli("convert", samples / SAMPLE.name, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "internal error (ZeroDivisionError); please report it at " in result.stderr
    (error,) = _jsonl((tmp_path / "out" / "errors.jsonl").read_bytes())
    assert error["kind"] == "internal" and "ZeroDivisionError: boom" in error["traceback"]


def test_strict_stops_at_the_first_failure(cli, samples, tmp_path):
    (samples / "0-empty.txt").write_bytes(b"")
    result = cli("convert", samples, "-o", tmp_path / "out", "--strict", "-j", "1")
    assert result.exit_code == 1
    assert list((tmp_path / "out" / "letters").iterdir()) == []
    assert orjson.loads((tmp_path / "out" / "run.json").read_bytes())["status"] == "partial"


# ---------------------------------------------------------------- ids
@pytest.mark.parametrize("raw", [
    "../../etc/passwd", "..", ".", "", "a/../../b", "nul\x00byte", "\x1b[31mred", ".hidden",
    "back\\slash", "\u5173" * 300, "x" * 400, "\udcb9\udcd8", "a\nb",
])
def test_an_id_never_escapes_the_output_folder(raw, tmp_path):
    import os

    safe = sanitize_id(raw)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and safe.isprintable()
    assert len((safe + ".json").encode("utf-8")) < 255
    target = os.path.realpath(os.path.join(tmp_path, safe + ".json"))
    assert os.path.dirname(target) == os.path.realpath(tmp_path)


def test_non_utf8_names_show_their_bytes():
    """Two names that differ in an undecodable byte stay apart (a replacement character would merge them)."""
    import os

    assert display_path(os.fsdecode(b"\xb9\xd8\xd3\xda.txt")) == r"\xb9\xd8\xd3\xda.txt"
    assert display_path(os.fsdecode(b"a\xff.txt")) != display_path(os.fsdecode(b"a\xfe.txt"))


# ---------------------------------------------------------------- CSV cells
def _letter_with_metric_label(label: str):
    record = process(SAMPLE.read_text("utf-8"), id="x")
    metric = record.metrics[0] if record.metrics else None
    if metric is None:
        pytest.skip("the pipeline found no metric in the sample yet")
    return dataclasses.replace(record, metrics=(dataclasses.replace(metric, label=label),))


@pytest.mark.parametrize("label, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("培训", "培训"),
])
def test_formula_cells_are_neutralised_in_both_csv_paths(label, cell):
    record = _letter_with_metric_label(label)
    label_at = CSV_COLUMNS.index("label")
    assert csv_rows(record)[0][label_at] == cell
    assert csv_rows_from_dict(orjson.loads(orjson.dumps(record_to_dict(record))))[0][label_at] == cell


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_rows_from_a_record_file_equal_core_csv_rows(path):
    """metrics.csv is rebuilt from the record files; the cells must equal dafu.output.csv_rows."""
    record = process(path.read_text("utf-8"), id=path.stem)
    assert csv_rows_from_dict(orjson.loads(orjson.dumps(record_to_dict(record)))) == csv_rows(record)


def test_csv_is_rfc4180():
    assert csv_bytes([["a", 'say "hi"', "x,y", "two\nlines"]]) == b'a,"say ""hi""","x,y","two\nlines"\r\n'
