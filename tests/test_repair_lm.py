"""Tests for the repair's model (dafu.normalize.repair.lm) and the lost-byte priors: tables of cases."""
from __future__ import annotations

import pytest

from dafu.normalize.repair.lm import bigrams, pmi, word_model
from dafu.normalize.repair.score import swallow_options as _swallow_options


@pytest.mark.parametrize(
    ("left", "better", "worse"),
    [
        ("0", "家", "我"),  # 3292家 — a count word after a number, not a pronoun
        ("们", "将", "、"),  # 我们将继续
        ("0", "月", ","),  # 2024年7月24日
        ("是", "全", "利"),  # 一是全面促进
    ],
)
def test_running_text_bigrams_rank_the_usual_follower_first(left: str, better: str, worse: str) -> None:
    bg = bigrams()
    assert pmi(bg, left, better) > pmi(bg, left, worse)


@pytest.mark.parametrize(("a", "b"), [("第", "0"), ("如", "下"), ("下", ":"), ("0", "号"), ("人", "社")])
def test_letters_of_the_genre_shape_the_bigrams(a: str, b: str) -> None:
    """Newspaper prose writes 第一 and rarely 第156号; letters write 第156号, 答复如下: and 人社局."""
    assert pmi(bigrams(), a, b) > 1.0


@pytest.mark.parametrize(("a", "b"), [("\n", "一"), ("", "的")])
def test_no_bigram_across_a_line_or_without_a_left_character(a: str, b: str) -> None:
    assert pmi(bigrams(), a, b) == 0.0


@pytest.mark.parametrize(("ends", "goes_on"), [("。", ","), (":", "的"), ("算", "造")])
def test_the_end_of_a_line_follows_some_characters(ends: str, goes_on: str) -> None:
    """答复如下： and headings such as 下一步工作打算 end lines; a comma or 的 (or 打造) rarely does."""
    bg = bigrams()
    assert pmi(bg, ends, "\n") > 1.0 > pmi(bg, goes_on, "\n")


@pytest.mark.parametrize(("form", "word"), [("答覆", "答复"), ("一目瞭然", "一目了然")])
def test_traditional_forms_read_as_their_words(form: str, word: str) -> None:
    """OpenCC leaves 覆 and 瞭 alone character by character; the model still knows the phrase."""
    vocab = word_model()[0]
    assert vocab[form] >= vocab[word]


@pytest.mark.parametrize(
    ("xk", "after", "expected"),
    [
        ("年", "000元,", "□"),  # 每年6000元 with the 6 lost: no number starts with 000
        ("月", "4日\n聯", "□"),  # 7月24日: a line does not start with 4日
        ("位", ".8萬個", "□"),  # 4.8萬: a number does not start with a point
        ("的", "0%給予", "□"),
        ("。", "2023年,全", "\n"),  # a new line may start with a year
        ("覆", "紹人社函〔", "\n"),  # a title line ends, the document number follows
        ("|", " 市人社局", " "),  # a table cell
    ],
)
def test_lost_byte_prior_prefers(xk: str, after: str, expected: str) -> None:
    options = dict(_swallow_options(xk, after))
    assert max(options, key=options.get) == expected


@pytest.mark.parametrize(("common", "rare"), [("待遇", "女婿"), ("渠道", "担任"), ("要求", "命令")])
def test_the_genre_s_words_outweigh_general_words_of_the_same_bytes(common: str, rare: str) -> None:
    """Letters speak of 待遇, 渠道 and 要求 (jieba's general frequencies put 渠道 below 担任)."""
    vocab = word_model()[0]
    assert vocab[common] > vocab[rare]
