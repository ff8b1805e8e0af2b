"""Bad input and faults (DESIGN §6): a clear message naming the file, the batch goes on, and the
output folder holds only complete files from this run or the previous one."""
from __future__ import annotations

import csv
import errno
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from dafu.cli import writers
from dafu.output import CSV_COLUMNS
from dafu.output.columns import LETTERS_COLUMNS

from .conftest import LETTERS, SAMPLES, dafu_command, dafu_env, make_corpus, run_dafu

GOOD = SAMPLES / "003_396f2fedd0fdd60e.txt"
IS_ROOT = os.geteuid() == 0


def _errors(out: Path) -> list[dict]:
    return [orjson.loads(line) for line in (out / "errors.jsonl").read_bytes().splitlines()]


def _temps(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(writers.TEMP_MARK)]


def assert_complete(out: Path) -> None:
    """Every file in the output folder is complete: JSON parses, CSV has whole rows, JSONL lines parse.

    Hidden temp files (`.<name>.<random>.dafu-tmp`) are the only exception: a SIGKILL can leave
    them, and the next run removes them.
    """
    for path in out.rglob("*"):
        if path.is_dir() or path.name == ".dafu.lock":
            continue
        if path.name.endswith(writers.TEMP_MARK):
            assert path.name.startswith(".")
            continue
        data = path.read_bytes()
        if path.suffix == ".json":
            value = orjson.loads(data)
            if path.parent.name == "letters":
                assert value["id"] == path.stem and "text" in value
        elif path.name == "metrics.csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
            assert tuple(rows[0]) == CSV_COLUMNS and data.endswith(b"\r\n")
            assert all(len(row) == len(CSV_COLUMNS) for row in rows)
        elif path.name == "letters.csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
            assert tuple(rows[0]) == LETTERS_COLUMNS and data.endswith(b"\r\n")
            assert all(len(row) == len(LETTERS_COLUMNS) for row in rows)
        elif path.name == "errors.jsonl":
            for line in data.splitlines():
                orjson.loads(line)
        else:
            raise AssertionError(f"unexpected file {path}")


# ------------------------------------------------------------ unusable letters: message, errors.jsonl, batch goes on
@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", " \n\r\n\t\u3000".encode("utf-8"), "whitespace only"),
    ("binary.txt", bytes(range(0, 32)) * 64, "not text"),
    ("nul.txt", "关于第1号提案的答复\x00\x00".encode() * 20, "not text (NUL bytes)"),
    ("undecodable.txt", bytes(range(0x80, 0x100)) * 4, "undecodable bytes"),
])
def test_unusable_letter_is_skipped_with_a_message(cli, tmp_path, name, data, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    out = tmp_path / "out"
    result = cli("convert", folder, "-o", out, "-j", "1")
    assert result.exit_code == 1
    assert f"dafu: error: {folder / name}: {reason}" in result.stderr and "; skipped" in result.stderr
    assert "Traceback" not in result.stderr
    (error,) = _errors(out)
    assert error["path"] == str(folder / name) and error["kind"] == "read" and error["reason"].startswith(reason)
    assert [p.name for p in (out / "letters").iterdir()] == ["good.json"]
    assert_complete(out)


def test_huge_sparse_file_is_refused_before_reading(cli, tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fp:
        fp.truncate(100_000_000)  # sparse: costs no disk, would cost 100 MB of memory if read
    result = cli("convert", big, "-j", "1")
    assert result.exit_code == 1
    assert f"dafu: error: {big}: too large (100000000 bytes > --max-bytes 20000000); skipped" in result.stderr
    result = cli("convert", big, "--max-bytes", "1000", "-j", "1")
    assert "too large (100000000 bytes > --max-bytes 1000)" in result.stderr


def test_stdin_over_max_bytes_is_refused(cli):
    result = cli("convert", "-", "--max-bytes", "100", "-j", "1", input=GOOD.read_bytes())
    assert result.exit_code == 1 and "<stdin>: too large" in result.stderr


def _record_without_source(cli, path: Path, *extra: str) -> dict:
    result = cli("convert", path, "-j", "1", *extra)
    assert result.exit_code == 0, result.stderr
    record = orjson.loads(result.stdout_bytes)
    record.pop("id"), record.pop("source")
    return record


@pytest.mark.parametrize("source, encoding, detected", [
    (LETTERS / "05_bracket_numbers.txt", "gbk", "gb18030"),
    (LETTERS / "05_bracket_numbers.txt", "utf-16", "utf-16-le"),
    (LETTERS / "05_bracket_numbers.txt", "utf-8-sig", "utf-8-sig"),
    (LETTERS / "09_traditional_reply.txt", "big5", "big5"),
])
def test_legacy_encodings_give_the_same_record_but_source(cli, tmp_path, source, encoding, detected):
    encoded = tmp_path / f"{encoding}.txt"
    encoded.write_bytes(source.read_text("utf-8").encode(encoding))
    result = cli("convert", encoded, "-j", "1")
    assert orjson.loads(result.stdout_bytes)["source"]["encoding"] == detected
    assert _record_without_source(cli, encoded) == _record_without_source(cli, source)


def test_encoding_option_forces_the_codec(cli, tmp_path):
    encoded = tmp_path / "big5.txt"
    encoded.write_bytes((LETTERS / "09_traditional_reply.txt").read_text("utf-8").encode("big5"))
    record = orjson.loads(cli("convert", encoded, "--encoding", "big5", "-j", "1").stdout_bytes)
    assert (record["source"]["encoding"], record["source"]["encoding_confidence"]) == ("big5", 1)
    wrong = cli("convert", encoded, "--encoding", "utf-8", "-j", "1")
    assert wrong.exit_code == 1 and "undecodable bytes (not utf-8 at byte " in wrong.stderr


@pytest.mark.parametrize("make", [
    pytest.param(lambda text: text.split("\n", 6)[-1], id="no-header"),
    pytest.param(lambda text: text[: len(text) * 2 // 3], id="no-signature"),
    pytest.param(lambda text: text[:400], id="truncated"),
])
def test_incomplete_letters_still_give_a_record(cli, tmp_path, make):
    path = tmp_path / "letter.txt"
    path.write_text(make(GOOD.read_text("utf-8")), "utf-8")
    result = cli("convert", path, "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout_bytes)["id"] == "letter"


def test_letter_cut_inside_a_character_still_gives_a_record(cli, tmp_path):
    data = GOOD.read_bytes()
    cut = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0xC0) + 1  # after a lead byte
    (tmp_path / "cut.txt").write_bytes(data[:cut])
    result = cli("convert", tmp_path / "cut.txt", "-j", "1")
    assert result.exit_code == 0, result.stderr


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_unreadable_file(cli, tmp_path):
    (tmp_path / "in").mkdir()
    secret = tmp_path / "in" / "secret.txt"
    secret.write_bytes(GOOD.read_bytes())
    secret.chmod(0)
    (tmp_path / "in" / "good.txt").write_bytes(GOOD.read_bytes())
    result = cli("convert", tmp_path / "in", "-j", "1")
    assert result.exit_code == 1
    assert f"dafu: error: {secret}: unreadable: Permission denied; skipped" in result.stderr
    assert len(result.stdout_bytes.splitlines()) == 1


# ---------------------------------------------------------------- unusable output location: exit 2
def test_output_folder_under_a_regular_file(cli, tmp_path):
    (tmp_path / "file").write_text("x")
    result = cli("convert", GOOD, "-o", tmp_path / "file" / "out", "-j", "1")
    assert result.exit_code == 2
    assert result.stderr == f"dafu: error: {tmp_path / 'file' / 'out'}: cannot write here (Not a directory)\n"


@pytest.mark.skipif(IS_ROOT, reason="root writes anywhere")
def test_output_folder_not_writable(cli, tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    result = cli("convert", GOOD, "-o", tmp_path / "ro" / "out", "-j", "1")
    assert result.exit_code == 2 and "cannot write here (Permission denied)" in result.stderr


def test_csv_path_not_writable(cli, tmp_path):
    result = cli("convert", GOOD, "--csv", tmp_path / "no" / "such" / "m.csv", "-j", "1")
    assert result.exit_code == 2 and "cannot write here (No such file or directory)" in result.stderr


def test_disk_full_keeps_the_previous_files(cli, samples, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli("convert", samples, "-o", out, "-j", "1").exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = writers._write_all
    calls = []

    def fill_up(fd: int, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 3:  # the third file: half of it reaches the disk, then the disk is full
            real(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(writers, "_write_all", fill_up)
    result = cli("convert", samples, "-o", out, "--script", "traditional", "-j", "1")
    assert result.exit_code == 2
    assert "No space left on device; stopping; nothing published" in result.stderr and "Traceback" not in result.stderr
    assert _temps(out) == []
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    run = after.pop(out / "run.json")
    assert orjson.loads(run)["status"] == "failed"  # run.json says so; every other file is the last run's
    assert after == {p: data for p, data in before.items() if p != out / "run.json"}
    assert_complete(out)


# ---------------------------------------------------------------- signals, pipes, locks (real processes)
def _processes_mentioning(marker: str) -> list[int]:
    """Return the pids of live processes whose command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fp:
                    if marker.encode() in fp.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def test_sigkill_at_any_moment_leaves_only_complete_files(tmp_path):
    corpus = make_corpus(tmp_path / "in", 150)
    out = tmp_path / "out"
    began = time.monotonic()
    first = run_dafu("convert", corpus, "-o", out, "--quiet", "-j", "2")
    assert first.returncode == 0, first.stderr
    duration = time.monotonic() - began
    rng = random.Random(20240521)
    for i in range(20):
        script = ("keep", "traditional", "simplified")[i % 3]  # each run rewrites every file
        proc = subprocess.Popen(dafu_command("convert", corpus, "-o", out, "--quiet", "-j", str(1 + i % 2),
                                             "--script", script),
                                env=dafu_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # mostly while letters are written; every fourth kill near the end (metrics.csv, run.json, state)
        time.sleep(duration * (rng.uniform(0.8, 1.05) if i % 4 == 3 else rng.uniform(0.02, 0.8)))
        proc.kill()
        _, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err
        assert_complete(out)
    for _ in range(50):  # workers die with their parent
        if not _processes_mentioning(str(out)):
            break
        time.sleep(0.1)
    assert _processes_mentioning(str(out)) == []
    last = run_dafu("convert", corpus, "-o", out, "--quiet", "-j", "2")
    assert last.returncode == 0, last.stderr
    assert _temps(out) == []
    assert_complete(out)
    assert len(list((out / "letters").iterdir())) == 150


def _readline(stream, timeout: float = 60) -> bytes:
    """Return one line from a subprocess pipe, failing (not hanging) when none comes within `timeout`."""
    import selectors

    fd = stream.fileno()
    line = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise AssertionError(f"no line within {timeout} s (got {line!r})")
            chunk = os.read(fd, 1)
            if not chunk:
                break
            line += chunk
    return line


def _wait_for_records(out: Path, proc: subprocess.Popen, count: int = 1) -> None:
    """Wait until the run has staged (or written) `count` records."""
    for _ in range(600):
        letters = out / "letters"
        names = [p.name for p in letters.iterdir()] if letters.is_dir() else []
        staged = [n for n in names if n.endswith((".json", ".json.dafu-tmp"))]
        if len(staged) >= count:
            return
        if proc.poll() is not None:
            raise AssertionError(proc.communicate(timeout=30)[1])
        time.sleep(0.05)
    raise AssertionError("no record written")


@pytest.mark.parametrize("sig, code, jobs", [
    (signal.SIGINT, 130, "2"), (signal.SIGTERM, 143, "2"), (signal.SIGHUP, 129, "2"), (signal.SIGTERM, 143, "1"),
    (signal.SIGINT, 130, "1"),
])
def test_a_signal_stops_cleanly_publishes_nothing_and_says_so_in_run_json(tmp_path, sig, code, jobs):
    corpus = make_corpus(tmp_path / "in", 100)
    out = tmp_path / "out"
    first = run_dafu("convert", corpus / "d0", "-o", out, "-j", "1", "-q")
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "run.json"}
    proc = subprocess.Popen(dafu_command("convert", corpus, "-o", out, "-j", jobs), env=dafu_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_records(out, proc, len(before) + 3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert err.decode().startswith("dafu: interrupted; ") and b"Traceback" not in err
    assert len(err.splitlines()) == 1
    assert _temps(out) == []
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "run.json"}
    assert after == before  # letters/ and the CSVs are the last run's, together
    assert orjson.loads((out / "run.json").read_bytes())["status"] == "interrupted"
    assert_complete(out)


@pytest.mark.parametrize("command", [
    ["convert", "{corpus}", "-j", "2"],
    ["convert", "{corpus}", "-j", "1", "--csv", "-"],
    ["validate", "{corpus}", "-j", "1"],
    ["normalize", "{letter}"],
    ["inspect", "{letter}"],
    ["inspect", "{letter}", "--json"],
    ["schema"],
])
def test_closed_pipe_ends_quietly_with_141_for_every_command(tmp_path, command):
    """`dafu … | true`: the reader is gone before dafu writes; every command ends with 141 and says nothing."""
    corpus = make_corpus(tmp_path / "in", 12)
    argv = [a.format(corpus=corpus, letter=GOOD) for a in command]
    read, write = os.pipe()
    os.close(read)
    proc = subprocess.Popen(dafu_command(*argv), env=dafu_env(), stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err and err == b""


def test_pipe_closed_after_the_first_line_ends_quietly(tmp_path):
    corpus = make_corpus(tmp_path / "in", 60)
    proc = subprocess.Popen(dafu_command("convert", corpus, "-j", "2"), env=dafu_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert orjson.loads(_readline(proc.stdout, 120))["id"]
    proc.stdout.close()  # like `| head -1`
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141
    assert err == b""


def test_lock_contention_exits_75_and_wait_waits(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # A process that holds the run lock the way a running convert does (writers.lock_folder), until killed:
    # a real run would finish under a fast machine before the contending runs start.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from dafu.cli.writers import lock_folder; "
         "lock_folder(sys.argv[1]); print('held', flush=True); time.sleep(600)", str(out)],
        env=dafu_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert _readline(holder.stdout, 120) == b"held\n"
    second = run_dafu("convert", GOOD, "-o", out)
    assert second.returncode == 75
    assert second.stderr.decode() == (f"dafu: error: {out}: another dafu run holds the lock; "
                                      "--wait SECONDS waits for it\n")
    waited = run_dafu("convert", GOOD, "-o", out, "--wait", "0.5")
    assert waited.returncode == 75 and b"(waited 0.5 s)" in waited.stderr
    holder.kill()  # SIGKILL: no cleanup runs; the kernel drops the flock
    holder.communicate(timeout=60)
    third = run_dafu("convert", GOOD, "-o", out, "--quiet", "--wait", "30")
    assert (third.returncode, third.stderr) == (0, b"")


def test_lock_is_held_by_an_flock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom dafu.cli.writers import lock_folder\n"
         "lock_folder(sys.argv[1]); print('locked', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE)
    assert _readline(holder.stdout, 60) == b"locked\n"
    with pytest.raises(writers.LockBusy):
        writers.lock_folder(str(tmp_path))
    holder.kill()
    holder.communicate(timeout=30)
    os.close(writers.lock_folder(str(tmp_path)))


# ---------------------------------------------------------------- cron: a failed scraper never costs the published data
def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _empty(folder: Path) -> None:
    for p in sorted(folder.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()


def _missing(folder: Path) -> None:
    folder.rename(folder.with_name("moved-away"))


def _unmounted(folder: Path) -> None:  # the mount point stays, empty; a subfolder tree with no letter
    _empty(folder)
    (folder / "lost+found").mkdir()


def _dangling(folder: Path) -> None:  # the folder was a symlink to a mount that is gone
    _missing(folder)
    folder.symlink_to(folder.with_name("no-such-mount"), target_is_directory=True)


def _renamed(folder: Path) -> None:  # the scraper left its files half-written under another suffix
    for p in folder.rglob("*.txt"):
        p.rename(p.with_suffix(".part"))


CRON = """#!/bin/sh
# nightly: what a statistician's crontab runs (no terminal, closed stdin, C locale, cwd /)
cd / || exit 99
exec "$PYTHON" -m dafu convert "$IN" -o "$OUT" --incremental --prune -q </dev/null
"""


@pytest.mark.parametrize("fault", [_empty, _missing, _unmounted, _dangling, _renamed])
def test_cron_rerun_after_a_failed_scraper_leaves_outputs_byte_identical(tmp_path, fault):
    folder = make_corpus(tmp_path / "scraped", 12)
    out = tmp_path / "published"
    script = tmp_path / "nightly.sh"
    script.write_text(CRON)
    env = {"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "IN": str(folder), "OUT": str(out), "NO_COLOR": "1"}

    def nightly() -> subprocess.CompletedProcess:
        return subprocess.run(["sh", str(script)], capture_output=True, env=env, timeout=300)

    first = nightly()
    assert (first.returncode, first.stderr) == (0, b"")
    before = _snapshot(out)
    assert len([k for k in before if k.startswith("letters/")]) == 12
    fault(folder)
    again = nightly()
    assert again.returncode == 2
    assert len(again.stderr.splitlines()) == 1 and again.stderr.startswith(b"dafu: error: ")
    assert _snapshot(out) == before


def test_prune_deletes_only_records_dafu_wrote_for_inputs_that_are_gone(cli, tmp_path):
    folder = make_corpus(tmp_path / "in", 8)
    out = tmp_path / "out"
    assert cli("convert", folder, "-o", out, "-j", "1", "-q").exit_code == 0
    mine = out / "letters" / "my-notes.json"
    mine.write_bytes(b'{"mine": true}\n')  # a file of the user's own
    gone = sorted(folder.rglob("*.txt"))[0]
    gone.unlink()
    result = cli("convert", folder, "-o", out, "-j", "1", "--incremental", "--prune")
    assert result.exit_code == 0, result.stderr
    assert mine.read_bytes() == b'{"mine": true}\n'
    names = sorted(p.name for p in (out / "letters").iterdir())
    assert len(names) == 8 and "my-notes.json" in names  # 7 records and the user's file
    ids = {row["letter_id"] for row in csv.DictReader(io.StringIO((out / "metrics.csv").read_text("utf-8")))}
    assert ids <= {n[:-5] for n in names if n != "my-notes.json"}  # letters/ and metrics.csv agree
    # a run over part of the input never prunes the rest (those inputs were not looked at)
    result = cli("convert", folder / "d1", "-o", out, "-j", "1", "--incremental", "--prune")
    assert result.exit_code == 0 and set(names) <= {p.name for p in (out / "letters").iterdir()}


def test_unreadable_subfolder_is_reported_and_its_records_are_kept(cli, tmp_path, monkeypatch):
    folder = make_corpus(tmp_path / "in", 14)
    out = tmp_path / "out"
    assert cli("convert", folder, "-o", out, "-j", "1", "-q").exit_code == 0
    before = _snapshot(out)
    real = os.scandir
    locked = str(folder / "d3")

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("convert", folder, "-o", out, "-j", "1", "--incremental", "--prune")
    assert result.exit_code == 1
    assert f"dafu: error: {locked}: unreadable folder (Permission denied); skipped" in result.stderr
    after = _snapshot(out)
    letters = lambda snap: {k: v for k, v in snap.items() if k.startswith("letters/")}  # noqa: E731
    assert letters(after) == letters(before)  # nothing pruned, nothing lost
    assert after["metrics.csv"] == before["metrics.csv"]  # the kept records keep their rows
    assert orjson.loads(after["run.json"])["status"] == "partial"


def test_a_failing_letter_keeps_its_last_record_and_rows(cli, tmp_path):
    folder = make_corpus(tmp_path / "in", 5)
    out = tmp_path / "out"
    assert cli("convert", folder, "-o", out, "-j", "1", "-q").exit_code == 0
    before = _snapshot(out)
    victim = sorted(folder.rglob("*.txt"))[2]
    victim.write_bytes(b"")  # the scraper wrote an empty file
    result = cli("convert", folder, "-o", out, "-j", "1", "--incremental", "--prune", "-q")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if k.startswith("letters/")} == \
        {k: v for k, v in before.items() if k.startswith("letters/")}
    assert after["metrics.csv"] == before["metrics.csv"]


# ---------------------------------------------------------------- output paths: never an input, never a device
def _one_line(result) -> str:
    err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("args", [
    ["-o", ""], ["--csv", ""], ["--jsonl", ""], ["-o", "{out}", "--csv", ""],
])
def test_empty_output_paths_are_usage_errors(cli, tmp_path, args):
    argv = [a.format(out=tmp_path / "out") for a in args]
    result = cli("convert", GOOD, *argv)
    assert result.exit_code == 2 and "empty path" in _one_line(result)
    assert result.stdout == "" and not (tmp_path / "out").exists()


def test_report_and_rules_empty_paths_are_usage_errors():
    for args in (["--report", "json", ""], ["--rules", ""]):
        done = run_dafu("validate", GOOD, *args)
        assert done.returncode == 2 and b"empty path" in done.stderr and done.stderr.count(b"\n") == 1


def test_an_output_that_is_an_input_is_refused(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    letter = folder / "a.txt"
    letter.write_bytes(GOOD.read_bytes())
    for option in ("--csv", "--jsonl"):
        result = cli("convert", folder, option, letter)
        assert result.exit_code == 2 and "an input is never overwritten" in _one_line(result)
        result = cli("convert", letter, option, letter)
        assert result.exit_code == 2
    report = run_dafu("validate", folder, "--report", "json", letter)
    assert report.returncode == 2 and b"never overwritten" in report.stderr
    assert letter.read_bytes() == GOOD.read_bytes()
    result = cli("convert", folder, "--csv", folder / "metrics.txt")  # the next run would read it as a letter
    assert result.exit_code == 2 and "would be read as a letter" in _one_line(result)


def test_devices_folders_and_fifos_without_reader_are_never_written(cli, tmp_path):
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target, fragment in ((null, "character device"), ("/dev/null", "character device"),
                             (tmp_path, "is a folder"), (fifo, "no reader")):
        for option in ("--csv", "--jsonl"):
            result = cli("convert", GOOD, option, target, "-j", "1")
            assert result.exit_code == 2 and fragment in _one_line(result), (target, option)
    assert null.is_symlink() and os.readlink(null) == "/dev/null"
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_pipe_is_written_as_a_stream(tmp_path):
    """`--csv >(gzip > m.csv.gz)`: the shell passes /dev/fd/N, a pipe."""
    read, write = os.pipe()
    proc = subprocess.Popen(dafu_command("convert", GOOD, "--csv", f"/dev/fd/{write}", "--jsonl", os.devnull
                                         if False else str(tmp_path / "r.jsonl"), "-j", "1"),
                            env=dafu_env(), pass_fds=(write,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(write)
    with os.fdopen(read, "rb") as fp:
        data = fp.read()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) > 1


def test_a_symlinked_output_file_is_replaced_at_its_target(cli, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert cli("convert", GOOD, "--csv", link, "-j", "1").exit_code == 0
    assert link.is_symlink() and target.read_text("utf-8").startswith("letter_id,")


def test_output_folder_inside_the_input_is_never_read_back(cli, tmp_path):
    folder = make_corpus(tmp_path / "in", 6)
    out = folder / "out"
    for _ in range(2):
        result = cli("convert", folder, "-o", out, "--glob", "*", "-j", "1")
        assert result.exit_code == 0, result.stderr
        assert len(list((out / "letters").iterdir())) == 6
    result = cli("convert", out, "-o", out, "-j", "1")
    assert result.exit_code == 2 and "is in the output folder" in _one_line(result)


def test_symlinked_input_files_are_not_followed_outside_the_folder(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    secret = tmp_path / "secret.txt"
    secret.write_bytes(GOOD.read_bytes())
    (folder / "link-out.txt").symlink_to(secret)
    (folder / "link-in.txt").symlink_to(folder / "good.txt")
    (folder / "dir-out").symlink_to(tmp_path, target_is_directory=True)
    result = cli("convert", folder, "-j", "1")
    assert result.exit_code == 0
    ids = [orjson.loads(line)["id"] for line in result.stdout_bytes.splitlines()]
    assert ids == ["good", "link-in"]
    assert f"dafu: warning: {folder / 'link-out.txt'}: symbolic link leading outside the input folder; " \
           "not followed" in result.stderr
    assert f"{folder / 'dir-out'}: symbolic link leading outside" in result.stderr


# ---------------------------------------------------------------- hangs and resources
def test_fifos_and_devices_in_the_input_are_skipped_unopened(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    os.mkfifo(folder / "trap.txt")  # opening it for reading would wait for a writer for ever
    done = run_dafu("convert", folder, "-o", tmp_path / "out", "-j", "1", timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"dafu: warning: {folder / 'trap.txt'}: a FIFO, not a regular file; skipped unopened".encode() in done.stderr
    assert [p.name for p in (tmp_path / "out" / "letters").iterdir()] == ["good.json"]


def test_a_pipe_named_on_the_command_line_is_read(tmp_path):
    read, write = os.pipe()
    proc = subprocess.Popen(dafu_command("convert", f"/dev/fd/{read}", "-j", "1"), env=dafu_env(),
                            pass_fds=(read,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(read)
    with os.fdopen(write, "wb") as fp:
        fp.write(GOOD.read_bytes())
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(out.splitlines()) == 1


def test_jobs_are_capped_by_cores(cli, samples):
    from dafu.cli.parallel import default_jobs

    result = cli("convert", samples, "-j", "1000")
    assert result.exit_code == 0
    assert f"dafu: warning: --jobs 1000: using {default_jobs()}" in result.stderr
    assert result.stdout_bytes == cli("convert", samples, "-j", "1").stdout_bytes


GARBAGE = "复(xiàn)情?人?F现?F案?提?办?于?F复?F办?@答?@提?理?@关?\x80社?,案?F人?@办?\x80况?复?("


def test_repair_work_is_bounded_per_letter_and_says_so():
    from dafu.normalize.repair import repair_budget, repair_byte_loss

    _, _, _, warns = repair_byte_loss(GARBAGE * 3)
    assert "repair_budget_exhausted" in [w.code for w in warns]
    assert repair_budget(GARBAGE * 3) < repair_budget(GARBAGE * 30) < 40 * repair_budget(GARBAGE * 3)
    text, repairs, _, warns = repair_byte_loss(GARBAGE, budget=0)
    assert repairs == () and "repair_budget_exhausted" in [w.code for w in warns]


def test_a_dead_worker_costs_its_letters_not_the_run(tmp_path, monkeypatch):
    from dafu.cli import parallel
    from dafu.options import DEFAULT_OPTIONS

    corpus = make_corpus(tmp_path / "in", 24)
    paths = sorted(corpus.rglob("*.txt"))
    real = parallel.process_one

    def dying(task, config):
        if task.id == "victim":
            os.kill(os.getpid(), signal.SIGKILL)  # like the OOM killer
        return real(task, config)

    monkeypatch.setattr(parallel, "process_one", dying)  # forked workers inherit the patch
    tasks = [parallel.Task(str(p), str(p), "victim" if i == 5 else f"id{i:02d}") for i, p in enumerate(paths)]
    runner = parallel.Runner(tasks, parallel.Config(DEFAULT_OPTIONS, 10**7), jobs=2)
    runner.start()
    try:
        results = list(runner)
    finally:
        runner.stop(now=False)
    assert [r.id for r in results] == [t.id for t in tasks]
    dead = [r for r in results if r.status == "error"]
    assert "victim" in {r.id for r in dead} and all("worker process died" in r.reason for r in dead)
    assert len(dead) < len(results) // 2


def test_runner_stops_without_private_attributes_and_leaves_no_process(tmp_path):
    import inspect
    import multiprocessing

    from dafu.cli import parallel
    from dafu.options import DEFAULT_OPTIONS

    assert "_processes" not in inspect.getsource(parallel)
    corpus = make_corpus(tmp_path / "in", 40)
    tasks = [parallel.Task(str(p), str(p), f"id{i:02d}") for i, p in enumerate(sorted(corpus.rglob("*.txt")))]
    runner = parallel.Runner(tasks, parallel.Config(DEFAULT_OPTIONS, 10**7), jobs=2)
    runner.start()
    first = next(iter(runner))
    assert first.status == "ok"
    began = time.monotonic()
    runner.stop()
    assert time.monotonic() - began < 20
    assert multiprocessing.active_children() == []


# ---------------------------------------------------------------- user errors: one line, the right exit code
NOT_UTF8 = os.fsdecode(b"\xb9\xd8\xd3\xda.txt")  # 关于 in GBK


def _closed(fd: int):
    return lambda: os.close(fd)


@pytest.mark.parametrize("argv, code, fragment", [
    (["convert", NOT_UTF8], 2, r"\xb9\xd8\xd3\xda.txt: no such file or folder"),
    (["validate", NOT_UTF8], 2, "no such file or folder"),
    (["inspect", NOT_UTF8], 2, "no such file or folder"),
    (["validate", str(GOOD), "--rules", NOT_UTF8], 2, "cannot read rules file"),
    (["convert", str(SAMPLES), "--glob", NOT_UTF8], 2, "no letters found"),
    (["validate", str(SAMPLES), "--glob", NOT_UTF8], 2, "no letters found"),
    (["convert", str(GOOD), "--encoding", "rot13"], 2, "not a text encoding"),
    (["convert", str(GOOD), "--encoding", "base64"], 2, "not a text encoding"),
    (["normalize", str(GOOD), "--encoding", "zlib"], 2, "not a text encoding"),
    (["convert", str(GOOD), "--encoding", "no-such-codec"], 2, "unknown encoding"),
    (["convert", "/nonexistent/folder", "-o", "{tmp}/out"], 2, "no such file or folder"),
    (["validate", "/nonexistent/folder"], 2, "no such file or folder"),
    (["convert", str(GOOD), "--glob", "x"], 0, None),
])
def test_user_errors_are_one_line_with_the_right_code(tmp_path, argv, code, fragment):
    done = run_dafu(*[a.format(tmp=tmp_path) for a in argv])
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, err
    assert "Traceback" not in err
    if fragment:
        assert err.count("\n") == 1 and fragment in err, err


def test_deeply_nested_rules_are_one_line(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    done = run_dafu("validate", GOOD, "--rules", rules)
    assert done.returncode == 2 and done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr


@pytest.mark.parametrize("argv, closed, code", [
    (["convert", "-"], 0, 2),
    (["normalize", "-"], 0, 2),
    (["validate", "-"], 0, 2),
    (["convert", str(GOOD)], 1, 2),
    (["validate", str(GOOD)], 1, 2),
    (["normalize", str(GOOD)], 1, 2),
    (["inspect", str(GOOD)], 1, 2),
    (["schema"], 1, 2),
    (["convert", str(GOOD), "-o", "{tmp}/out", "-q"], 1, 0),  # stdout is not needed
])
def test_closed_standard_streams(tmp_path, argv, closed, code):
    proc = subprocess.Popen(dafu_command(*[a.format(tmp=tmp_path) for a in argv]), env=dafu_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=_closed(closed))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert b"Traceback" not in err
    if code:
        assert err.count(b"\n") == 1 and b"closed" in err


@pytest.mark.parametrize("argv", [
    ["normalize", str(GOOD)], ["schema"], ["schema", "--csv"], ["inspect", str(GOOD)], ["inspect", str(GOOD), "--json"],
    ["convert", str(GOOD), "-j", "1"], ["convert", str(GOOD), "-j", "1", "--csv", "-"], ["validate", str(GOOD)],
])
def test_a_full_device_on_stdout_is_one_line_and_exit_2(argv):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(dafu_command(*argv), env=dafu_env(), stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count(b"\n") == 1 and b"No space left on device" in proc.stderr, proc.stderr


@pytest.mark.parametrize("damage", [
    b"", b"{", b"[]", b'{"id": "someone-else"}', b"\xff\xfe\x00garbage", b'{"id": "%s", "metrics": 7}',
])
def test_a_damaged_record_under_incremental_is_converted_again(cli, samples, tmp_path, damage):
    out = tmp_path / "out"
    assert cli("convert", samples, "-o", out, "--incremental", "-j", "1", "-q").exit_code == 0
    good = _snapshot(out)
    victim = sorted((out / "letters").iterdir())[1]
    victim.write_bytes(damage.replace(b"%s", victim.stem.encode()))
    for _ in range(2):
        result = cli("convert", samples, "-o", out, "--incremental", "-j", "1")
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert victim.read_bytes() == good[f"letters/{victim.name}"]
    assert (out / "metrics.csv").read_bytes() == good["metrics.csv"]


def test_a_damaged_state_file_is_a_warning_and_prunes_nothing(cli, samples, tmp_path):
    out = tmp_path / "out"
    assert cli("convert", samples, "-o", out, "-j", "1", "-q").exit_code == 0
    (out / ".dafu-state.json").write_bytes(b"{broken")
    next(samples.iterdir()).unlink()
    result = cli("convert", samples, "-o", out, "-j", "1", "--incremental", "--prune")
    assert result.exit_code == 0 and "state (.dafu-state.json) is missing or damaged" in result.stderr
    assert len(list((out / "letters").iterdir())) == 5


def test_a_terminal_that_is_not_utf8(tmp_path):
    folder = tmp_path / "答复"
    folder.mkdir()
    (folder / "空白.txt").write_bytes(b"")
    (folder / "好.txt").write_bytes(GOOD.read_bytes())
    env = {**dafu_env(), "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    for argv in (["convert", folder], ["validate", folder], ["inspect", folder / "好.txt"],
                 ["convert", folder, "--no-such-option-\u5173"]):
        done = subprocess.run(dafu_command(*argv), env=env, capture_output=True, timeout=120)
        assert b"Traceback" not in done.stderr and done.returncode in (1, 2, 0), done.stderr


def test_lone_surrogates_and_replacement_characters_are_warned(cli, tmp_path):
    utf7 = tmp_path / "utf7.txt"
    utf7.write_bytes(GOOD.read_text("utf-8").encode("utf-7") + b"+2AA-")
    result = cli("convert", utf7, "--encoding", "utf-7", "-j", "1")
    assert result.exit_code == 0, result.stderr
    record = orjson.loads(result.stdout_bytes)
    assert "\ufffd" in record["text"] and "decode_replaced" in [w["code"] for w in record["warnings"]]
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(GOOD.read_bytes().replace("答复".encode(), "答复".encode("gbk"), 1))
    result = cli("convert", mixed, "-j", "1")
    assert result.exit_code == 0
    assert f"dafu: warning: {mixed}: 2 undecodable byte(s) replaced by U+FFFD" in result.stderr
    assert orjson.loads(result.stdout_bytes)["warnings"][0]["code"] == "decode_replaced"


@pytest.mark.parametrize("name", ["evil\n\x1b[2J.txt", "bell\x07.txt", "dafu: 9 letters, 0 errors\r.txt",
                                  "rtl\u202e.txt"])
def test_control_characters_in_names_are_escaped(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(b"")
    done = run_dafu("convert", folder, "-q", "-j", "1")
    assert done.returncode == 1
    line = done.stderr.decode()
    assert line.count("\n") == 1 and line.startswith("dafu: error: ") and line.endswith("empty file; skipped\n")
    assert not any(c in line[:-1] for c in "\x1b\x07\r\u202e")


def test_double_star_glob_finds_nested_letters(cli, tmp_path):
    folder = make_corpus(tmp_path / "in", 9)
    for pattern in ("**/*.txt", "d1/*.txt", "*.txt"):
        result = cli("convert", folder, "--glob", pattern, "-j", "1")
        assert result.exit_code == 0, (pattern, result.stderr)
    assert cli("convert", folder, "--glob", "**/*.pdf", "-j", "1").exit_code == 2


# ---------------------------------------------------------------- --redact: every contact shape (FIELD-GUIDE Part 1 §5)
REDACT_CASES = [
    # (contact block, what must not survive anywhere in the record)
    ("联系人：朱华  联系电话：13926661293", ["朱华", "13926661293"]),
    ("联系电话：0763-3362101              联系人：李明", ["李明", "3362101"]),
    ("承 办 人：王小红\n联系电话：0751-8886666", ["王小红", "8886666"]),
    ("承办负责人：陈志强\n承办人及联系电话：刘洋 13826661234", ["陈志强", "刘洋", "13826661234"]),
    ("主管领导人姓名：黄建国 联系电话：83636868\n具体经办人姓名：周 杰 联系电话：83636869\n邮 政 编 码：510000",
     ["黄建国", "周 杰", "83636868", "83636869"]),
    ("联系单位：职业能力建设科\n联系电话：0763-33621010", ["33621010"]),
    ("联系人：张三、李四\n联系电话：020-87654321", ["张三", "李四", "87654321"]),
    ("联系人：赵敏，电话：139 2666 1293", ["赵敏", "139 2666 1293", "2666"]),
    ("联系人：孙立，手机：+86 138-2666-1294", ["孙立", "2666-1294"]),
    ("联系人：何家豪，电话：+852 2123 4567", ["何家豪", "2123 4567"]),
    ("联系人：梁嘉欣，电话：(852) 2388 6688", ["梁嘉欣", "2388 6688"]),
    ("联系人：吴卓，电话：2123 4568", ["吴卓", "2123 4568"]),
    ("联系人：郑爽，电话：（0763）3362102转8001", ["郑爽", "3362102"]),
    ("联系人：冯宁，电话：0086 10 6520 1234，邮箱：fengning@example.gov.cn", ["冯宁", "6520 1234", "fengning@"]),
    ("联系人：韩梅同志，联系电话：0755-2222 3333", ["韩梅", "2222 3333"]),
]


@pytest.mark.parametrize("block, secrets", REDACT_CASES)
def test_redact_leaves_no_contact_anywhere_in_the_record(block, secrets):
    import dataclasses

    from dafu import process
    from dafu.options import DEFAULT_OPTIONS
    from dafu.output import record_to_json

    text = GOOD.read_text("utf-8").rstrip("\n")
    lines = text.split("\n")
    letter = "\n".join(lines[:-2] + block.split("\n") + lines[-2:]) + "\n"  # before the signature
    letter += "\n" + block.split("\n")[0] + "\n"  # and once more after the date
    options = dataclasses.replace(DEFAULT_OPTIONS, redact=True)
    record = process(letter, options=options)
    data = record_to_json(record).decode("utf-8")
    for secret in secrets:
        assert secret not in data, secret
    plain = process(letter)
    assert len(record.metrics) == len(plain.metrics)  # redaction costs no metric


# ---------------------------------------------------------------- negative ranges
@pytest.mark.parametrize("text, expected", [
    ("温度负3至5个", [(3, 5)]),  # a sign word never makes a count negative (the extraction's rule)
    ("增长-0-1个", [(0, 1)]),
    ("变化-3至5个百分点", None),
    ("负2到负1个", None),
    ("3至5个", [(3, 5)]),
])
def test_a_negative_range_keeps_its_high_end_positive(text, expected):
    from dafu import find_quantities

    found = [(q.value, q.value_high) for q in find_quantities(text) if q.value_high is not None]
    for low, high in found:
        assert low <= high, text
    if expected is not None:
        assert found == expected


# ---------------------------------------------------------------- --script parity
@pytest.mark.parametrize("script", ["traditional", "keep"])
def test_every_script_gives_the_same_metrics(script):
    import dataclasses

    from dafu import process
    from dafu.options import DEFAULT_OPTIONS

    options = dataclasses.replace(DEFAULT_OPTIONS, script=script)
    for path in sorted(SAMPLES.glob("*.txt")) + sorted(LETTERS.glob("*.txt")):
        text = path.read_text("utf-8")
        plain = [(m.value, m.unit_kind) for m in process(text).metrics]
        assert [(m.value, m.unit_kind) for m in process(text, options=options).metrics] == plain, path.name


def test_jobs_are_capped_by_memory(monkeypatch):
    from dafu.cli import parallel

    monkeypatch.setattr(parallel, "default_jobs", lambda: 64)
    monkeypatch.setattr(parallel, "_available_mb", lambda: 700)
    assert parallel.cap_jobs(1000) == (3, "700 MB of memory available")
    assert parallel.cap_jobs(None) == (3, None)
    monkeypatch.setattr(parallel, "_available_mb", lambda: 100)
    assert parallel.cap_jobs(8)[0] == 1


def test_an_error_names_the_record_not_its_temp_file(cli, samples, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real = os.replace

    def failing(src, dst, *args, **kwargs):
        if str(dst).endswith(".json") and "letters" in str(dst):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), src)
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing)
    result = cli("convert", samples, "-o", out, "-j", "1")
    assert result.exit_code == 2
    line = _one_line(result)
    assert "/letters/" in line and ".json: Read-only file system; stopping" in line and writers.TEMP_MARK not in line
    assert "the next run into the folder finishes" in line  # the renames had begun: rolled forward, not lost
    monkeypatch.setattr(os, "replace", real)
    assert cli("convert", samples, "-o", out, "-j", "1", "-q").exit_code == 0
    assert _temps(out) == [] and not (out / writers.JOURNAL_NAME).exists()
    assert_complete(out)


@pytest.mark.parametrize("option, given, writer", [
    ("--sqlite", "db/dafu.db", "SqliteWriter"),  # a read-only folder found when the database is created
    ("--xlsx", "db/dafu.xlsx", "WorkbookWriter"),
])
def test_an_unwritable_table_is_named_as_given(cli, tmp_path, monkeypatch, option, given, writer):
    """The error names the path the user typed (db/dafu.db), not the absolute path dafu resolved it to."""
    from dafu.cli import tables

    def read_only(self, path, version):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    pytest.importorskip("xlsxwriter")
    monkeypatch.setattr(getattr(tables, writer), "__init__", read_only)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "db").mkdir()
    result = cli("convert", GOOD, option, given, "-j", "1")
    assert result.exit_code == 2
    assert result.stderr == f"dafu: error: {given}: Read-only file system; stopping; nothing published\n"
    assert os.listdir(tmp_path / "db") == []


# ---------------------------------------------------------------- a publish cut short, finished by the next run
def _folder_with_a_publish_under_way(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """An output folder as a run leaves it while putting its files in place: last run's files, new ones staged."""
    out = tmp_path / "out"
    (out / "letters").mkdir(parents=True)
    (out / "letters" / "a.json").write_bytes(b"old a\n")
    (out / "letters" / "gone.json").write_bytes(b"old gone\n")
    (out / "metrics.csv").write_bytes(b"old metrics\n")
    (out / "letters" / ".a.json.dafu-tmp").write_bytes(b"new a\n")
    (out / "letters" / ".b.json.dafu-tmp").write_bytes(b"new b\n")
    (out / ".metrics.csv.1234.dafu-tmp").write_bytes(b"new metrics\n")
    (out / ".run.json.5678.dafu-tmp").write_bytes(b"new run\n")
    return out, [(".metrics.csv.1234.dafu-tmp", "metrics.csv"), (".run.json.5678.dafu-tmp", "run.json")]


@pytest.mark.parametrize("renames_done", [0, 1, 2, 3])  # killed before any rename, between them, after the last
def test_a_publish_killed_midway_is_finished_by_the_next_run(tmp_path, monkeypatch, renames_done):
    out, files = _folder_with_a_publish_under_way(tmp_path)
    real_replace, done = os.replace, []

    def killed(src, dst):
        if str(dst).endswith(writers.JOURNAL_NAME):
            return real_replace(src, dst)  # the journal itself is written whole
        if len(done) == renames_done:
            raise KeyboardInterrupt  # stands for the SIGKILL: nothing after this runs
        done.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(writers.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        writers.Journal(str(out), str(out / "letters")).publish(files, ["gone.json"])
        raise KeyboardInterrupt  # (3: every rename done, killed before the journal was removed)
    monkeypatch.setattr(writers.os, "replace", real_replace)
    assert (out / writers.JOURNAL_NAME).exists()
    assert writers.Journal(str(out), str(out / "letters")).roll_forward() is True
    assert sorted(p.name for p in (out / "letters").iterdir()) == ["a.json", "b.json"]
    assert (out / "letters" / "a.json").read_bytes() == b"new a\n"
    assert (out / "metrics.csv").read_bytes() == b"new metrics\n"
    assert (out / "run.json").read_bytes() == b"new run\n"
    assert sorted(p.name for p in out.iterdir()) == ["letters", "metrics.csv", "run.json"]


def test_a_damaged_journal_is_dropped_and_the_last_run_kept(tmp_path):
    out, _ = _folder_with_a_publish_under_way(tmp_path)
    (out / writers.JOURNAL_NAME).write_bytes(b"{")
    assert writers.Journal(str(out), str(out / "letters")).roll_forward() is False
    assert not (out / writers.JOURNAL_NAME).exists() and (out / "metrics.csv").read_bytes() == b"old metrics\n"


# ---------------------------------------------------------------- outputs never replace inputs or each other
@pytest.mark.parametrize("args, reason", [
    (["--sqlite", "{in}/000_08d6c07602bede5a.txt"], "is the --sqlite output; an input is never overwritten"),
    (["--xlsx", "{in}/001_425f8ebd1574510b.txt"], "is the --xlsx output; an input is never overwritten"),
    (["--sqlite", "{out}/metrics.csv"], "--sqlite would replace metrics.csv, which -o writes itself"),
    (["--sqlite", "{out}/run.json"], "--sqlite would replace run.json, which -o writes itself"),
    (["--sqlite", "{out}/.dafu-state.json"], "--sqlite would replace .dafu-state.json, which -o writes itself"),
    (["--csv", "{out}/letters.csv"], "--csv would replace letters.csv, which -o writes itself"),
    (["--sqlite", "{out}/letters/x.json"], "--sqlite would replace letters/, which -o writes itself"),
    (["--csv", "{tmp}/x.csv", "--sqlite", "{tmp}/x.csv"], "given to both --csv and --sqlite"),
    (["--sqlite", "{tmp}/same", "--xlsx", "{tmp}/same"], "given to both --sqlite and --xlsx"),
    (["--sqlite", "{in}/new.txt"], "--sqlite would be read as a letter by the next run"),
    (["--csv", "{out}/.dafu-publish.json"], "--csv would replace .dafu-publish.json, which -o writes itself"),
    (["--csv", "{out}/letters"], "letters: is a folder"),  # (before the folder exists: would replace letters/)
])
def test_an_output_never_replaces_an_input_or_another_output(cli, samples, tmp_path, args, reason):
    if "--xlsx" in args:
        pytest.importorskip("xlsxwriter")
    inputs = tmp_path / "in"
    shutil.copytree(samples, inputs)
    out = tmp_path / "out"
    assert cli("convert", inputs, "-o", out, "-q").exit_code == 0
    before = {p: p.read_bytes() for p in [*inputs.rglob("*"), *out.rglob("*")] if p.is_file()}
    given = [a.format(**{"in": inputs, "out": out, "tmp": tmp_path}) for a in args]
    result = cli("convert", inputs, "-o", out, "-q", *given)
    assert result.exit_code == 2 and reason in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in [*inputs.rglob("*"), *out.rglob("*")] if p.is_file()} == before


@pytest.mark.parametrize("damage", ["damaged", "missing"])
def test_a_damaged_or_missing_state_keeps_every_record_in_the_csvs(cli, samples, tmp_path, damage):
    out = tmp_path / "out"
    assert cli("convert", samples, "-o", out, "-q").exit_code == 0
    ids = [line.split(b",")[0] for line in (out / "letters.csv").read_bytes().splitlines()]
    state = out / ".dafu-state.json"
    if damage == "damaged":
        state.write_bytes(b"{")
    else:
        state.unlink()
    one = tmp_path / "one"
    one.mkdir()
    first = sorted(Path(samples).glob("*.txt"))[0]
    shutil.copy(first, one / first.name)
    result = cli("convert", one, "-o", out)
    assert result.exit_code == 0 and "missing or damaged" in result.stderr
    assert [line.split(b",")[0] for line in (out / "letters.csv").read_bytes().splitlines()] == ids  # every letter
    assert_complete(out)


def test_an_output_never_replaces_a_record_through_a_linked_letters_folder(cli, samples, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "letters").symlink_to(elsewhere)
    assert cli("convert", samples, "-o", out, "-q").exit_code == 0
    record = sorted(elsewhere.iterdir())[0]
    before = record.read_bytes()
    result = cli("convert", samples, "-o", out, "-q", "--jsonl", record)
    assert result.exit_code == 2 and "would replace letters/" in result.stderr
    assert record.read_bytes() == before





def test_an_older_output_folder_inside_an_input_folder_is_not_read(cli, samples, tmp_path):
    assert cli("convert", samples, "-o", samples / "old", "-q").exit_code == 0
    result = cli("convert", samples, "--glob", "**", "-o", tmp_path / "out")
    assert result.exit_code == 0 and "old: an output folder of dafu; not read" in result.stderr
    assert len(list((tmp_path / "out" / "letters").iterdir())) == 5
