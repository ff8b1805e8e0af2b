"""Mirror copies (issue 22): five damaged copies form one group, different letters form none, any order."""
from __future__ import annotations

import csv
import io
import random
import sys
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from dafu import process
from dafu.dedupe import Copy, Member, group, record_member
from dafu.model import Source

from .mirror_copies import DAMAGE, copies, different_letters, sibling

ROOT = Path(__file__).resolve().parent.parent
BASES = ["samples/000_08d6c07602bede5a.txt", "samples/004_ec6a11e31d304edf.txt",
         "tests/letters/05_bracket_numbers.txt", "tests/letters/11_metadata_table.txt",
         "tests/letters/22_meeting_training.txt"]


def _source(url: str | None, fetched_at: str | None) -> Source:
    return Source("-", "0" * 64, 0, "utf-8", 1.0, url=url, fetched_at=fetched_at)


def _members(rel: str, seed: int) -> list[Member]:
    """The five copies of a letter: the original on a .gov.cn site, the truncated one fetched first."""
    found = []
    for k, (kind, text) in enumerate(zip(DAMAGE, copies((ROOT / rel).read_text("utf-8"), seed), strict=True)):
        url = "https://rsj.example.gov.cn/1.html" if kind == "original" else f"https://m{k}.example.com/1"
        fetched = "2023-01-01" if kind == "truncated" else f"2024-0{k + 1}-01"
        found.append(record_member(replace(process(text), id=f"{seed}_{k}_{kind}", source=_source(url, fetched))))
    return found


@pytest.mark.parametrize("seed, rel", list(enumerate(BASES)), ids=lambda x: Path(x).stem if isinstance(x, str) else "")
def test_five_copies_form_one_group_with_the_original_canonical(seed, rel):
    found = group(_members(rel, seed))
    assert sorted(found) == [f"{seed}_{k}_{kind}" for k, kind in enumerate(DAMAGE) if k]
    assert {c.canonical for c in found.values()} == {f"{seed}_0_original"}


def test_different_letters_form_no_group_and_copies_find_their_own():
    """200 different letters (pages, letters, assembled letters with shared formulas) plus the copies of
    five letters: precision and recall of the grouping are 1 (the bench reports the threshold sweep)."""
    members = [m for seed, rel in enumerate(BASES) for m in _members(rel, seed)]
    for k, (_, text) in enumerate(different_letters(200, seed=3, exclude=tuple(BASES))):
        members.append(record_member(replace(process(text), id=f"x{k:03d}")))
    found = group(members)
    assert not [i for i in found if i.startswith("x")]
    assert not [c for c in found.values() if c.canonical.startswith("x")]
    assert len(found) == 4 * len(BASES)


def test_grouping_does_not_depend_on_order():
    members = [m for seed, rel in enumerate(BASES[:3]) for m in _members(rel, seed)]
    expected = group(members)
    rng = random.Random(5)
    for _ in range(3):
        shuffled = members[:]
        rng.shuffle(shuffled)
        assert group(shuffled) == expected


def _m(id: str, size: int = 100, signed: bool = True, official: bool = False, fetched_at: str | None = None,
       exact: str = "same") -> Member:
    return Member(id, exact, b"", size, signed, official, fetched_at)


@pytest.mark.parametrize("members, canonical", [
    ([_m("a", size=60, official=True, fetched_at="2020-01-01"), _m("b")], "b"),  # complete beats official
    ([_m("a", official=True), _m("b", signed=False, official=True, fetched_at="2000-01-01")], "a"),  # signed first
    ([_m("a", fetched_at="2020-01-01"), _m("b", official=True, fetched_at="2024-01-01")], "b"),  # official
    ([_m("b", fetched_at="2020-01-01"), _m("a", fetched_at="2024-01-01"), _m("c")], "b"),  # earliest fetched
    ([_m("c"), _m("b"), _m("d")], "b"),  # then the smallest id
], ids=["complete", "signed", "official", "earliest", "id"])
def test_canonical_member(members, canonical):
    found = group(members)
    assert {c.canonical for c in found.values()} == {canonical}
    assert canonical not in found and len(found) == len(members) - 1
    assert all(c == Copy(canonical, "same text") for c in found.values())


def test_replies_to_different_proposals_are_not_copies():
    """One bureau's reply to another proposal sharing most paragraphs is not a copy (numbers differ)."""
    text = (ROOT / BASES[2]).read_text("utf-8")
    a = record_member(replace(process(text), id="a"))
    b = record_member(replace(process(sibling(text, 0.9, seed=1)), id="b"))
    assert a.refs[0] and b.refs[0] and a.refs[0] != b.refs[0]
    assert group([a, b]) == {}


def test_short_texts_only_group_when_identical():
    a, b, c = (record_member(replace(process(t), id=i)) for i, t in
               (("a", "此复。培训100人次。"), ("b", "此复。培训100人次。"), ("c", "此复。培训101人次。")))
    assert not a.hashes
    assert group([a, b, c]) == {"b": Copy("a", "same text")}


# ---------------------------------------------------------------- the command line
def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k, text in enumerate(copies((ROOT / BASES[2]).read_text("utf-8"), seed=2)):
        (folder / f"copy{k}.txt").write_text(text, "utf-8")
    (folder / "other.txt").write_bytes((ROOT / BASES[3]).read_bytes())
    (folder / "m.csv").write_text("path,url,fetched_at\ncopy3.txt,https://rsj.example.gov.cn/a,2024-05-01\n"
                                  "copy0.txt,https://a.example.com/a,2024-04-01\n", "utf-8")
    return folder


def test_cli_dedupe_marks_copies_and_drops_their_rows(cli, tmp_path):
    """copy3 (spam line, .gov.cn) and copy0 are both complete: the official one is canonical."""
    folder, out = _folder(tmp_path), tmp_path / "out"
    result = cli("convert", folder, "--dedupe", "--manifest", folder / "m.csv", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    records = {p.stem: orjson.loads(p.read_bytes()) for p in sorted((out / "letters").glob("*.json"))}
    assert {k: r["duplicate_of"] for k, r in records.items()} == {
        "copy0": "copy3", "copy1": "copy3", "copy2": "copy3", "copy3": None, "copy4": "copy3", "other": None}
    assert records["copy1"]["warnings"][0]["code"] == "mirror_copy"
    assert records["copy1"]["metrics"], "a copy keeps its record"
    rows = list(csv.DictReader(io.StringIO((out / "metrics.csv").read_text("utf-8"))))
    assert {r["letter_id"] for r in rows} == {"copy3", "other"}
    assert orjson.loads((out / "run.json").read_bytes())["counts"]["duplicates"] == 4


def test_cli_dedupe_output_is_the_same_for_any_jobs_and_rerun(cli, tmp_path):
    folder = _folder(tmp_path)
    one = cli("convert", folder, "--dedupe", "--csv", "-", "--jobs", "1").stdout_bytes
    two = cli("convert", folder, "--dedupe", "--csv", "-", "--jobs", "2").stdout_bytes
    assert one == two and b"copy2" not in one
    out = tmp_path / "out"
    cli("convert", folder, "--dedupe", "-o", out, "--jobs", "2")
    before = {p.name: p.read_bytes() for p in (out / "letters").iterdir()}
    again = cli("convert", folder, "--dedupe", "-o", out, "--incremental", "--jobs", "1")
    assert again.exit_code == 0
    assert {p.name: p.read_bytes() for p in (out / "letters").iterdir()} == before
    plain = cli("convert", folder, "-o", out, "--incremental", "--jobs", "1")
    assert plain.exit_code == 0
    assert orjson.loads((out / "letters" / "copy1.json").read_bytes())["duplicate_of"] is None


def test_missing_extra_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasketch", None)
    result = cli("convert", _folder(tmp_path), "--dedupe")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "dafu: error: --dedupe: grouping mirror copies needs the dedupe extra: pip install 'dafu[dedupe]'")
