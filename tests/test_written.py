"""Names and titles copied from the page are as the page writes them, whatever ``--script`` (core/segment/written.py).

Each case: a page, the output script, and the header fields the record must give. The text itself is in the output
script; the fields are found there (a title over two lines, an office under its parent body) and read in the page's
script at the same places.
"""
from __future__ import annotations

import pytest

from dafu import process
from dafu.options import Options

TRADITIONAL = (
    "關於市政協十三屆二次會議第215號提案的\n答復\n"
    "柳人社函〔2019〕58號\n"
    "陳立華委員：\n"
    "您提出的《關於加強技工院校建設的提案》收悉。現答復如下：\n"
    "去年全市技工院校招生1.2萬人。\n"
    "柳江市人力資源和社會保障局\n"
    "2019年6月20日\n"
    "抄送：市政協提案委員會\n"
)
SIMPLIFIED = TRADITIONAL.replace("關於", "关于").replace("屆", "届").replace("會議", "会议").replace("號", "号") \
    .replace("陳立華委員", "陈立华委员").replace("復", "复").replace("資源", "资源").replace("會", "会") \
    .replace("協", "协")

NOTICE = (
    "湖北省财政厅关于做好创业担保贷款贴息工作的通知\n"
    "鄂财金发[2021]12号\n"
    "各市(州)财政局、人力资源社会保障局,人民银行各市(州)分行:\n"
    "现将有关事项通知如下。全省发放贷款38.6亿元。\n"
    "湖北省财政厅\n"
    "2021年5月8日\n"
)

BULLETIN = (  # the issuer only in a metadata line (FIELD-GUIDE §1c), which normalization lifts out of the text
    "首頁 > 信息公開 > 統計數據\n"
    "滇南省2018年林業和草原發展統計公報\n"
    "發佈機構:滇南省林業和草原局   成文日期:2019年03月28日   發佈日期:2019-04-02\n"
    "2018年，全省動員社會力量完成營造林412.6萬畝，其中人工造林168.3萬畝。\n"
)

CASES = [
    ("traditional page, default output", TRADITIONAL, "simplified",
     {"issuer": "柳江市人力資源和社會保障局", "title": "關於市政協十三屆二次會議第215號提案的答復",
      "doc_number": "柳人社函〔2019〕58號", "addressee": "陳立華", "cc": ("市政協提案委員會",),
      "meeting": "市政協十三屆二次會議"}),
    ("traditional page, traditional output", TRADITIONAL, "traditional",
     {"issuer": "柳江市人力資源和社會保障局", "doc_number": "柳人社函〔2019〕58號", "addressee": "陳立華"}),
    ("traditional page kept", TRADITIONAL, "keep",
     {"issuer": "柳江市人力資源和社會保障局", "addressee": "陳立華"}),
    ("simplified page, traditional output", SIMPLIFIED, "traditional",
     {"issuer": "柳江市人力资源和社会保障局", "doc_number": "柳人社函〔2019〕58号", "addressee": "陈立华",
      "title": "关于市政协十三届二次会议第215号提案的答复"}),
    ("traditional page, issuer from its metadata", BULLETIN, "simplified", {"issuer": "滇南省林業和草原局"}),
    ("traditional page, issuer from its metadata, traditional output", BULLETIN, "traditional",
     {"issuer": "滇南省林業和草原局"}),
    ("ASCII brackets in a name stay ASCII (the text has full-width ones)", NOTICE, "simplified",
     {"addressee": "各市(州)财政局、人力资源社会保障局", "issuer": "湖北省财政厅"}),
]


def _fields(record) -> dict:
    return {"issuer": record.issuer, "title": record.title, "doc_number": record.doc_number and record.doc_number.raw,
            "addressee": record.addressees[0].name if record.addressees else None, "cc": record.cc,
            "meeting": record.proposal and record.proposal.meeting}


@pytest.mark.parametrize(("name", "page", "script", "expect"), CASES, ids=[c[0] for c in CASES])
def test_header_names_are_as_the_page_writes_them(name, page, script, expect):
    record = process(page, options=Options(script=script))
    got = _fields(record)
    assert {k: got[k] for k in expect} == expect
    text_script = {"simplified": "会", "traditional": "會", "keep": "會" if "會" in page else "会"}[script]
    assert text_script in record.text  # the text itself is in the output script


def test_the_text_stays_in_the_output_script():
    record = process(TRADITIONAL)
    assert "人力资源" in record.text and "人力資源" not in record.text
    assert record.issuer == "柳江市人力資源和社會保障局"


def test_the_text_has_full_width_marks_where_the_name_keeps_the_pages():
    record = process(NOTICE)
    assert "各市（州）财政局" in record.text and record.addressees[0].name == "各市(州)财政局、人力资源社会保障局"
