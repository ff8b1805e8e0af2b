"""Tests for dafu.read: encodings, line ends and every input-side fault of DESIGN §6."""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import random
from pathlib import Path

import pytest

from dafu.read import Decoded, ReadError, decode, read_file, read_stream

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# Letters of the genre, written for these tests (not taken from the samples).
TRADITIONAL = (
    "關於市八屆政協會議第20190031號提案的答復\n"
    "陳志明委員：\n"
    "您提出的《關於加快發展技工教育，促進高質量就業的建議》（第20190031號）收悉。現答復如下：\n"
    "一、加強技工院校建設\n"
    "近年來，我局大力推進技工院校建設，全市共有技工院校6所，在校生1.2萬人。\n"
    "感謝您對我們工作的關心與支持！\n"
    "此復。\n"
    "高雄市勞工局\n"
    "2019年6月3日\n"
)
SIMPLIFIED = (
    "关于省十四届人大三次会议第2045号代表建议的答复\n"
    "王建国代表：\n"
    "您提出的《关于加强农民工职业技能培训的建议》收悉。经认真研究，现答复如下：\n"
    "2024年，全省开展补贴性职业技能培训35.6万人次，其中农民工培训12.8万人次。\n"
    "专此答复。\n"
    "湖南省人力资源和社会保障厅\n"
    "2025年6月12日\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "expected_encoding"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (TRADITIONAL, "utf-8", "utf-8"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "gbk", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),
        (SIMPLIFIED, "utf-16-be", "utf-16-be"),
        (TRADITIONAL, "utf-16-le", "utf-16-le"),
    ],
)
def test_legacy_and_wide_encodings_are_detected(text: str, encoding: str, expected_encoding: str) -> None:
    decoded = decode(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, expected_encoding)
    assert 0.5 <= decoded.confidence <= 1.0


@pytest.mark.parametrize(
    ("bom", "codec", "expected_encoding"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_byte_order_marks_decide_and_are_dropped(bom: bytes, codec: str, expected_encoding: str) -> None:
    decoded = decode(bom + SIMPLIFIED.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.confidence) == (SIMPLIFIED, expected_encoding, 1.0)


def test_big5_and_gbk_of_one_letter_decode_to_the_same_text() -> None:
    big5, gbk = TRADITIONAL.encode("big5"), TRADITIONAL.encode("gbk")
    assert big5 != gbk
    assert decode(big5).text == decode(gbk).text == TRADITIONAL


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_crlf_and_cr_become_lf(line_end: str, encoding: str) -> None:
    data = SIMPLIFIED.replace("\n", line_end).encode(encoding)
    assert decode(data).text == SIMPLIFIED


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_samples_are_utf8_and_kept_as_written(path: Path) -> None:
    """Sample 000 carries GBK byte-loss damage (收悉?,F(xiàn)) but is valid UTF-8: it must stay so."""
    data = path.read_bytes()
    decoded = read_file(path)
    assert decoded == Decoded(data.decode("utf-8"), "utf-8", 1.0, hashlib.sha256(data).hexdigest(), len(data))


def test_damaged_utf8_letter_stays_utf8() -> None:
    assert "收悉?,F(xiàn)答復(" in decode((SAMPLES / "000_08d6c07602bede5a.txt").read_bytes()).text


def test_truncated_utf8_file_stays_utf8() -> None:
    data = SIMPLIFIED.encode("utf-8")[:-2]  # cut inside the last line's last character
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith(SIMPLIFIED[:40])
    assert "\ufffd" in decoded.text and decoded.confidence < 1.0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (b" \n\t\r\n  ", "whitespace only"),
        ("\u3000\u3000\n\u00a0\u200b\n".encode("utf-8"), "whitespace only"),
        ("\u3000 \r\n".encode("gbk"), "whitespace only"),
        (b"abc\x00def\n", "not text (NUL bytes)"),
        ("您提出的建议收悉。\x00现答复如下。".encode(), "not text (NUL bytes)"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00", "not text (NUL bytes)"),
        (bytes(range(1, 9)) * 50 + b"text", "not text (control bytes)"),
        ("caf\u00e9 r\u00e9sum\u00e9 na\u00efve\n".encode("latin-1"), "undecodable bytes"),
        (b"\xfd\xfc\xfb\xff" * 100, "undecodable bytes"),
    ],
    ids=["empty", "bom-only", "blank", "cjk-blank", "gbk-blank", "nul", "cjk-nul", "elf", "controls",
         "latin1", "high-bytes"],
)
def test_unusable_bytes_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as info:
        decode(data)
    assert info.value.reason == reason == str(info.value)


def test_random_binary_is_refused() -> None:
    rng = random.Random(20240517)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(ReadError) as info:
        decode(data)
    assert info.value.reason.startswith(("not text", "undecodable"))


def test_random_high_bytes_are_undecodable() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(ReadError, match="undecodable bytes"):
        decode(data)


def test_decoded_keeps_hash_size_and_makes_a_source() -> None:
    data = SIMPLIFIED.encode("gbk")
    source = decode(data).source("letters/a.txt")
    assert (source.path, source.sha256, source.bytes, source.encoding) == (
        "letters/a.txt", hashlib.sha256(data).hexdigest(), len(data), "gb18030")


def test_read_file_decodes_a_file(tmp_path: Path) -> None:
    path = tmp_path / "湘人社函.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert read_file(path).text == TRADITIONAL
    assert read_file(str(path)).encoding == "big5"


def test_big_sparse_file_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fp:
        fp.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written to disk
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert info.value.reason == "too large (104857600 bytes > --max-bytes 20000000)"


def test_max_bytes_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SIMPLIFIED.encode("utf-8"))
    size = path.stat().st_size
    assert read_file(path, max_bytes=size).size == size
    with pytest.raises(ReadError, match=rf"too large \({size} bytes > --max-bytes {size - 1}\)"):
        read_file(path, max_bytes=size - 1)


@pytest.mark.parametrize("kind", ["directory", "dangling-symlink", "missing"])
def test_unreadable_paths_give_the_os_reason(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.txt"
    if kind == "directory":
        path.mkdir()
        expected = "unreadable: Is a directory"
    else:
        if kind == "dangling-symlink":
            path.symlink_to(tmp_path / "gone.txt")
        expected = "unreadable: No such file or directory"
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert info.value.reason == expected


def test_file_without_read_permission(tmp_path: Path) -> None:
    """As root the file stays readable, so then it must simply decode."""
    path = tmp_path / "locked.txt"
    path.write_bytes(SIMPLIFIED.encode("utf-8"))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            assert read_file(path).text == SIMPLIFIED
        else:
            with pytest.raises(ReadError, match="^unreadable: Permission denied$"):
                read_file(path)
    finally:
        path.chmod(0o600)


def test_read_stream_reads_stdin_like_streams() -> None:
    data = TRADITIONAL.encode("gbk")
    assert read_stream(io.BytesIO(data)).text == TRADITIONAL
    with pytest.raises(ReadError, match=r"^too large \(101 bytes > --max-bytes 100\)$"):
        read_stream(io.BytesIO(b"a" * 500), max_bytes=100)


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        (TRADITIONAL.encode("big5"), "big5", "big5"),
        (TRADITIONAL.encode("big5"), "cp950", "cp950"),
        (SIMPLIFIED.encode("gbk"), "GBK", "gbk"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8", "utf-8"),
    ],
)
def test_forced_encoding_skips_detection(data: bytes, encoding: str, expected: str) -> None:
    decoded = decode(data, encoding=encoding)
    assert decoded.encoding == expected and decoded.text in (SIMPLIFIED, TRADITIONAL)


@pytest.mark.parametrize(
    ("encoding", "reason"),
    [("utf-8", "undecodable bytes (not utf-8 at byte 0)"), ("klingon", "unknown encoding 'klingon'")],
)
def test_forced_encoding_that_does_not_fit_is_refused(encoding: str, reason: str) -> None:
    with pytest.raises(ReadError) as info:
        decode(SIMPLIFIED.encode("gbk"), encoding=encoding)
    assert info.value.reason == reason
