"""Segment a normalized letter: doc_type, header, addressees, proposal, section tree, signature block.

Patterns match a folded copy of the text (traditional characters mapped one to one to simplified,
``segment_fold.tsv``), so simplified and traditional letters follow the same rules and every value is
sliced from the original text at the same offsets.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from ..codes import DocType, WarningCode
from ..model import Section, Segmented, Span, Warning

__all__ = ["segment", "contact_person", "split_sentences", "section_path_at", "section_index", "section_at"]


def __getattr__(name: str):
    if name == "split_sentences":  # the parts' modules (their patterns compiled) load on first use
        from .text import split_sentences

        return split_sentences
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def segment(text: str, *, metadata: tuple[tuple[str, str], ...] = (), written: str | None = None) -> Segmented:
    """Find the parts of one normalized letter; never raises, doubts become warnings. With ``written`` (the text in
    the page's script, character for character), the names and titles copied from the page are as it writes them."""
    from .evidence import missing
    from .header import addressees, category, doc_number, glued_addressee, header_end, news_lead, signer
    from .kind import about_a_reply, circular, doc_type, proposal
    from .sections import sections
    from .tail import tail
    from .text import fold, lines, split_sentences
    from .written import fields_as_written

    folded = fold(text)
    all_lines = lines(text)
    meta = {k.strip(): v.strip() for k, v in metadata}
    body_start, addr_line = header_end(folded, all_lines)
    head = all_lines[:addr_line if addr_line is not None else body_start]
    page = written if written is not None and len(written) == len(text) else text  # the page's own script
    the_title = _title(text, folded, head, meta, page)
    if addr_line is not None:
        people = addressees(text, folded, all_lines[addr_line])
    else:  # 王某代表：您提出的…收悉 on one line
        glued = glued_addressee(folded, all_lines[body_start]) if body_start < len(all_lines) else None
        people = addressees(text, folded, glued)
    roles = tuple(a.role for a in people if a.role)
    end = tail(text, folded, all_lines, body_start)
    paras = all_lines[body_start:end.start if end.start is not None else len(all_lines)]
    tree = sections(text, folded, paras)
    opening = _opening_span(tree, paras)
    body_f = folded[paras[0][0]:paras[-1][1]] if paras else ""
    title_f = fold(the_title) if the_title else None
    kind, unsure = doc_type(title_f,
                            folded[opening[0]:opening[1]] if opening else "", body_f, roles)
    kind = circular(kind, title_f, people)
    the_proposal = None
    if kind == DocType.REPLY_LETTER or (kind == DocType.OTHER and about_a_reply(title_f, body_f)):
        the_proposal = proposal(text, the_title, title_f, opening, folded, roles,
                                news_lead(folded, head))
    issuer, date, warnings = _signed(text, folded, all_lines, head, the_title, meta, kind, end, page)
    warnings = ([unsure] if unsure else []) + warnings
    if the_title is None:
        warnings.append(Warning(WarningCode.NO_TITLE, WarningCode.NO_TITLE.template))
    if kind == DocType.REPLY_LETTER:
        doubted = any(w.code in (WarningCode.DATE_INVALID, WarningCode.DATE_AMBIGUOUS) for w in warnings)
        warnings += missing(issuer, date, the_proposal, doubted)
    found = Segmented(
        doc_type=str(kind), title=the_title, doc_number=doc_number(text, folded, head, meta, end.doc_line),
        category=category(folded, head, meta), signer=signer(text, folded, head, meta),
        proposal=the_proposal, addressees=people, issuer=issuer,
        date=date, contact=end.contact or _head_contact(text, folded, head),
        cc=end.cc, sections=tree, sentences=split_sentences(text), warnings=tuple(warnings),
    )
    return fields_as_written(found, text, written)


def _signed(text, folded, all_lines, head, the_title, meta, kind, end,
            page: str) -> tuple[str | None, str | None, list[Warning]]:
    """(issuer, date, warnings): who signed and when, injected header text and a cut-off page."""
    from .evidence import date_of, issuer_of, truncated
    from .header import is_spam_line
    from .signature import signature

    sign = signature(text, folded, all_lines, min(len(all_lines), len(head)))
    if sign.issuer is None and end.issuer:  # an organisation closing the letter without a date
        sign = replace(sign, issuer=end.issuer)
    named = the_title if kind != DocType.MEETING_REPORT else None  # 市某局召开…会: a subject, not an issuer
    issuer, warnings = issuer_of(text, folded, all_lines, head, named, meta, sign, page)
    date, found = date_of(folded, meta, sign, head)
    warnings += found
    spam = next(((s, e) for s, e in head if is_spam_line(folded[s:e])), None)
    if spam:
        warnings.append(Warning(WarningCode.INJECTED_TEXT, WarningCode.INJECTED_TEXT.template.format(
            field="the header", text=text[spam[0]:spam[1]]), spam))
    if end.start is None and sign.line is None:
        warnings += truncated(text, folded, all_lines)
    return issuer, date, warnings


def _opening_span(tree: tuple[Section, ...], paras: tuple[Span, ...]) -> Span | None:
    if tree and tree[0].kind == "opening":
        return tree[0].span
    return paras[0] if paras else None


def _head_contact(text: str, folded: str, head: tuple[Span, ...]):
    from .tail import CONTACT_LINE, contact_of

    found = [(s, e) for s, e in head if CONTACT_LINE.match(folded, s, e)]
    return contact_of(text, folded, found) if found else None


def section_path_at(sections: tuple[Section, ...], offset: int) -> str | None:
    """Path of the deepest section whose span holds offset, or None.

    >>> s = Section("body", 1, "一、", "做法", "一", (0, 9), (Section("body", 5, "一是", None, "一/一是", (5, 9)),))
    >>> section_path_at((s,), 6), section_path_at((s,), 2), section_path_at((s,), 9)
    ('一/一是', '一', None)
    """
    i = bisect_right(sections, offset, key=lambda s: s.span[0]) - 1
    if i < 0 or not sections[i].span[0] <= offset < sections[i].span[1]:
        return None
    return section_path_at(sections[i].children, offset) or sections[i].path


SectionIndex = tuple[list[int], list["str | None"]] | tuple[Section, ...]


def section_index(sections: tuple[Section, ...]) -> SectionIndex:
    """Return the section tree as sorted change points (offset, path from there on), for ``section_at``.

    Built once per letter; a tree whose spans do not nest in order (never made by ``segment``) is kept as
    it is, and ``section_at`` then walks it like ``section_path_at``.

    >>> s = Section("body", 1, "一、", "做法", "一", (0, 9), (Section("body", 5, "一是", None, "一/一是", (5, 9)),))
    >>> section_index((s,))
    ([0, 5, 9, 9], ['一', '一/一是', '一', None])
    """
    offsets: list[int] = []
    paths: list[str | None] = []

    def walk(nodes: tuple[Section, ...], outer: str | None, top: bool) -> None:
        for node in nodes:
            own = node.path if top else node.path or outer  # section_path_at: a child's path, else its parent's
            offsets.append(node.span[0])
            paths.append(own)
            walk(node.children, own, False)
            offsets.append(node.span[1])
            paths.append(outer)

    walk(sections, None, True)
    if any(a > b for a, b in zip(offsets, offsets[1:])):
        return sections
    return offsets, paths


def section_at(index: SectionIndex, offset: int) -> str | None:
    """Path of the deepest section whose span holds offset, or None (``section_path_at`` on an index)."""
    if not index or isinstance(index[0], Section):
        return section_path_at(index, offset)
    offsets, paths = index
    i = bisect_right(offsets, offset) - 1
    return paths[i] if i >= 0 else None


def contact_person(text: str) -> str | None:
    """Return the contact person's name as ``segment`` finds it, without the rest of segment's work.

    The pipeline's redaction runs this before the one ``segment`` call; tests/test_pipeline.py checks that it
    agrees with ``segment(text).contact`` on every sample and test letter.

    >>> contact_person("关于培训的答复\\n张三委员：\\n现答复如下。\\n某局\\n2020年1月1日\\n（联系人：李四）")
    '李四'
    """
    from .header import header_end
    from .tail import tail
    from .text import fold, lines

    folded, all_lines = fold(text), lines(text)
    body_start, addr_line = header_end(folded, all_lines)
    head = all_lines[:addr_line if addr_line is not None else body_start]
    found = tail(text, folded, all_lines, body_start).contact or _head_contact(text, folded, head)
    return found.person if found else None


def _title(text: str, folded: str, head, meta: dict[str, str], page: str) -> str | None:
    """The title of the header lines, else the metadata 标题; the metadata's when it says what it is and the header's
    does not (a one-line metadata block under the site's heading 某县人民政府信息公开)."""
    from .evidence import in_text_script, meta_title
    from .header import names_itself, title

    found = title(text, folded, head)
    if found and names_itself(found):
        return found
    listed = meta_title(meta)
    listed = in_text_script(listed, page) if listed else None
    if found and listed and not names_itself(listed):
        return found
    return listed or found
