"""Bad input and faults (DESIGN §6): a clear message naming the file, the batch goes on, and the
output folder holds only complete files from this run or the previous one."""
from __future__ import annotations

import csv
import errno
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from dafu.cli import writers
from dafu.output import CSV_COLUMNS

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
        if letters.is_dir() and len([p for p in letters.iterdir() if p.name.endswith((".json", ".json.dafu-tmp"))]) >= count:
            return
        if proc.poll() is not None:
            raise AssertionError(proc.communicate(timeout=30)[1])
        time.sleep(0.05)
    raise AssertionError("no record written")


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_stops_cleanly_publishes_nothing_and_says_so_in_run_json(tmp_path, sig, code):
    corpus = make_corpus(tmp_path / "in", 100)
    out = tmp_path / "out"
    first = run_dafu("convert", corpus / "d0", "-o", out, "-j", "1", "-q")
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "run.json"}
    proc = subprocess.Popen(dafu_command("convert", corpus, "-o", out, "-j", "2"), env=dafu_env(),
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
    corpus = make_corpus(tmp_path / "in", 100)
    out = tmp_path / "out"
    first = subprocess.Popen(dafu_command("convert", corpus, "-o", out, "-j", "1"), env=dafu_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_records(out, first)
    second = run_dafu("convert", GOOD, "-o", out)
    assert second.returncode == 75
    assert second.stderr.decode() == (f"dafu: error: {out}: another dafu run holds the lock; "
                                      "--wait SECONDS waits for it\n")
    waited = run_dafu("convert", GOOD, "-o", out, "--wait", "0.5")
    assert waited.returncode == 75 and b"(waited 0.5 s)" in waited.stderr
    first.kill()  # SIGKILL: no cleanup runs; the kernel drops the flock
    first.communicate(timeout=60)
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
