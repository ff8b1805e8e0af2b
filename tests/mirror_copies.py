"""Mirror copies of letters with the field guide's damage (Part 1 §6 k, Part 2 A6-A7), for tests and bench.

`copies(text, seed)` returns five versions of one letter, as mirror sites serve them:
0 the original; 1 different debris (breadcrumb, toolbar, footer, previous/next links, other line
breaks); 2 a site name injected where the place name was; 3 a spam line above the title and spam
keywords inside the text; 4 truncated (the first 45-70%). `different_letters(n, seed)` returns n
letters that are not copies of each other: the invented pages and letters, then letters assembled
from their sentences (shared opening and closing formulas, as one bureau's replies have).
"""
from __future__ import annotations

import random
import re
from pathlib import Path

__all__ = ["copies", "different_letters", "sibling", "DAMAGE", "corpus"]

ROOT = Path(__file__).resolve().parent.parent
DAMAGE = ("original", "debris", "site_name", "spam", "truncated")
_SITES = ["某某体育_某某app$官网平台", "某某素材库", "某某文库网", "某某资料网官方网站"]
_SPAM = ["某某娱乐平台注册送彩金 最新版下载", "热门关键词2 热门关键词3 某某app", "某某体育官网 某某平台 欢迎您"]
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:市|县|区|省)")


def corpus() -> list[tuple[str, str]]:
    """Return (name, text) of every invented letter and page in the repository, sorted by name."""
    paths = (sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests/letters").glob("*.txt"))
             + sorted((ROOT / "tests/holdout").glob("*.txt")) + sorted((ROOT / "tests/pages").glob("*/*.txt")))
    return [(str(p.relative_to(ROOT)), p.read_text("utf-8")) for p in paths]


def copies(text: str, seed: int = 0) -> list[str]:
    """Return the five mirror versions of `text` (see the module docstring), in DAMAGE order."""
    rng = random.Random(seed)
    lines = text.splitlines()
    debris = ["当前位置：首页 > 信息公开 > 建议提案", "字体：[大] [中] [小]  打印本页  关闭窗口", "分享到："]
    footer = [f"上一条：关于第{rng.randint(1, 300)}号建议的答复", "扫一扫在手机打开当前页",
              f"网站标识码：44{rng.randint(10 ** 7, 10 ** 8 - 1)}  某ICP备{rng.randint(10 ** 7, 10 ** 8 - 1)}号-1"]
    with_debris = "\n\n".join(debris + [line.strip() for line in lines] + footer)
    site = rng.choice(_SITES)
    places = sorted(set(_PLACE.findall(text)))
    injected = text
    for place in places[:2]:
        injected = injected.replace(place, site)
    if injected == text:
        injected = site + "\n" + text.replace("我局", site, 2)
    spam_lines = list(lines)
    spam_lines.insert(0, rng.choice(_SPAM))
    k = rng.randrange(2, max(3, len(spam_lines)))
    half = len(spam_lines[k]) // 2
    spam_lines[k] = spam_lines[k][:half] + f"[{rng.choice(_SITES)}]" + spam_lines[k][half:]
    cut = int(len(text) * rng.uniform(0.45, 0.7))
    return [text, with_debris, injected, "\n".join(spam_lines), text[:cut]]


def _sentences(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for part in re.split(r"(?<=[。；！？])", text.replace("\n", "")):
            if 15 <= len(part) <= 120:
                found.append(part)
    return sorted(set(found))


def different_letters(n: int, seed: int = 0, exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Return n (name, text) letters, none a copy of another (see the module docstring)."""
    rng = random.Random(seed)
    real = [(name, text) for name, text in corpus() if name not in exclude]
    pool = _sentences([t for _, t in real])
    found = real[:n]
    k = 0
    while len(found) < n:
        k += 1
        body = rng.sample(pool, rng.randint(8, 20))
        body = [re.sub(r"\d+", lambda m: str(rng.randint(1, 9999)), s) for s in body]
        text = "\n".join([f"关于市政协第{rng.randint(1, 500)}号提案的答复", f"{rng.choice('王李张刘陈杨赵')}某某委员：",
                          "您提出的关于加强职业技能培训的提案收悉。经研究，现答复如下：", *body,
                          "感谢您对我们工作的关心和支持。", "此复。", "某市人力资源和社会保障局",
                          f"20{rng.randint(10, 24)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"])
        found.append((f"assembled/{k:03d}", text))
    return found


def sibling(text: str, share: float, seed: int = 0) -> str:
    """Return another letter of the same bureau: same formulas, each body paragraph kept with chance
    `share` or replaced by as much text from other letters' sentences, another proposal number (not a copy)."""
    rng = random.Random(seed)
    pool = _sentences([t for _, t in corpus()])
    lines = text.splitlines()
    number, serial = rng.randint(600, 999), rng.randint(300, 599)
    out = []
    for k, line in enumerate(lines):
        if 2 < k < len(lines) - 4 and len(line) > 15 and rng.random() > share:
            new = ""
            while len(new) < len(line):  # as much other text as the paragraph it replaces
                new += rng.choice(pool)
            line = new
        line = re.sub(r"第\d+号", f"第{number}号", line)
        out.append(re.sub(r"([〔【\[（(]\d{4}[〕】\]）)])\d+号", lambda m: f"{m.group(1)}{serial}号", line))
    return "\n".join(out)
