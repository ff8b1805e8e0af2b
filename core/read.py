"""Bytes to text: the only core module that touches files.

Decisions (DESIGN §3.1, §6):

- ``decode`` returns a ``Decoded`` (text, encoding, confidence, sha256, size); ``Decoded.source(path)``
  turns it into the record's ``Source``.
- Order: BOM (UTF-32 before UTF-16, then UTF-8) → NUL bytes (only UTF-16 without a BOM may have
  them, else refused) → strict UTF-8 (confidence 1.0) → UTF-8 with a few bad bytes (a truncated or
  slightly damaged UTF-8 file stays UTF-8; each bad byte becomes U+FFFD) → charset-normalizer limited
  to GB18030 / Big5 (UTF-16 when NULs are present), with a check that the characters are common ones
  (this settles GB18030 against Big5 on short texts, where the detector alone is unsure).
- GBK is read with the GB18030 codec (a superset) and reported as ``"gb18030"``. Encoding names are
  Python codec names: utf-8, utf-8-sig, utf-16-le, utf-16-be, utf-32-le, utf-32-be, gb18030, big5.
- Text that is valid UTF-8 is never re-decoded, so GBK byte-loss damage (收悉?,F(xiàn)) stays as it is
  for the normalizer to repair.
- ``.html``/``.htm`` files (``read_file``, or ``decode_html`` for bytes) are decoded from the page's own
  declaration first (a BOM still wins), then as above; ``dafu.html`` gives the main text, which becomes
  ``Decoded.text``, and the page's metadata (``Decoded.metadata``). The hash and size are the page's bytes.
- Refused with ``ReadError``: empty file (also a lone BOM), whitespace only, NUL bytes, control bytes,
  undecodable bytes, too large, unreadable (the OS reason). CRLF and CR become LF.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from typing import BinaryIO

from dafu.model import Source

__all__ = ["ReadError", "Decoded", "decode", "decode_html", "read_file", "read_stream", "is_text_encoding",
           "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 20_000_000

# UTF-32 LE's BOM starts with UTF-16 LE's, so UTF-32 is checked first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY = ["gb18030", "big5"]
_WIDE = ["utf_16_le", "utf_16_be"]
_VISIBLE = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.05  # above this share of control characters a file is not text
_MIN_COMMON_RATIO = 0.6  # below this share of common characters a detector's guess is refused
_MAX_BAD_UTF8 = 8  # a UTF-8 file with at most this many bad bytes (and a low share) stays UTF-8
_SAMPLE = 4000  # characters looked at when scoring a guess


class ReadError(Exception):
    """A file that cannot be used as a letter; ``reason`` is a short human phrase."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text (LF line ends) with how it was decoded and the raw bytes' hash and size.

    ``replaced`` counts the characters that could not be decoded (or were lone surrogates) and
    stand as U+FFFD in ``text``.
    """

    text: str
    encoding: str
    confidence: float
    sha256: str
    size: int
    replaced: int = 0
    metadata: tuple[tuple[str, str], ...] = ()  # a web page's own metadata (page_title, page_date, ...)

    def source(self, path: str) -> Source:
        """Return the record's ``Source`` for this text read from ``path``."""
        return Source(path=path, sha256=self.sha256, bytes=self.size, encoding=self.encoding,
                      encoding_confidence=self.confidence)


def decode(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Return the text of ``data``, or raise ``ReadError`` when it is not a usable text.

    ``encoding`` (the CLI's ``--encoding``) skips detection: the bytes must decode with it.

    >>> d = decode("此复。\\r\\n".encode("gbk")); (d.text, d.encoding)
    ('此复。\\n', 'gb18030')
    """
    if not data:
        raise ReadError("empty file")
    text, encoding, confidence = _decode_forced(data, encoding) if encoding else _decode_any(data)
    replaced = text.count("\ufffd") - data.count("\ufffd".encode()) if encoding in ("utf-8", None) else 0
    text, surrogates = _no_surrogates(text)
    _check_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding, round(confidence, 3), hashlib.sha256(data).hexdigest(), len(data),
                   max(0, replaced) + surrogates)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> tuple[str, int]:
    """Return text with lone surrogates (which no UTF-8 output can hold) as U+FFFD, and how many there were.

    >>> _no_surrogates("a\\ud800b")
    ('a\\ufffdb', 1)
    """
    return _SURROGATE.subn("\ufffd", text)


def is_text_encoding(name: str) -> bool:
    """Return True when Python knows ``name`` as a bytes-to-text codec (not rot13, base64, zlib ...)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return bool(getattr(info, "_is_text_encoding", True))


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
              encoding: str | None = None, follow: bool = True, stream: bool = False) -> Decoded:
    """Return the decoded text of the file at ``path``; refuse files over ``max_bytes`` unread.

    Only a regular file is read (a pipe too when ``stream``); a FIFO, device or socket is refused
    without blocking. ``follow=False`` refuses a symbolic link.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise ReadError("is now a symbolic link; not followed") from exc
        raise ReadError(f"unreadable: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("unreadable: Is a directory")
        if stat.S_ISREG(st.st_mode):
            _check_size(st.st_size, max_bytes)
        elif not (stream and stat.S_ISFIFO(st.st_mode)):
            raise ReadError("not a regular file; skipped unopened")
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as fp:
            data = fp.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(f"unreadable: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    _check_size(len(data), max_bytes)  # the file grew, or stat could not tell (a pipe)
    if os.fsdecode(path).lower().endswith((".html", ".htm")):
        return decode_html(data, encoding=encoding)
    return decode(data, encoding=encoding)


def decode_html(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Return the main text of an HTML page's bytes (``dafu.html``), decoded as the page declares.

    >>> page = '<meta charset="gbk"><title>T</title><div><p>现答复如下：</p><p>此复。</p></div>'
    >>> d = decode_html(page.encode("gbk")); (d.text, d.encoding, d.metadata)
    ('现答复如下：\\n此复。', 'gb18030', (('page_title', 'T'),))
    """
    from dafu.html import HtmlExtraMissing, declared_encoding, extract_page

    if not data:
        raise ReadError("empty file")
    declared = None if encoding or any(data.startswith(bom) for bom, _ in _BOMS) else declared_encoding(data)
    html = None
    if declared:
        try:
            html, confidence = data.decode(declared), 1.0
        except UnicodeDecodeError:
            pass  # a wrong declaration (a GBK page saved as UTF-8 by a scraper): detect as for text
    if html is None:
        html, declared, confidence = _decode_forced(data, encoding) if encoding else _decode_any(data)
    try:
        page = extract_page(html)
    except HtmlExtraMissing as exc:
        raise ReadError(str(exc)) from None
    if not page.text.strip():
        raise ReadError("no main text found in the page")
    _check_text(page.text)
    return Decoded(page.text, declared, round(confidence, 3), hashlib.sha256(data).hexdigest(), len(data),
                   metadata=page.metadata)


def read_stream(fp: BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None) -> Decoded:
    """Return the decoded text of a binary stream (stdin), reading at most ``max_bytes`` + 1."""
    try:
        data = fp.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(f"unreadable: {exc.strerror or exc}") from exc
    _check_size(len(data), max_bytes)
    return decode(data, encoding=encoding)


def _check_size(size: int, max_bytes: int) -> None:
    """Raise ``ReadError`` when ``size`` is over ``max_bytes``."""
    if size > max_bytes:
        raise ReadError(f"too large ({size} bytes > --max-bytes {max_bytes})")


def _decode_forced(data: bytes, encoding: str) -> tuple[str, str, float]:
    """Return (text, codec name, 1.0) for ``data`` in the given encoding; a leading BOM is dropped."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ReadError(f"unknown encoding {encoding!r}") from None
    if not is_text_encoding(name):
        raise ReadError(f"{encoding!r} is not a text encoding")
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise ReadError(f"undecodable bytes (not {name} at byte {exc.start})") from None
    except Exception as exc:  # a codec that fails otherwise (a bad escape in unicode_escape ...)
        raise ReadError(f"undecodable bytes (not {name}: {type(exc).__name__})") from None
    if not isinstance(text, str):
        raise ReadError(f"{encoding!r} is not a text encoding")
    return text.removeprefix("\ufeff"), name, 1.0


def _decode_any(data: bytes) -> tuple[str, str, float]:
    """Return (text, encoding, confidence) for non-empty ``data``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding, 1.0
            except UnicodeDecodeError:
                raise ReadError(f"undecodable bytes (not {encoding} despite its byte order mark)") from None
    if b"\x00" in data:
        return _detect(data, _WIDE, "not text (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8", 1.0
    except UnicodeDecodeError:
        pass
    return _mostly_utf8(data) or _detect(data, _LEGACY, "undecodable bytes")


def _mostly_utf8(data: bytes) -> tuple[str, str, float] | None:
    """Return UTF-8 text with U+FFFD for a few bad bytes, or None when UTF-8 is not plausible."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = sum(1 for c in text[:_SAMPLE * 4] if c > "\x7f") - bad
    if bad > _MAX_BAD_UTF8 or wide < 20 * bad:
        return None
    return text, "utf-8", max(0.5, 0.9 - bad / max(wide, 1))


def _detect(data: bytes, candidates: list[str], refusal: str) -> tuple[str, str, float]:
    """Return the most plausible decoding among ``candidates``, or raise ``ReadError(refusal)``."""
    from charset_normalizer import from_bytes

    guesses: list[tuple[float, float, str, str]] = []
    for match in from_bytes(data, cp_isolation=candidates):
        text = str(match)
        guesses.append((_common_ratio(text), 1.0 - match.chaos, codecs.lookup(match.encoding).name, text))
    if not guesses:  # the detector gives up on very short inputs; try the codecs themselves
        for name in candidates:
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            guesses.append((_common_ratio(text), 0.5, codecs.lookup(name).name, text))
    if not guesses:
        raise ReadError(refusal)
    # On a tie the earlier candidate wins: GB18030 before Big5 (mainland letters are far more common).
    rank = {codecs.lookup(name).name: i for i, name in enumerate(candidates)}
    common, calm, encoding, text = max(guesses, key=lambda g: (g[0], g[1], -rank.get(g[2], 99)))
    if common < _MIN_COMMON_RATIO or "\x00" in text:
        raise ReadError(refusal)
    return text, encoding, min(common, calm)


def _common_ratio(text: str) -> float:
    """Return the share of non-ASCII characters that are common Chinese characters or punctuation.

    A character counts as common when it is in GB2312 (6763 simplified hanzi and symbols), in Big5's
    frequent-character block (A440-C67E), or is CJK or full-width punctuation.

    >>> _common_ratio("關於答复。"), _common_ratio("技能人才隊伍".encode("big5").decode("gb18030"))
    (1.0, 0.16666666666666666)
    """
    sample = [c for c in text[:_SAMPLE] if c > "\x7f"]
    if not sample:
        return 1.0
    return sum(1 for c in sample if _is_common(c)) / len(sample)


def _is_common(char: str) -> bool:
    """Return True for a common hanzi (GB2312, Big5 level 1) or CJK/full-width punctuation."""
    if "\u3000" <= char <= "\u303f" or "\uff01" <= char <= "\uff5e" or char in "“”‘’—…·":
        return True
    try:
        gb = char.encode("gb2312")
        if len(gb) == 2 and gb[0] >= 0xB0:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b5 = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b5) == 2 and b"\xa4\x40" <= b5 <= b"\xc6\x7e"


def _check_text(text: str) -> None:
    """Raise ``ReadError`` for text that is empty, blank, or full of control characters."""
    if not text:
        raise ReadError("empty file")
    if "\x00" in text:
        raise ReadError("not text (NUL bytes)")
    if not _VISIBLE.search(text):
        raise ReadError("whitespace only")
    sample = text[: _SAMPLE * 4]
    if len(_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise ReadError("not text (control bytes)")
