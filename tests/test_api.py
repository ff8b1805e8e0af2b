"""The library as a notebook uses it: dafu.process_file, Record.to_dict / to_json, dafu.to_dataframe."""
from __future__ import annotations

import orjson
import pytest

import dafu
from dafu.output import CSV_COLUMNS
from dafu.output.columns import LETTERS_COLUMNS

from .conftest import SAMPLES

SAMPLE = SAMPLES / "004_ec6a11e31d304edf.txt"


def test_process_file_reads_a_gbk_letter_as_its_utf8_original(tmp_path):
    gbk = tmp_path / "letter_gbk.txt"
    gbk.write_bytes(SAMPLE.read_text("utf-8").replace("\xa0", " ").encode("gbk"))  # GBK has no U+00A0
    original, copy = dafu.process_file(SAMPLE), dafu.process_file(gbk)
    assert copy.source.encoding == "gb18030" and original.source.encoding.startswith("utf-8")
    assert copy.id == "letter_gbk" and copy.source.path == str(gbk)
    assert copy.text == original.text and copy.metrics == original.metrics
    assert (copy.issuer, copy.date) == ("广东省人力资源和社会保障厅", "2024-05-16")


def test_process_file_refuses_a_binary_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(32)) * 10)
    with pytest.raises(dafu.ReadError, match="not text"):
        dafu.process_file(path)


def test_record_to_dict_and_to_json():
    record = dafu.process_file(SAMPLE)
    data = record.to_dict()
    assert list(data)[:3] == ["schema", "id", "source"] and data["id"] == "004_ec6a11e31d304edf"
    assert orjson.loads(record.to_json()) == data
    assert isinstance(record.to_json(), str)


def test_to_dataframe_of_metrics_and_letters():
    pd = pytest.importorskip("pandas")
    records = [dafu.process_file(p) for p in sorted(SAMPLES.glob("*.txt"))]
    metrics = dafu.to_dataframe(records)
    letters = dafu.to_dataframe(records, table="letters")
    assert list(metrics.columns) == list(CSV_COLUMNS) and list(letters.columns) == list(LETTERS_COLUMNS)
    assert len(metrics) == sum(len(r.metrics) for r in records) and len(letters) == 5
    assert str(metrics["date"].dtype).startswith("datetime64") and str(metrics["span_start"].dtype) == "Int64"
    assert letters.set_index("letter_id")["metric_count"].to_dict() == {r.id: len(r.metrics) for r in records}
    row = metrics[metrics.raw == "2286.4万元"].iloc[0]
    assert row.value == 22864000 and row.unit_kind == "money_cny" and row.date == pd.Timestamp("2024-05-16")
    assert dafu.to_dataframe([r.to_dict() for r in records]).equals(metrics)  # record dicts (letters/*.json) too
    with pytest.raises(ValueError, match="metrics"):
        dafu.to_dataframe(records, table="sections")


def test_dir_shows_the_notebook_api():
    for name in ("process", "process_file", "read_file", "to_dataframe", "Record", "Options"):
        assert name in dir(dafu) and getattr(dafu, name) is not None
