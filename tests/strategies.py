"""All hypothesis strategies of the test suite, in one place."""
from __future__ import annotations

from hypothesis import strategies as st

# Pieces of real letters, damaged and clean, to mix with random text.
LETTER_PIECES = (
    "关于市政协十三届二次会议第82号提案的答复\n", "廖力嘉委员：\n", "收悉。现答复如下：\n",
    "一、", "（一）", "1.", "（1）", "一是", "下一步，", "此复。\n", "抄送：市政协，市政府。\n",
    "开展各类技能培训68715人次", "1000多万元", "34.9% ", "近千名选手", "清人社函〔2018〕192号",
    "2018年5月21日\n", "二〇二四年五月十六日", "（联系人及电话：朱华 18926661293）", "《关于…的通知》",
    "關(guān)於", "收悉?,F(xiàn)答復", "當(dāng)?shù)禺a(chǎn)業(yè)", "| 索引号 | x | 主题分类 | y |\n",
    "当前位置：首页 > 政务公开\n", "字体：[大] [中] [小]\n", "“十四五”", "（（（", "）", "?", "\u3000", "\r\n",
)

letter_like_text = st.lists(
    st.one_of(st.sampled_from(LETTER_PIECES), st.text(max_size=20)), max_size=30
).map("".join)

any_text = st.one_of(st.text(max_size=300), letter_like_text)

# Web pages as scrapers save them: tag soup around letter-like text, in a declared or undeclared encoding.
_TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<td>", "<h1>", "</h1>", "<table>", "<script>",
                         "<meta charset=\"gbk\">", "<meta charset=\"utf-8\">", "<title>", "&nbsp;", "<!--", "-->"])
html_pages = st.tuples(st.lists(st.one_of(_TAGS, letter_like_text), max_size=30),
                       st.sampled_from(["utf-8", "gb18030", "utf-16"])).map(
    lambda parts: "".join(parts[0]).encode(parts[1], errors="replace"))
