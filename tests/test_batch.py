"""Batches: ordering, --jobs, incremental runs, --prune, ids, the data package."""
from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import orjson
import pytest

from dafu.output import CSV_COLUMNS

from .conftest import SAMPLES, make_corpus


def _files(folder: Path) -> dict[str, bytes]:
    """Return every output file that must not depend on timing: records and metrics.csv."""
    found = {p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "letters").iterdir()}
    found["metrics.csv"] = (folder / "metrics.csv").read_bytes()
    return found


def _run_json(folder: Path) -> dict:
    return orjson.loads((folder / "run.json").read_bytes())


def _counts(folder: Path) -> dict:
    return _run_json(folder)["counts"]


# ---------------------------------------------------------------- --jobs
def test_jobs_1_and_2_write_the_same_bytes(cli, corpus, tmp_path):
    make_corpus(corpus / "generated", 40)
    one = cli("convert", corpus, "-o", tmp_path / "one", "--jobs", "1")
    two = cli("convert", corpus, "-o", tmp_path / "two", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert len(_files(tmp_path / "one")) > 60


def test_jobs_1_and_2_print_the_same_jsonl(cli, corpus):
    make_corpus(corpus / "generated", 30)
    one = cli("convert", corpus, "--jobs", "1").stdout_bytes
    two = cli("convert", corpus, "--jobs", "2").stdout_bytes
    assert one == two
    ids = [orjson.loads(line)["id"] for line in one.splitlines()]
    assert ids == sorted(ids) and len(ids) > 50


def test_runner_yields_in_task_order_with_two_processes(tmp_path):
    from dafu.cli.parallel import Config, Runner, Task
    from dafu.options import DEFAULT_OPTIONS

    make_corpus(tmp_path, 24)
    paths = sorted(str(p) for p in tmp_path.rglob("*.txt"))
    tasks = [Task(p, p, f"id{i:03d}") for i, p in enumerate(paths)]
    runner = Runner(tasks, Config(DEFAULT_OPTIONS, 10_000_000), jobs=2)
    runner.start()
    ids = [r.id for r in runner]
    runner.stop(now=False)
    assert ids == [t.id for t in tasks]


# ---------------------------------------------------------------- outputs
def test_output_folder_layout_and_metrics_order(cli, corpus, tmp_path):
    out = tmp_path / "out"
    result = cli("convert", corpus, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "datapackage.json", "errors.jsonl", "letters", "letters.csv", "metrics.csv", "run.json"]
    assert (out / "errors.jsonl").read_bytes() == b""
    rows = list(csv.reader(io.StringIO((out / "metrics.csv").read_text("utf-8"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    keys = [(r[0], int(r[-2])) for r in rows[1:]]
    assert keys == sorted(keys)
    assert len(rows) - 1 == _counts(out)["metrics"]
    ids = {p.stem for p in (out / "letters").iterdir()}
    assert "samples__000_08d6c07602bede5a" in ids and all("/" not in i for i in ids)
    run = _run_json(out)
    assert run["versions"]["dafu"] and run["options"]["script"] == "simplified" and run["timings"]["seconds"] >= 0


def test_csv_and_jsonl_paths_next_to_the_folder(cli, samples, tmp_path):
    out = tmp_path / "out"
    result = cli("convert", samples, "-o", out, "--csv", tmp_path / "m.csv", "--jsonl", tmp_path / "r.jsonl", "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "m.csv").read_bytes() == (out / "metrics.csv").read_bytes()
    lines = (tmp_path / "r.jsonl").read_bytes().splitlines()
    expected = [(out / "letters" / f"{p.stem}.json").read_bytes().rstrip(b"\n") for p in sorted(SAMPLES.glob("*.txt"))]
    assert lines == expected


@pytest.mark.parametrize("excel", [False, True])
def test_datapackage_validates_metrics_csv(cli, samples, tmp_path, excel):
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "out"
    cli("convert", samples, "-o", out, "-j", "1", *(["--excel"] if excel else []))
    assert (out / "metrics.csv").read_bytes().startswith(b"\xef\xbb\xbf") is excel
    package = frictionless.Package(str(out / "datapackage.json"))
    assert package.resources[0].schema.primary_key == ["letter_id", "span_start"]
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_datapackage_catches_a_broken_csv(cli, samples, tmp_path):
    """The package is strict enough to fail: a value that is not a number is an error."""
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "out"
    cli("convert", samples, "-o", out, "-j", "1")
    lines = (out / "metrics.csv").read_bytes().split(b"\r\n")
    if len(lines) < 3:
        pytest.skip("no metric rows yet")
    header = lines[0].decode().split(",")
    (out / "metrics.csv").write_bytes(b"\r\n".join([lines[0], b",".join([b"x"] * len(header))]) + b"\r\n")
    assert not frictionless.validate(str(out / "datapackage.json")).valid


# ---------------------------------------------------------------- incremental and prune
def test_incremental_processes_only_new_and_changed_letters(cli, corpus, tmp_path):
    out = tmp_path / "out"
    first = cli("convert", corpus, "-o", out, "--incremental", "-j", "1")
    total = _counts(out)["letters"]
    assert first.exit_code == 0 and _counts(out)["new"] == total > 5
    before = {p.name: p.stat().st_mtime_ns for p in (out / "letters").iterdir()}

    shutil.copy(SAMPLES / "001_425f8ebd1574510b.txt", corpus / "added.txt")
    cli("convert", corpus, "-o", out, "--incremental", "-j", "1")
    counts = _counts(out)
    assert (counts["new"], counts["changed"], counts["unchanged"], counts["skipped"]) == (1, 0, total, total)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "letters").iterdir() if p.name in before} == before

    changed = corpus / "samples" / "002_fd18181f8bb67260.txt"
    changed.write_bytes(changed.read_bytes() + "\n此复。\n".encode())
    cli("convert", corpus, "-o", out, "--incremental", "-j", "1")
    counts = _counts(out)
    assert (counts["new"], counts["changed"], counts["unchanged"], counts["letters"]) == (0, 1, total, total + 1)

    fresh = cli("convert", corpus, "-o", tmp_path / "fresh", "-j", "1")
    assert fresh.exit_code == 0
    assert _files(out) == _files(tmp_path / "fresh")


def test_incremental_redoes_everything_when_options_change(cli, samples, tmp_path):
    out = tmp_path / "out"
    cli("convert", samples, "-o", out, "--incremental", "-j", "1")
    cli("convert", samples, "-o", out, "--incremental", "--script", "traditional", "-j", "1")
    assert _counts(out)["skipped"] == 0
    cli("convert", samples, "-o", out, "--incremental", "--script", "traditional", "-j", "1")
    assert _counts(out)["skipped"] == 5


def test_prune_drops_records_of_inputs_that_are_gone(cli, samples, tmp_path):
    out = tmp_path / "out"
    cli("convert", samples, "-o", out, "--incremental", "-j", "1")
    gone = sorted(samples.iterdir())[0]
    gone.unlink()
    cli("convert", samples, "-o", out, "--incremental", "-j", "1")
    assert (out / "letters" / f"{gone.stem}.json").exists()  # without --prune the record stays,
    assert gone.stem.encode() in (out / "metrics.csv").read_bytes()  # and letters/ and metrics.csv agree
    assert _counts(out)["kept"] == 1
    cli("convert", samples, "-o", out, "--incremental", "--prune", "-j", "1")
    assert not (out / "letters" / f"{gone.stem}.json").exists()
    assert gone.stem.encode() not in (out / "metrics.csv").read_bytes()
    assert _counts(out)["pruned"] == 1 and _counts(out)["letters"] == 4


# ---------------------------------------------------------------- ids
def test_colliding_ids_get_a_suffix_and_a_warning(cli, tmp_path):
    data = (SAMPLES / "003_396f2fedd0fdd60e.txt").read_bytes()
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "a" / "b.txt").write_bytes(data)
    (tmp_path / "in" / "a__b.txt").write_bytes(data)
    result = cli("convert", tmp_path / "in", "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out" / "letters").iterdir()) == ["a__b-2.json", "a__b.json"]
    assert "dafu: warning: " in result.stderr and "id 'a__b' already used; this letter is 'a__b-2'" in result.stderr
    record = orjson.loads((tmp_path / "out" / "letters" / "a__b-2.json").read_bytes())
    assert record["warnings"][0]["code"] == "id_collision"


def test_same_name_in_nested_folders_gives_distinct_ids(cli, tmp_path):
    data = (SAMPLES / "003_396f2fedd0fdd60e.txt").read_bytes()
    for folder in ("2023/清远", "2024/清远", "2024/韶关"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "答复.txt").write_bytes(data)
    cli("convert", tmp_path / "in", "-o", tmp_path / "out", "-j", "1")
    assert sorted(p.stem for p in (tmp_path / "out" / "letters").iterdir()) == [
        "2023__清远__答复", "2024__清远__答复", "2024__韶关__答复"]


def test_file_names_that_are_not_utf8(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = "答复".encode("gbk") + b".txt"
    with open(os.path.join(os.fsencode(folder), name), "wb") as fp:
        fp.write((SAMPLES / "003_396f2fedd0fdd60e.txt").read_bytes())
    result = cli("convert", folder, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.stderr
    (record_file,) = (tmp_path / "out" / "letters").iterdir()
    record = orjson.loads(record_file.read_bytes())
    assert record["id"] == record_file.stem == "_xb4_xf0_xb8_xb4"  # the bytes, so two such names get two ids
    assert record["source"]["path"].endswith(r"\xb4\xf0\xb8\xb4.txt")  # its bytes, as written


def test_folder_symlink_loop_is_walked_once(cli, samples, tmp_path):
    (samples / "loop").symlink_to(samples, target_is_directory=True)
    result = cli("convert", samples, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0
    assert "folder symlink loop; not followed" in result.stderr
    assert len(list((tmp_path / "out" / "letters").iterdir())) == 5
