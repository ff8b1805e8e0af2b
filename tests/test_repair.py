"""Tests for dafu.normalize.repair: seed vectors, clean negatives, annotation stripping, samples, the recipe."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dafu.codes import WarningCode
from dafu.normalize.pinyin import strip_pinyin
from dafu.normalize.repair import has_damage_anchor, repair_byte_loss

from .damage import damage, s4_decode, s5

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
_ESC = {"n": "\n", "t": "\t", "\\": "\\"}


def _unescape(cell: str) -> str:
    out, i = [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            out.append(_ESC[cell[i + 1]])
            i += 2
        else:
            out.append(cell[i])
            i += 1
    return "".join(out)


def _rows(name: str) -> list[list[str]]:
    with (ROOT / "tests/cases" / name).open(encoding="utf-8", newline="") as fh:
        return [[_unescape(c) for c in row] for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][1:]


VECTORS = _rows("repair_vectors.tsv")
NEGATIVES = _rows("repair_negatives.tsv")


@pytest.mark.parametrize(("damaged", "repaired", "note"), VECTORS, ids=[f"v{i:02d}" for i in range(len(VECTORS))])
def test_seed_vector(damaged: str, repaired: str, note: str) -> None:
    text, repairs, unresolved, warnings = repair_byte_loss(damaged)
    assert text == repaired
    assert not unresolved
    for r in repairs:
        assert damaged[r.start : r.end] == r.damaged
    if damaged == repaired:
        assert not repairs and not warnings


@pytest.mark.parametrize(("text", "note"), NEGATIVES, ids=[f"n{i:02d}" for i in range(len(NEGATIVES))])
def test_negative_unchanged(text: str, note: str) -> None:
    assert repair_byte_loss(text) == (text, (), (), ())


@pytest.mark.parametrize(("text", "note"), NEGATIVES, ids=[f"n{i:02d}" for i in range(len(NEGATIVES))])
def test_negative_keeps_parentheses(text: str, note: str) -> None:
    assert strip_pinyin(text) == (text, 0) or "(lǚ)" in text


def test_repair_offsets_map_to_output() -> None:
    """Each repair's span maps into the returned text through the shift of the repairs before it."""
    damaged = next(d for d, _, n in VECTORS if "real" in n and "當" in d) * 2
    text, repairs, _, _ = repair_byte_loss(damaged)
    shift = 0
    assert len(repairs) == 2
    for r in repairs:
        assert text[r.start + shift : r.start + shift + len(r.repaired)] == r.repaired
        shift += len(r.repaired) - len(r.damaged)


def test_repair_is_idempotent() -> None:
    damaged = "".join(d for d, r, _ in VECTORS if d != r)
    once = repair_byte_loss(damaged)[0]
    assert repair_byte_loss(once)[0] == once


def test_swallowed_digit_is_marked_not_guessed() -> None:
    """Lead byte of 〔 lost before a year: the first digit is gone and shown as □ with a warning."""
    raw = "依據(人社發〔2022〕8號)精神,印發《實施辦法》(人社發〔2023〕10號)文件。".encode("gbk")
    at = raw.rindex("〔".encode("gbk"))
    crafted = s5(s4_decode(raw[:at] + b"?" + raw[at + 1 :]))
    assert crafted == "依據(人社發〔2022〕8號)精神,印發《實施辦法》(人社發??023〕10號)文件。"
    text, repairs, _, warnings = repair_byte_loss(crafted)
    assert "〔□023〕" in text
    lost = [w for w in warnings if w.code == WarningCode.MOJIBAKE_LOST_DIGIT]
    assert lost and text[lost[0].span[0] : lost[0].span[1]] == "□"
    assert repairs[0].swallowed_byte["char"] == "□"


def test_strict_mode_leaves_low_confidence_spans() -> None:
    damaged = next(d for d, r, n in VECTORS if "個(gè)" in d and d != r)
    text, repairs, unresolved, warnings = repair_byte_loss(damaged, min_confidence=1.01)
    assert text == damaged and not repairs
    assert unresolved and {w.code for w in warnings} == {WarningCode.MOJIBAKE_UNRESOLVED}
    assert damaged[unresolved[0].start : unresolved[0].end] == unresolved[0].text


@pytest.mark.parametrize("name", ["001_425f8ebd1574510b", "003_396f2fedd0fdd60e", "004_ec6a11e31d304edf"])
def test_clean_samples_unchanged(name: str) -> None:
    text = (SAMPLES / f"{name}.txt").read_text("utf-8")
    assert not has_damage_anchor(text)
    assert repair_byte_loss(text) == (text, (), (), ())
    assert strip_pinyin(text) == (text, 0)


def test_seed_000_repairs_the_four_real_spans() -> None:
    import opencc

    raw = (SAMPLES / "000_08d6c07602bede5a.txt").read_text("utf-8")
    text, repairs, unresolved, warnings = repair_byte_loss(raw)
    assert [(r.damaged, r.repaired) for r in repairs] == [
        ("?,F", "。現"), ("?shù)禺a", "地產"), ("?shù)禺a", "地產"), ("??焖侔l", "校快速發")]
    assert not unresolved and not warnings
    plain, removed = strip_pinyin(text)
    simp = opencc.OpenCC("t2s").convert(plain)
    assert "收悉。现答复如下" in simp and "院校快速发展" in simp and simp.count("当地产业") == 2
    assert removed == 238


def test_seed_002_annotations_without_damage() -> None:
    raw = (SAMPLES / "002_fd18181f8bb67260.txt").read_text("utf-8")
    assert repair_byte_loss(raw) == (raw, (), (), ())
    plain, removed = strip_pinyin(raw)
    assert removed == 199 and "(ù" not in plain


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ("各縣(市、區(qū))人社局", "各縣(市、區)人社局", 1),
        ("各縣(市區(qū))人力資源社會保障局", "各縣(市區)人力資源社會保障局", 1),
        ("協調(diào)發展", "協調發展", 1),
        ("怎麼(me)辦", "怎麼辦", 1),
        ("綠(lǜ)色", "綠色", 1),
        ("現（xiàn）代", "現代", 1),
        ("第三條(a)項", "第三條(a)項", 0),
        ("規劃(2016-2020年)", "規劃(2016-2020年)", 0),
        ("(技工)院校", "(技工)院校", 0),
        ("（一）加強", "（一）加強", 0),
        ("關(guó)", "關(guó)", 0),
        ("收悉?,F(xiàn)", "收悉?,F(xiàn)", 0),
        ("侔l(fā)展", "侔l(fā)展", 0),
        ("發(Fa)展", "發(Fa)展", 0),
    ],
)
def test_strip_pinyin(text: str, expected: str, count: int) -> None:
    assert strip_pinyin(text) == (expected, count)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("收悉?,F(xiàn)答復", True),
        ("院??焖侔l(fā)展", True),
        ("當(dāng)?shù)禺a(chǎn)業", True),
        ("能?瞬诺奶岚浮罚ǖ?187號", True),  # a pinyin letter standing alone (GBK row A8) in the run
        ("建議?肥障ぁ,F答覆如下", True),  # kana: a trail A4 before the lead A1 of 。 (悉。-> ぁ), no annotation
        ("嗎?答:可以", False),
        ("問:綠(lǜ)色是什麼?答:環保。", False),
        ("http://a.gov.cn/x.jsp?id=1", False),
        ("沒有問號", False),
    ],
)
def test_has_damage_anchor(text: str, expected: bool) -> None:
    assert has_damage_anchor(text) is expected


def test_damage_recipe_is_deterministic_and_aligned() -> None:
    clean = (SAMPLES / "003_396f2fedd0fdd60e.txt").read_text("utf-8")
    a, b = damage(clean, 7), damage(clean, 7)
    assert a == b and a != damage(clean, 8)
    damaged, truth = a
    assert "?" in damaged and "?" not in truth
    assert truth.count("(") > 100


def test_s4_decoder_matches_the_worked_example() -> None:
    """REPAIR.md §1.1 (b): 院校快速發(fā) with the lead byte of 校 lost."""
    raw = bytes.fromhex("D4BA3FA3BFECCBD9B06C") + "(fā)".encode("gbk")
    assert s5(s4_decode(raw)) == "院??焖侔l(fā)"


def test_clean_text_loads_nothing_heavy() -> None:
    """On text without a damage anchor no dictionary, OpenCC or pypinyin is loaded."""
    import subprocess
    import sys

    code = (
        "import sys; from dafu.normalize.repair import repair_byte_loss;"
        "from dafu.normalize.repair.lm import word_model;"
        "t = open(sys.argv[1], encoding='utf-8').read();"
        "assert repair_byte_loss(t)[0] == t;"
        "heavy = sorted(m for m in ('jieba', 'opencc', 'pypinyin') if m in sys.modules);"
        "print(heavy, word_model.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "003_396f2fedd0fdd60e.txt")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] 0"


@pytest.mark.parametrize("text", ["?" * 50, "??" * 10 + "關(guān)於", "問題?" * 20, "共??????個"])
def test_runs_of_question_marks_are_left_alone(text: str) -> None:
    """A run of '?' longer than the damage model allows leaves no byte to read: nothing is invented."""
    assert repair_byte_loss(text) == (text, (), (), ())


def test_work_is_bounded_on_a_text_full_of_damage(monkeypatch) -> None:
    """Past the per-text budget, damaged anchors are reported as unresolved instead of searched."""
    from dafu.normalize import repair

    monkeypatch.setattr(repair, "_MAX_SOLVED", 3)
    text = "收悉?,F(xiàn)答復(fù)如下" * 8
    _, repairs, unresolved, _ = repair_byte_loss(text)
    assert len(repairs) == 3
    assert len(unresolved) == 5


def _lose_lead(text: str, target: str) -> str:
    """The recipe's stage-3 damage at one place: the lead byte of the first character of target is lost."""
    raw = text.encode("gbk")
    at = len(text[: text.index(target)].encode("gbk"))
    return s5(s4_decode(raw[:at] + b"?" + raw[at + 1 :]))


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # the letter's enumeration goes on: 二是 after 一是 (not 但是, 而是, 三是)
        ("為此，我們採取了以下措施。一是加強職業培訓。二是擴大就業渠道。三是優化服務流程。", "二是"),
        ("今年以來，我們重點抓了三項工作：一是穩崗位，二是促就業，三是保民生。", "二是"),
        ("主要做法如下：一是摸清底數。二是精準施策，對困難人員逐一幫扶。", "二是"),
        # a closing bracket is read only where its line has opened one; headings end lines
        ("（聯繫單位及電話：市人社局就業處 0571-85063147；聯繫人：章曉燕）\n抄送：市人大常委會。\n", "）\n"),
        ("近年來，我市技能人才隊伍不斷壯大。\n二、下一步工作打算\n我們將繼續加大培訓力度。", "算\n"),
        # no annotation after the run: the kana (悉。 -> ぁ) is the damage sign
        ("您提出的《關於加強技能人才培養的建議》收悉。現答覆如下：\n一、基本情況\n", "》收"),
    ],
)
def test_a_lost_lead_is_read_from_the_letter_s_context(text: str, target: str) -> None:
    damaged = _lose_lead(text, target)
    assert damaged != s5(text)
    assert repair_byte_loss(damaged)[0] == s5(text)


def test_byte_lost_before_a_year_is_a_line_break_not_a_digit() -> None:
    """'□2023年' would be a five-digit year: the byte swallowed after the signature is the line break."""
    text = "此復。\n\n廣州市人力資源和社會保障局\n2022年3月1日\n（聯系人：王明，電話：12345678）\n"
    repaired, repairs, _, warnings = repair_byte_loss(_lose_lead(text, "局\n"))
    assert "保障局\n2022年3月1日\n" in repaired or "保障廳\n2022年3月1日\n" in repaired  # both are real issuers
    assert "□" not in repaired
    assert [r.swallowed_byte["char"] for r in repairs] == ["\n"]
    assert not [w for w in warnings if w.code == WarningCode.MOJIBAKE_LOST_DIGIT]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # the lead of 年/月/第 is lost and its trail swallows the digit after it: a date or an
        # ordinal frame (2021年□月, 7月□6日, 第□8號) is read, not 2021個月 or 7年□6日
        ("長沙市人力資源和社會保障局\n2021年5月20日\n", "年5"),
        ("發佈時間：2018年7月16日　來源：市人社局", "月16"),
        ("您提出的《關於加強技能培訓的建議》（第58號）收悉。", "第58"),
        ("報名截止時間為2023年9月30日，逾期不再受理。", "年9"),
        ("選手在第45屆世界技能大賽中獲得銀牌。", "第45"),
        ("會議於2019年11月8日在市行政中心召開。", "月8"),
    ],
)
def test_a_date_or_ordinal_frame_is_completed(text: str, target: str) -> None:
    damaged = _lose_lead(text, target)
    at = text.index(target) + 1
    expected = s5(text[:at] + "□" + text[at + 1 :])  # the digit itself is gone
    repaired, _, _, warnings = repair_byte_loss(damaged)
    assert repaired == expected
    assert WarningCode.MOJIBAKE_LOST_DIGIT in [w.code for w in warnings]


@pytest.mark.parametrize("text", ["問題?答:參見第Ⅲ部分的α係數。", "是否可行?ロボット與機器人譯名對照。"])
def test_greek_or_kana_after_a_real_question_mark_is_left_alone(text: str) -> None:
    """Kana, Greek and Cyrillic are damage signs (GBK rows A4-A7), but the word model still decides."""
    assert repair_byte_loss(text)[0] == text


def test_a_closer_with_nothing_to_close_is_penalised() -> None:
    from dafu.normalize.repair.score import brackets as _brackets

    assert _brackets(")", "聯繫人:王明", "\n") < 0 < _brackets(")", "(聯繫人:王明", "\n")
    assert _brackets("”", "要堅持“技能強市", "戰略") > 0 > _brackets("”", "要堅持技能強市", "戰略")


@pytest.mark.parametrize(("char", "rank"), [("局", 0), ("侷", 1), ("廳", 0), ("厅", 0)])
def test_variant_rank(char: str, rank: int) -> None:
    """On a tie in the model (both read 局) the usual form is tried first, not a rare variant."""
    from dafu.normalize.script import variant_rank as _variant_rank

    assert _variant_rank(char) == rank
