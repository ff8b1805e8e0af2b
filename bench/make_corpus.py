"""Build a deterministic benchmark corpus of N letters from the five samples (bench/README.md).

Body paragraphs and sentences of the samples are recombined into new letters with headers, openings,
closings and signatures written from templates of the genre; names, places, numbers and dates are
changed; then each letter gets one variant: clean simplified, traditional (OpenCC s2t), traditional
with pinyin annotations, GBK byte-loss mojibake (tests/damage.py, REPAIR.md §6), or web debris /
metadata table. Same N and seed give the same bytes.

    python bench/make_corpus.py --letters 10000            # -> bench/corpus/n10000-s0/
    python bench/make_corpus.py --letters 10000 --check    # rebuild in memory, compare with disk
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT / "bench" / "corpus"

# variant -> share of the corpus (stated in bench/README.md)
MIX = (("clean", 0.60), ("traditional", 0.20), ("pinyin", 0.10), ("mojibake", 0.05), ("debris", 0.05))

_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Zü\u00e0-\u01dc]{1,8}\)")
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、])")
_DEBRIS = re.compile(r"^(?:\||当前位置|信息来源|分享|字体|回到顶部|Baidu|map|扫一扫|类 ?别|签发人|〔)")
_SENTENCE = re.compile(r"[^。！？]*[。！？]")
# one pass: a month-day date, a year (before 年 〕 ) ） -), or any other run of digits
_NUMBERS = re.compile(r"(?<!\d)(?P<md>\d{1,2}月\d{1,2}日)|(?<!\d)(?P<year>(?:19|20)\d\d)(?=年|〕|\)|）|-)|(?P<digits>\d+)")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红文波宁志海燕春雪梅琳晨浩宇欣怡子涵俊杰思远立新卫东德胜永庆佳慧婷灿力嘉"
PLACES = (  # (province, city, 2-char city, issuer abbreviation of the bureau)
    ("广东省", "清远市", "清远", "清人社"), ("陕西省", "咸阳市", "咸阳", "咸人社"), ("河南省", "新乡市", "新乡", "新人社"),
    ("广东省", "韶关市", "韶关", "韶人社"), ("湖南省", "常德市", "常德", "常人社"), ("四川省", "绵阳市", "绵阳", "绵人社"),
    ("江西省", "赣州市", "赣州", "赣市人社"), ("广西壮族自治区", "柳州市", "柳州", "柳人社"), ("福建省", "泉州市", "泉州", "泉人社"),
    ("浙江省", "台州市", "台州", "台人社"), ("山东省", "潍坊市", "潍坊", "潍人社"), ("江苏省", "盐城市", "盐城", "盐人社"),
    ("贵州省", "遵义市", "遵义", "遵人社"), ("云南省", "曲靖市", "曲靖", "曲人社"), ("河北省", "保定市", "保定", "保人社"),
    ("安徽省", "芜湖市", "芜湖", "芜人社"), ("湖北省", "宜昌市", "宜昌", "宜人社"), ("山西省", "长治市", "长治", "长人社"),
)
SAMPLE_PLACES = ("清远", "咸阳", "新乡", "广东")
SAMPLE_NAMES = ("廖力嘉", "张卫婷", "吴国庆", "苏灿", "朱华", "杨伟", "李卫东", "董和平", "唐荣伟", "刘畅", "谭志平")
TOPICS = (
    "加快发展现代职业教育", "加强高技能人才队伍建设", "促进高校毕业生就业", "完善职业技能培训补贴政策",
    "推进产教融合校企合作", "支持返乡入乡创业", "提升农民工职业技能", "加强技工院校建设", "健全技能人才评价体系",
    "扩大新就业形态劳动者权益保障", "推动家政服务业提质扩容", "发展数字技能人才", "优化人力资源服务业发展环境",
)
BODIES = (("市政协", "届", "次会议", "提案", "委员"), ("市人大", "届人大", "次会议", "建议", "代表"),
          ("省政协", "届", "次会议", "提案", "委员"), ("省", "届人大", "次会议", "代表建议", "代表"))
NUMERALS = "一二三四五六七八九十"
CLOSINGS = ("感谢您对我市人力资源和社会保障工作的关心和支持。", "衷心感谢您对我们工作的理解和支持！",
            "再次感谢您提出的宝贵意见和建议。", "以上答复妥否，请提出宝贵意见。", "此复。", "专此答复。")
NEXT_STEPS = ("下一步，我局将认真研究吸纳您的意见建议，继续加大工作力度，力争取得更大成效。",
              "下一步，我们将进一步完善政策措施，强化部门协同，推动各项工作落地见效。",
              "下一步，我厅将会同有关部门抓好政策落实，及时总结推广经验做法。")


@dataclass(frozen=True, slots=True)
class Pool:
    """Material taken from the samples: body paragraphs, sentences, section headings."""

    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]
    headings: tuple[str, ...]


@lru_cache(maxsize=2)
def _cc(name: str):
    import opencc

    return opencc.OpenCC(name)


def _clean_lines(text: str) -> list[str]:
    """Return the sample's lines as clean simplified text: annotations, mojibake and debris dropped."""
    text = _cc("t2s").convert(_PINYIN.sub("", text))
    out = []
    for line in text.split("\n"):
        line = line.strip().strip("\u3000").strip()
        if line and "?" not in line and "\ufffd" not in line and not _DEBRIS.match(line):
            out.append(line)
    return out


def _body(lines: list[str]) -> list[str]:
    """Return the lines between the opening (…答复如下 / 汇报如下) and the closing formulas."""
    start = next((i + 1 for i, line in enumerate(lines) if "如下" in line[-8:]), 0)
    end = next((i for i, line in enumerate(lines) if i >= start and line.startswith(("感谢", "衷心感谢", "再次感谢",
                                                                               "此复", "专此答复", "以上答复"))),
               len(lines))
    return lines[start:end]


@lru_cache(maxsize=1)
def load_pool(samples: Path = SAMPLES) -> Pool:
    """Return the recombination pool built from every sample in `samples`."""
    paragraphs, headings = [], []
    for path in sorted(samples.glob("*.txt")):
        for line in _body(_clean_lines(path.read_text("utf-8"))):
            if _MARKER.match(line) and len(line) <= 80:
                headings.append(_MARKER.sub("", line))
            elif len(line) >= 40:
                paragraphs.append(_MARKER.sub("", line))
    sentences = [s for p in paragraphs for s in _SENTENCE.findall(p) if len(s) >= 12]
    return Pool(tuple(paragraphs), tuple(sentences), tuple(headings))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


class _Perturb:
    """Per-letter replacement of places, names, years, dates and other numbers."""

    def __init__(self, rng: random.Random, place: tuple[str, ...], year: int) -> None:
        self.rng, self.place, self.year = rng, place, year
        self.names = {n: _name(rng) for n in SAMPLE_NAMES}

    def __call__(self, text: str) -> str:
        for p in SAMPLE_PLACES:
            text = text.replace(p, self.place[0][:-1] if p == "广东" else self.place[2])
        for old, new in self.names.items():
            text = text.replace(old, new)
        return _NUMBERS.sub(self._replace, text)

    def _replace(self, m: re.Match) -> str:
        rng = self.rng
        if m.group("md"):
            return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        if m.group("year"):
            return str(self.year - rng.randint(0, 5))
        return self._number(m.group())

    def _number(self, digits: str) -> str:
        if len(digits) == 4 and digits[:2] in ("19", "20"):
            return digits if self.year - 8 <= int(digits) <= self.year + 6 else str(self.year)
        n = len(digits) + self.rng.choice((-1, 0, 0, 0, 1)) if len(digits) > 1 else 1
        n = max(1, n)
        return str(self.rng.randint(1 if n > 1 else 0, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(n - 1))


def _paragraph(rng: random.Random, pool: Pool, fix) -> str:
    if rng.random() < 0.5:
        return fix(rng.choice(pool.paragraphs))
    return fix("".join(rng.choice(pool.sentences) for _ in range(rng.randint(2, 7))))


def _sections(rng: random.Random, pool: Pool, fix) -> list[str]:
    """Return the body: numbered sections (一、 and sometimes （一）) of recombined paragraphs."""
    lines = [_paragraph(rng, pool, fix)] if rng.random() < 0.6 else []
    count = rng.choices((1, 2, 3, 4, 5, 6, 8, 12), weights=(6, 14, 24, 22, 14, 10, 6, 4))[0]
    for i in range(count):
        lines.append(f"{_numeral(i + 1)}、{fix(rng.choice(pool.headings))}")
        if rng.random() < 0.3:
            for j in range(rng.randint(2, 3)):
                lines.append(f"（{_numeral(j + 1)}）{fix(rng.choice(pool.headings))}")
                lines.append(_paragraph(rng, pool, fix))
        else:
            lines.extend(_paragraph(rng, pool, fix) for _ in range(rng.choice((1, 1, 2, 3))))
    return lines


def _numeral(n: int) -> str:
    """Return 1..99 as a Chinese numeral (十二, 二十)."""
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else NUMERALS[tens - 1]) + "十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def _date(rng: random.Random, year: int) -> str:
    return f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def _reply(rng: random.Random, pool: Pool, place, year: int) -> str:
    """Return a reply letter (答复 / 答复函) in clean simplified text."""
    fix = _Perturb(rng, place, year)
    body, edition, session, kind, role = rng.choice(BODIES)
    number = f"第{year}{rng.randint(1, 400):04d}号" if rng.random() < 0.3 else f"第{rng.randint(1, 1999)}号"
    meeting = f"{_numeral(rng.randint(7, 14))}{edition}{_numeral(rng.randint(1, 5))}{session}"
    org = "人力资源和社会保障局" if not body.startswith("省") else "人力资源和社会保障厅"
    issuer = (place[0] if body.startswith("省") else place[1]) + org
    who = _name(rng)
    lines = []
    if rng.random() < 0.3:
        lines.append(rng.choice(("〔A〕", "〔B〕", "类 别：A", "类别：C")))
    if rng.random() < 0.7:
        lines.append(f"{place[3]}函〔{year}〕{rng.randint(1, 400)}号")
    if rng.random() < 0.85:
        lines.append(rng.choice((f"关于{body}{meeting}{number}{kind}的答复", f"对{body}{meeting}{number}{kind}的答复",
                                 f"{issuer}关于{body}{meeting}{number}{kind}答复的函")))
    if rng.random() < 0.2:
        lines.append(f"签发人：{_name(rng)}")
    plural = rng.random() < 0.2
    lines.append(f"{who}{'等' if plural else ''}{role}：")
    you = "你们" if plural else "您"
    lines.append(f"{you}提出的《关于{rng.choice(TOPICS)}的{kind[-2:]}》（{number}）收悉。"
                 + rng.choice(("现答复如下：", "经认真研究，现答复如下：", "经综合有关部门意见，现答复如下：")))
    lines.extend(_sections(rng, pool, fix))
    if rng.random() < 0.6:
        lines.append(rng.choice(NEXT_STEPS))
    lines.extend(rng.sample(CLOSINGS, rng.randint(1, 2)))
    lines += [issuer, _date(rng, year)]
    if rng.random() < 0.7:
        phone = f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}" if rng.random() < 0.6 else f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}"
        lines.append(f"（联系人及电话：{_name(rng)}，{phone}）")
    if rng.random() < 0.4:
        lines.append(f"抄送：{body}提案委员会，市政府督查室，{place[1]}教育局。")
    return "\n".join(lines) + "\n"


def _meeting(rng: random.Random, pool: Pool, place, year: int) -> str:
    """Return a meeting report (召开 … 会议) in clean simplified text."""
    fix = _Perturb(rng, place, year)
    lines = [f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日{rng.choice(('上午', '下午', ''))}，{place[2]}市人力资源社会保障局召开"
             f"全市{rng.choice(('职业技能培训', '就业创业', '技能人才', '人社系统'))}工作推进会，总结工作，部署推进今年任务。",
             f"市人社局党组书记、局长{_name(rng)}出席会议并讲话；副局长{_name(rng)}主持会议，共{rng.randint(20, 200)}人参加会议。"]
    lines.extend(_paragraph(rng, pool, fix) for _ in range(rng.choice((2, 3, 4, 5, 6, 8))))
    return "\n".join(lines) + "\n"


def _ascii_punct(text: str) -> str:
    """Return text with ：，（） as ASCII, as in web exports of these letters."""
    return text.translate(str.maketrans("：，（）", ":,()"))


def _with_debris(rng: random.Random, text: str, place, year: int) -> str:
    """Return the letter as a web page (breadcrumb, share, font, footer) or under a metadata table."""
    if rng.random() < 0.5:
        head = (f"| 索引号 | {rng.randint(10**17, 10**18 - 1)}X/{year}-{rng.randint(1, 999):05d} | 主题分类 | 劳动就业 |\n"
                f"| 文号 | {place[3]}函〔{year}〕{rng.randint(1, 400)}号 | 发布机构 | 市人社局 |\n"
                "| 公开日期 | 有效性 | ||\n| 主题词 | |||\n")
        return head + text + "扫一扫在手机打开当前页\n"
    body = "\n".join(("  " + line if line else line) + rng.choice(("", "", "       ")) for line in text.split("\n"))
    return ("当前位置:首页 > 政务公开 > 建议提案办理 > 建议办理\n    \n\n"
            f"信息来源:本网 时间:{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n分享:\n字体: [大] [中] [小]\n\n"
            + body.replace("\n", "\n\n") + "\n\n回到顶部\nBaidu\nmap\n")


def _variant(rng: random.Random) -> str:
    return rng.choices([v for v, _ in MIX], weights=[w for _, w in MIX])[0]


def make_letter(i: int, seed: int = 0, pool: Pool | None = None) -> tuple[str, bytes]:
    """Return (variant, UTF-8 bytes) of letter number `i`; deterministic in (i, seed)."""
    pool = pool or load_pool()
    rng = random.Random(f"dafu-bench:{seed}:{i}")
    place, year = rng.choice(PLACES), rng.randint(2016, 2025)
    text = (_meeting if rng.random() < 0.15 else _reply)(rng, pool, place, year)
    variant = _variant(rng)
    if variant in ("clean", "debris") and rng.random() < 0.4:
        text = _ascii_punct(text)
    if variant == "traditional":
        text = _cc("s2t").convert(text)
    elif variant in ("pinyin", "mojibake"):
        sys.path.insert(0, str(ROOT / "tests")) if str(ROOT / "tests") not in sys.path else None
        from damage import damage  # tests/damage.py: the REPAIR.md §6 recipe

        damaged, truth = damage(text, rng.randrange(2**32))
        text = damaged if variant == "mojibake" else truth
    elif variant == "debris":
        text = _with_debris(rng, text, place, year)
    return variant, text.encode("utf-8")


def letter_path(folder: Path, i: int) -> Path:
    """Return where letter `i` lives: 1,000 letters per subfolder."""
    return folder / f"{i // 1000:03d}" / f"{i:06d}.txt"


def corpus_dir(letters: int, seed: int = 0) -> Path:
    return CORPUS / f"n{letters}-s{seed}"


def _chunk(args: tuple[int, int, int]) -> list[tuple[str, bytes]]:
    start, stop, seed = args
    pool = load_pool()
    return [make_letter(i, seed, pool) for i in range(start, stop)]


def generate(letters: int, seed: int = 0, jobs: int = 1):
    """Yield (i, variant, bytes) for every letter, in order (worker processes when jobs > 1)."""
    step = 200
    chunks = [(s, min(s + step, letters), seed) for s in range(0, letters, step)]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as p:
            results = p.imap(_chunk, chunks)
            for (start, _, _), chunk in zip(chunks, results):
                for k, (variant, data) in enumerate(chunk):
                    yield start + k, variant, data
        return
    for start, stop, _ in chunks:
        for k, (variant, data) in enumerate(_chunk((start, stop, seed))):
            yield start + k, variant, data


def build(letters: int, seed: int = 0, jobs: int = 1, check: bool = False, quiet: bool = False) -> tuple[str, bool]:
    """Write (or, with check, compare) the corpus; return (sha256 of names and bytes, all same)."""
    folder = corpus_dir(letters, seed)
    digest, same, counts, size = hashlib.sha256(), True, {v: 0 for v, _ in MIX}, 0
    manifest = []
    for i, variant, data in generate(letters, seed, jobs):
        path = letter_path(folder, i)
        rel = path.relative_to(folder).as_posix()
        digest.update(rel.encode() + b"\0" + data + b"\0")
        counts[variant] += 1
        size += len(data)
        manifest.append(f"{rel}\t{variant}\t{len(data)}\n")
        if check:
            try:
                same &= path.read_bytes() == data
            except OSError:
                same = False
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    hexdigest = digest.hexdigest()
    summary = (f"{letters} letters, {size / 1e6:.1f} MB, seed {seed}: "
               + ", ".join(f"{v} {n} ({n / max(letters, 1):.1%})" for v, n in counts.items()) + f"\nsha256 {hexdigest}")
    if not check:
        (folder / "MANIFEST.tsv").write_text("path\tvariant\tbytes\n" + "".join(manifest), "utf-8")
        (folder / "SHA256").write_text(hexdigest + "\n", "utf-8")
    elif (folder / "SHA256").exists():
        same &= (folder / "SHA256").read_text("utf-8").strip() == hexdigest
    if not quiet:
        print(f"{folder}: {summary}", file=sys.stderr)
    return hexdigest, same


def ensure(letters: int, seed: int = 0, jobs: int = 1) -> Path:
    """Return the corpus folder, building it first when it is missing or incomplete."""
    folder = corpus_dir(letters, seed)
    if not (folder / "SHA256").exists():
        build(letters, seed, jobs)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", "-n", type=int, default=10_000, help="number of letters (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="generator processes")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and compare with the files on disk (exit 1 if any differs)")
    args = parser.parse_args(argv)
    digest, same = build(args.letters, args.seed, args.jobs, check=args.check)
    print(digest)
    if args.check:
        print("same bytes as on disk" if same else "DIFFERENT from the files on disk", file=sys.stderr)
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
