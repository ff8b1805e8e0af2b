"""The tables analysts pivot on: letters.csv, the new metrics.csv columns, datapackage.json, the --sqlite database."""
from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from pathlib import Path

import orjson
import pytest

import dafu
from dafu.output import CSV_COLUMNS, csv_rows, csv_rows_from_dict, record_to_dict
from dafu.output.columns import LETTERS, LETTERS_COLUMNS, METRICS, enum_values
from dafu.output.sqlite import TABLES, fts_query, fts_text
from dafu.output.tables import letter_row, letter_row_from_dict

from .conftest import SAMPLES, run_dafu


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The samples converted once with -o and --sqlite (the folder is shared: tests only read it)."""
    folder = tmp_path_factory.mktemp("tables")
    shutil.copytree(SAMPLES, folder / "samples")
    done = run_dafu("convert", folder / "samples", "-o", folder / "out", "--sqlite", folder / "out" / "dafu.db",
                    "-j", "1", "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    return folder / "out"


# ---------------------------------------------------------------- letters.csv and the new metrics columns
def test_letters_csv_has_one_row_per_letter(out):
    rows = _csv(out / "letters.csv")
    assert list(rows[0]) == list(LETTERS_COLUMNS)
    assert [r["letter_id"] for r in rows] == sorted(p.stem for p in SAMPLES.glob("*.txt"))
    metrics = _csv(out / "metrics.csv")
    for row in rows:
        assert int(row["metric_count"]) == sum(m["letter_id"] == row["letter_id"] for m in metrics)
    by_id = {r["letter_id"]: r for r in rows}
    assert {k: by_id["004_ec6a11e31d304edf"][k] for k in (
        "doc_type", "issuer", "date", "proposal_kind", "proposal_body", "proposal_meeting", "proposal_number",
        "addressees")} == {
        "doc_type": "reply_letter", "issuer": "广东省人力资源和社会保障厅", "date": "2024-05-16",
        "proposal_kind": "建议", "proposal_body": "人大", "proposal_meeting": "广东省十四届人大二次会议",
        "proposal_number": "第1916号",
        "addressees": "苏灿等代表"}
    assert by_id["000_08d6c07602bede5a"]["doc_number"] == "清人社函〔2018〕192號"  # as the traditional page writes it
    assert by_id["001_425f8ebd1574510b"]["warning_codes"] == "no_title"


def test_metrics_csv_new_columns(out):
    rows = _csv(out / "metrics.csv")
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert "start" not in CSV_COLUMNS and "end" not in CSV_COLUMNS  # SQL reserved words
    row = next(r for r in rows if r["raw"] == "2286.4万元")
    assert (row["proposal_kind"], row["proposal_number"], row["section_kind"]) == ("建议", "第1916号", "body")
    assert {r["section_kind"] for r in rows} == {"body", "next_steps"}
    assert [r["section"] for r in rows if r["section_kind"] == "next_steps"][:1] == ["next_steps"]


NUMBERED_NEXT_STEPS = """关于市政协第1号提案的答复
张三委员：
您提出的关于加强技能培训的提案收悉，现答复如下：
一、工作开展情况
2023年全市开展职业技能培训5000人次。
二、下一步工作打算
明年全市计划开展职业技能培训3000人次。
此复。
某某市人力资源和社会保障局
2024年5月1日
"""


def test_section_kind_of_a_numbered_next_steps_section_comes_from_the_tree():
    """The path of a metric under 二、下一步工作打算 is 二: its kind is only in the section tree."""
    record = dafu.process(NUMBERED_NEXT_STEPS)
    at = CSV_COLUMNS.index
    got = [(r[at("raw")], r[at("section")], r[at("section_kind")]) for r in csv_rows(record)]
    assert got == [("5000人次", "一", "body"), ("3000人次", "二", "next_steps")]
    assert csv_rows_from_dict(orjson.loads(orjson.dumps(record_to_dict(record)))) == csv_rows(record)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_letter_row_from_a_record_equals_the_row_from_its_file(path):
    record = dafu.process_file(path)
    assert letter_row(record) == letter_row_from_dict(orjson.loads(record.to_json()))


# ---------------------------------------------------------------- datapackage.json
def test_datapackage_validates_both_tables(out):
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(str(out / "datapackage.json"))
    assert [r.name for r in package.resources] == ["metrics", "letters"]
    metrics = package.get_resource("metrics")
    assert metrics.schema.foreign_keys == [
        {"fields": ["letter_id"], "reference": {"resource": "letters", "fields": ["letter_id"]}}]
    assert metrics.schema.get_field("unit_kind").constraints["enum"] == list(enum_values("unit_kind"))
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("table, column, bad, error", [
    ("metrics", "letter_id", "no_such_letter", "foreign-key"),
    ("metrics", "section_kind", "preface", "constraint-error"),
    ("letters", "doc_type", "memo", "constraint-error"),
    ("letters", "metric_count", "many", "type-error"),
])
def test_datapackage_catches_a_broken_cell(out, tmp_path, table, column, bad, error):
    """The package is strict enough to fail: an unknown letter, a value outside an enumeration, a bad type."""
    frictionless = pytest.importorskip("frictionless")
    copy = tmp_path / "out"
    copy.mkdir()
    for name in ("datapackage.json", "metrics.csv", "letters.csv"):
        shutil.copy(out / name, copy / name)
    rows = list(csv.reader(io.StringIO((copy / f"{table}.csv").read_text("utf-8"), newline="")))
    rows[1][rows[0].index(column)] = bad
    with open(copy / f"{table}.csv", "w", encoding="utf-8", newline="") as fp:
        csv.writer(fp, lineterminator="\r\n").writerows(rows)
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert error in {e[0] for e in report.flatten(["type"])}


def test_pandas_reads_both_csvs_with_their_types(out):
    pd = pytest.importorskip("pandas")
    metrics = pd.read_csv(out / "metrics.csv", dtype={"letter_id": str}, parse_dates=["date"])
    letters = pd.read_csv(out / "letters.csv", dtype={"letter_id": str}, parse_dates=["date"])
    assert len(letters) == 5 and len(metrics) == len(_csv(out / "metrics.csv"))
    assert str(metrics["value"].dtype).startswith(("int", "float")) and str(metrics["span_start"].dtype) == "int64"
    assert str(metrics["date"].dtype).startswith("datetime64") and str(letters["metric_count"].dtype) == "int64"
    assert metrics.merge(letters, on="letter_id", validate="many_to_one").shape[0] == len(metrics)
    funding = metrics[metrics.unit_kind == "money_cny"].groupby("letter_id")["value"].sum()
    assert funding["004_ec6a11e31d304edf"] >= 22864000


def test_duckdb_reads_both_csvs_with_their_types(out):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    types = dict(con.execute(f"DESCRIBE SELECT * FROM read_csv_auto('{out / 'metrics.csv'}')").fetchall()[i][:2]
                 for i in range(len(CSV_COLUMNS)))
    assert types["value"] in ("BIGINT", "DOUBLE") and types["span_start"] == "BIGINT" and types["date"] == "DATE"
    (n,) = con.execute(f"SELECT count(*) FROM read_csv_auto('{out / 'metrics.csv'}') m "
                       f"JOIN read_csv_auto('{out / 'letters.csv'}') l USING (letter_id)").fetchone()
    assert n == len(_csv(out / "metrics.csv"))


# ---------------------------------------------------------------- SQLite
def test_sqlite_row_counts_equal_the_csvs(out):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(out / "dafu.db")
    assert set(TABLES) <= set(db.table_names())
    assert db["letters"].count == len(_csv(out / "letters.csv")) == 5
    assert db["metrics"].count == len(_csv(out / "metrics.csv"))
    records = [orjson.loads(p.read_bytes()) for p in sorted((out / "letters").glob("*.json"))]
    assert db["warnings"].count == sum(len(r["warnings"]) for r in records)
    assert db["repairs"].count == sum(len(r["normalization"]["mojibake_repaired"]) for r in records) >= 1
    assert db["sections"].count > 5
    fks = {(fk.table, fk.column, fk.other_table, fk.other_column) for fk in db["metrics"].foreign_keys}
    assert fks == {("metrics", "letter_id", "letters", "letter_id")}
    indexed = {tuple(i.columns) for t in ("letters", "metrics") for i in db[t].indexes}
    for column in ("letter_id", "doc_type", "issuer", "date", "category", "unit_kind", "role"):
        assert (column,) in indexed
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_holds_the_csv_values(out):
    """Every metrics.csv and letters.csv cell is in the database, typed (NULL for an empty cell)."""
    con = sqlite3.connect(out / "dafu.db")
    for table, columns in (("metrics", METRICS), ("letters", LETTERS)):
        names = [c.name for c in columns]
        order = "letter_id, span_start" if table == "metrics" else "letter_id"
        got = con.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY {order}").fetchall()
        want = [[row[n] for n in names] for row in _csv(out / f"{table}.csv")]
        assert [["" if v is None else str(v) for v in row] for row in got] == want
    (money,) = con.execute("SELECT typeof(value) FROM metrics WHERE raw = '2286.4万元'").fetchone()
    assert money == "integer"


@pytest.mark.parametrize("words, ids", [
    ("工会", ["004_ec6a11e31d304edf"]),  # two characters: SQLite's trigram tokenizer cannot find these
    ("新乡", ["003_396f2fedd0fdd60e"]),
    ("技能鉴定", ["000_08d6c07602bede5a"]),  # found in the normalized text of a traditional-script letter
    ("产教融合 咸阳", ["001_425f8ebd1574510b"]),
    ("不存在的词", []),
])
def test_full_text_search_finds_chinese_words(out, words, ids):
    con = sqlite3.connect(out / "dafu.db")
    got = con.execute("SELECT letter_id FROM letters JOIN letters_fts ON letters_fts.rowid = letters.letter_no "
                      "WHERE letters_fts MATCH ? ORDER BY letter_id", (fts_query(words),)).fetchall()
    assert [g for (g,) in got] == ids


def test_fts_text_keeps_numbers_and_latin_words_whole():
    assert fts_text("CEPA框架下，2016-2020年") == "CEPA 框 架 下 ，2016-2020 年"
    assert fts_query('a"b') == '"a""b"'


def test_datasette_metadata_describes_every_column(out):
    meta = orjson.loads((out / "dafu.metadata.json").read_bytes())
    tables = meta["databases"]["dafu"]["tables"]
    con = sqlite3.connect(out / "dafu.db")
    for table in TABLES:
        columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        assert sorted(tables[table]["columns"]) == sorted(columns), table
        assert tables[table]["title"]
    assert tables["letters"]["fts_table"] == "letters_fts"


def test_datasette_opens_the_database(out):
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    meta = orjson.loads((out / "dafu.metadata.json").read_bytes())
    ds = datasette_app.Datasette([str(out / "dafu.db")], metadata=meta)

    async def count() -> int:
        return (await ds.get_database("dafu").execute("SELECT count(*) FROM metrics")).rows[0][0]

    assert asyncio.run(count()) == len(_csv(out / "metrics.csv"))


# ---------------------------------------------------------------- in step with the run
def test_same_bytes_whatever_jobs(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES, "samples")
    for jobs in ("1", "2"):
        result = cli("convert", "samples", "-o", f"out{jobs}", "--sqlite", f"out{jobs}/dafu.db", "-j", jobs, "--quiet")
        assert result.exit_code == 0, result.stderr
    for name in ("letters.csv", "metrics.csv", "dafu.db", "dafu.metadata.json"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes(), name


def test_incremental_and_prune_keep_the_tables_in_step(cli, samples, tmp_path):
    out = tmp_path / "out"
    db = tmp_path / "elsewhere.db"
    assert cli("convert", samples, "-o", out, "--sqlite", db, "-j", "1").exit_code == 0
    before = (out / "letters.csv").read_bytes()
    result = cli("convert", samples, "-o", out, "--sqlite", db, "-j", "1", "--incremental")
    assert result.exit_code == 0, result.stderr
    assert (out / "letters.csv").read_bytes() == before  # unchanged letters are read back from their records
    (samples / "002_fd18181f8bb67260.txt").unlink()
    result = cli("convert", samples, "-o", out, "--sqlite", db, "-j", "1", "--incremental", "--prune")
    assert result.exit_code == 0, result.stderr
    letters, metrics = _csv(out / "letters.csv"), _csv(out / "metrics.csv")
    con = sqlite3.connect(db)
    assert [r["letter_id"] for r in letters] == [i for (i,) in con.execute("SELECT letter_id FROM letters")]
    assert "002_fd18181f8bb67260" not in {r["letter_id"] for r in letters}
    assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] == len(metrics)
    assert (tmp_path / "elsewhere.metadata.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left beside the database


def test_sqlite_without_an_output_folder(cli, samples, tmp_path):
    db = tmp_path / "only.db"
    result = cli("convert", samples, "--sqlite", db, "--jsonl", tmp_path / "r.jsonl", "-j", "1")
    assert result.exit_code == 0, result.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM letters").fetchone()[0] == 5


def test_an_unwritable_sqlite_path_is_a_usage_error(cli, samples, tmp_path):
    result = cli("convert", samples, "-o", tmp_path / "out", "--sqlite", tmp_path / "no" / "such" / "x.db", "-j", "1")
    assert result.exit_code == 2
    assert "x.db" in result.stderr


@pytest.mark.parametrize("where", ["sqlite_rows", "INDEXES"])
def test_a_failing_sqlite_write_leaves_no_temp_file(cli, samples, tmp_path, monkeypatch, where):
    """A row SQLite refuses (or a failing index) is a bug with a traceback, but no `.*.dafu-tmp` stays behind."""
    import dafu.output.sqlite as sq

    def refuse(*_):
        raise sqlite3.IntegrityError("NOT NULL constraint failed: metrics.value")

    monkeypatch.setattr(sq, where, refuse if where == "sqlite_rows" else ("CREATE INDEX broken ON nowhere(x)",))
    with pytest.raises(sqlite3.Error):
        cli("convert", samples, "-o", tmp_path / "out", "--sqlite", tmp_path / "out" / "d.db", "-j", "1")
    assert not [p.name for p in tmp_path.rglob("*dafu-tmp")]
    assert not (tmp_path / "out" / "d.db").exists()


# ---------------------------------------------------------------- XLSX
def _sheet(book: Path, number: int) -> list[list[tuple[str | None, str] | None]]:
    """Return the rows of sheet `number` of an .xlsx as (cell type, text) pairs (None: no cell), read with the
    standard library."""
    import zipfile
    from xml.etree import ElementTree

    ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(book) as z:
        root = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{number}.xml"))
    rows = []
    for row in root.iterfind(".//x:sheetData/x:row", ns):
        cells: list[tuple[str | None, str] | None] = []
        for c in row.iterfind("x:c", ns):
            column = 0
            for letter in c.get("r").rstrip("0123456789"):
                column = column * 26 + ord(letter) - 64
            cells += [None] * (column - 1 - len(cells))
            text = c.find("x:is/x:t", ns) if c.get("t") == "inlineStr" else c.find("x:v", ns)
            cells.append((c.get("t"), text.text if text is not None else ""))
        rows.append(cells)
    return rows


def test_xlsx_holds_both_tables_with_ids_as_text(cli, tmp_path, monkeypatch):
    pytest.importorskip("xlsxwriter")
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES, "samples")
    for jobs in ("1", "2"):
        result = cli("convert", "samples", "-o", f"out{jobs}", "--xlsx", f"out{jobs}/dafu.xlsx", "-j", jobs)
        assert result.exit_code == 0, result.stderr
    book = tmp_path / "out1" / "dafu.xlsx"
    assert book.read_bytes() == (tmp_path / "out2" / "dafu.xlsx").read_bytes()
    for number, name, columns in ((1, "letters", LETTERS), (2, "metrics", METRICS)):
        rows = _sheet(book, number)
        want = _csv(tmp_path / "out1" / f"{name}.csv")
        assert [text for _, text in rows[0]] == [c.name for c in columns]
        assert len(rows) - 1 == len(want)
        assert rows[1][0] == ("inlineStr", want[0]["letter_id"])  # the id stays text
        for row, csv_row in zip(rows[1:], want):
            for k, c in enumerate(columns):
                cell = row[k] if k < len(row) else None
                if csv_row[c.name] == "":
                    assert cell is None
                elif c.type in ("integer", "number"):
                    assert cell[0] is None and float(cell[1]) == float(csv_row[c.name])  # a number cell
                else:
                    assert cell == ("inlineStr", csv_row[c.name].removeprefix("'")), (c.name, cell)
    letters = _sheet(book, 1)
    assert ("inlineStr", "广东省人力资源和社会保障厅") in letters[5]


def test_xlsx_without_xlsxwriter_is_a_usage_error(cli, samples, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "xlsxwriter" else real(name, *a))
    result = cli("convert", samples, "-o", tmp_path / "out", "--xlsx", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "pip install 'dafu[xlsx]'" in result.stderr
    assert not (tmp_path / "out").exists()
