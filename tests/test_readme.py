"""Every dafu command shown in README.md runs on samples/ and exits 0 (the docs cannot drift)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text("utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)
COMMANDS = [line.removeprefix("$ ").strip() for block in BLOCKS for line in block.splitlines()
            if re.match(r"(\$ )?(dafu|cat \S+ \| dafu) ", line)]


def test_readme_shows_commands():
    assert len(COMMANDS) >= 6


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_runs(line, tmp_path):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    stdin = None
    if line.startswith("cat "):
        source, line = line.split(" | ", 1)
        stdin = (tmp_path / source.split()[1]).read_bytes()
    command = line.split(" | ")[0].split(" > ")[0]  # the dafu part of a pipeline
    argv = shlex.split(command)
    env = {**os.environ, "NO_COLOR": "1", "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run([sys.executable, "-m", "dafu", *argv[1:]], cwd=tmp_path, input=stdin,
                          capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout or "-o" in argv or "--report" in argv


PYTHON = re.findall(r"```python\n(.*?)```", README, re.S)
QUERIES = re.findall(r"```sql\n(.*?)```\n```\n(.*?)```", README, re.S)


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    """The README's Python block runs as written, from a folder holding samples/ (pandas: the 'pandas' extra)."""
    pytest.importorskip("pandas")
    assert PYTHON
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    for block in PYTHON:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    assert "22864000" in capsys.readouterr().out


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory):
    """The README's `dafu convert samples -o out --sqlite out/dafu.db`, run once."""
    folder = tmp_path_factory.mktemp("readme_db")
    shutil.copytree(ROOT / "samples", folder / "samples")
    done = subprocess.run([sys.executable, "-m", "dafu", "convert", "samples", "-o", "out", "--sqlite", "out/dafu.db",
                           "--quiet"], cwd=folder, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return folder / "out" / "dafu.db"


@pytest.mark.parametrize("query, shown", QUERIES, ids=[f"query{i}" for i in range(len(QUERIES))])
def test_readme_sql_query_shows_its_real_output(samples_db, query, shown):
    """Each SQL query of the README gives the output printed under it (as `sqlite3 -header` prints it)."""
    import sqlite3

    cursor = sqlite3.connect(samples_db).execute(query)
    lines = ["|".join(d[0] for d in cursor.description)]
    lines += ["|".join("" if v is None else str(v) for v in row) for row in cursor.fetchall()]
    assert lines == shown.strip("\n").split("\n")


def test_readme_shows_three_queries():
    assert len(QUERIES) >= 3


CSV_ROWS = [row for block in re.findall(r"```csv\n(.*?)```", README, re.S) for row in block.splitlines() if row]
# the README's column lists: (the sentence that introduces it, the CSV file whose header it must be)
COLUMN_LISTS = [
    ("RFC 4180 quoting. Columns (`dafu schema --csv`): `", "metrics.csv"),
    ("`letters.csv` has one row per letter, beside `metrics.csv`: `", "letters.csv"),
]


def _csv_lines(samples_db, name):
    return (samples_db.parent / name).read_text("utf-8").splitlines()


@pytest.mark.parametrize("row", CSV_ROWS, ids=[f"row{i}" for i in range(len(CSV_ROWS))])
def test_readme_csv_row_is_a_real_row(samples_db, row):
    """Every CSV row the README shows is a row that `dafu convert samples -o out` writes, columns and all."""
    assert row in _csv_lines(samples_db, "metrics.csv") + _csv_lines(samples_db, "letters.csv")


@pytest.mark.parametrize("intro, name", COLUMN_LISTS, ids=[name for _, name in COLUMN_LISTS])
def test_readme_column_list_is_the_header(samples_db, intro, name):
    """The README's column lists are the CSV headers, in order (no second, stale list beside them)."""
    assert README.count(intro) == 1
    listed = README.split(intro, 1)[1].split("`", 1)[0]
    assert re.split(r",\s*", listed) == _csv_lines(samples_db, name)[0].split(",")


def test_readme_commands_table_has_one_row_per_command():
    """The Commands table is one table (no blank line cuts it) with one row per `dafu --help` command."""
    table = README.split("## Commands\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    commands = [re.match(r"\| `dafu (\w+)", row).group(1) for row in table[2:]]
    assert commands == ["convert", "validate", "inspect", "normalize", "schema", "review"]


def test_readme_csv_rows_shown():
    assert len(CSV_ROWS) >= 3
