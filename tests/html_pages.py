"""Government web pages of our own making: a letter's text wrapped in a page shell (tests and bench).

`page(shell, title, body_lines, seed)` returns ``(html_bytes, chrome_lines)``: the page and the chrome
strings it added (navigation, breadcrumb, toolbars, metadata table, previous/next links, related lists,
footer with ICP and 公网安备 numbers) so that a measurement can check which of them an extractor kept.
The shells follow the field guide's shapes (Part 1 §6, Part 2 A1-A7): an old table layout in GB2312,
a TRS-style 政务公开 page with a metadata table, a modern portal article, and a mirror/content-farm copy.
Every name, number and site below is invented.
"""
from __future__ import annotations

import html
import random

__all__ = ["SHELLS", "page", "letter_parts", "PAGE_META"]

SHELLS = ("table", "trs", "portal", "mirror")

# What each shell declares in <head>: the page metadata dafu keeps in `metadata` (never date/issuer).
PAGE_META = {"published": "2024-11-05 09:30", "publisher": "某市人力资源和社会保障局网站"}

_SITES = ["某市人力资源和社会保障局", "某省人力资源和社会保障厅", "某县人民政府", "某区人民政府门户网站"]
_NAV = ["首页", "机构概况", "政务公开", "政务服务", "互动交流", "专题专栏", "办事指南", "数据发布"]
_RELATED = ["关于做好2024年高校毕业生就业工作的通知", "市人社局召开全市技能人才工作推进会",
            "关于公布2023年度人力资源服务机构名单的公告", "我市举办春风行动专场招聘会",
            "关于调整最低工资标准的通知", "全市劳动保障监察工作会议召开"]
_SPAM = ["某某体育app官网下载_最新版", "某某娱乐平台注册送彩金", "热门关键词2 热门关键词3"]


def letter_parts(text: str) -> tuple[str, list[str]]:
    """Return (title line, the other non-empty lines) of a letter: the title is the first line naming 关于/答复."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for k, line in enumerate(lines[:8]):
        if ("关于" in line or "答复" in line or "复函" in line) and not line.endswith(("：", ":")) and len(line) < 80:
            return line, lines[:k] + lines[k + 1:]
    return lines[0], lines[1:]


def _p(lines: list[str], style: str = ' style="text-indent:2em;"') -> str:
    return "\n".join(f"<p{style}>{html.escape(line)}</p>" for line in lines)


def _footer(rng: random.Random, site: str) -> list[str]:
    n = rng.randint(10000000, 99999999)
    return [f"主办单位：{site}", f"版权所有：{site} 网站地图", f"网站标识码：44{rng.randint(10000000, 99999999)}",
            f"ICP备案序号：某ICP备{n}号-1", f"某公网安备 {rng.randint(10 ** 12, 10 ** 13 - 1)}号",
            f"地址：某市某路{rng.randint(1, 300)}号 联系电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}"]


def _table(title: str, body: list[str], rng: random.Random) -> tuple[str, list[str], str]:
    site = _SITES[0]
    crumb = "当前位置：首页 > 政务公开 > 建议提案办理"
    footer = _footer(rng, site)
    tools = "【字体：大 中 小】 【打印本页】 【关闭窗口】"
    nav = "".join(f'<td class="nav"><a href="/{k}/">{n}</a></td>' for k, n in enumerate(_NAV))
    chrome = [*_NAV, crumb, tools, *footer]
    doc = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{html.escape(title)}</title>
<meta name="PubDate" content="{PAGE_META['published']}">
<meta name="ContentSource" content="{PAGE_META['publisher']}">
</head><body>
<table width="1000" align="center"><tr>{nav}</tr></table>
<table width="1000" align="center"><tr><td class="crumb">{crumb}</td></tr></table>
<table width="1000" align="center" class="main"><tr><td>
<table width="100%"><tr><td align="center" class="title"><b>{html.escape(title)}</b></td></tr>
<tr><td align="center">发布时间：{PAGE_META['published']}  {tools}</td></tr></table>
<table width="100%"><tr><td class="bt_content" id="zoom">
{'<br>'.join('&nbsp;&nbsp;&nbsp;&nbsp;' + html.escape(line) for line in body)}
</td></tr></table>
</td></tr></table>
<table width="1000" align="center" class="footer"><tr><td>{'<br>'.join(footer)}</td></tr></table>
</body></html>"""
    return doc, chrome, "gb2312"


def _trs(title: str, body: list[str], rng: random.Random) -> tuple[str, list[str], str]:
    site = _SITES[1]
    crumb = "您当前的位置：首页 > 政务公开 > 建议提案办理 > 人大代表建议"
    prev_next = [f"上一篇：{_RELATED[rng.randrange(6)]}", f"下一篇：{_RELATED[rng.randrange(6)]}"]
    meta_rows = [("索引号", f"11440000MB{rng.randint(1000, 9999)}X/2024-0{rng.randint(1000, 9999)}"),
                 ("分类", "综合政务"), ("发布机构", "某省人力资源和社会保障厅"), ("发布日期", "2024-11-05")]
    footer = _footer(rng, site)
    widgets = ["分享到：", "扫一扫在手机打开当前页", "【打印】 【关闭】"]
    chrome = ["无障碍浏览", "长者模式", *_NAV, crumb, *widgets, *prev_next, *footer]
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{html.escape(title)}_{site}</title>
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="建议提案办理">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{PAGE_META['published']}">
<meta name="ContentSource" content="{PAGE_META['publisher']}">
<meta name="keywords" content="建议,提案,答复">
</head><body>
<div class="top"><div class="top-links"><a href="#">无障碍浏览</a> <a href="#">长者模式</a></div></div>
<div class="nav"><ul>{''.join(f'<li><a href="/c{k}/">{n}</a></li>' for k, n in enumerate(_NAV))}</ul></div>
<div class="location">{crumb}</div>
<div class="xxgk-table"><table>{''.join(f'<tr><th>{k}：</th><td>{v}</td></tr>' for k, v in meta_rows)}</table></div>
<div class="article">
<h1 class="article-title">{html.escape(title)}</h1>
<div class="article-info"><span>发布日期：{PAGE_META['published']}</span> <span>来源：本网</span></div>
<div class="TRS_Editor">
{_p(body)}
</div>
<div class="share">{'</div><div class="share">'.join(widgets)}</div>
<div class="prevnext"><p>{'</p><p>'.join(html.escape(x) for x in prev_next)}</p></div>
</div>
<div class="footer">{''.join(f'<p>{x}</p>' for x in footer)}</div>
</body></html>"""
    return doc, chrome, "utf-8"


def _portal(title: str, body: list[str], rng: random.Random) -> tuple[str, list[str], str]:
    site = _SITES[3]
    crumb = "首页 / 政务公开 / 建议提案 / 正文"
    related = rng.sample(_RELATED, 4)
    footer = _footer(rng, site)
    chrome = [*_NAV, crumb, "相关文章", *related, "热门词条", *footer]
    doc = f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{html.escape(title)} - {site}</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{PAGE_META['published']}">
<meta name="author" content="{PAGE_META['publisher']}">
</head><body>
<header><nav>{''.join(f'<a href="/n{k}">{n}</a>' for k, n in enumerate(_NAV))}</nav></header>
<div class="breadcrumb">{crumb}</div>
<main><article>
<h1>{html.escape(title)}</h1>
<div class="meta"><time datetime="2024-11-05">{PAGE_META['published']}</time> 浏览次数：{rng.randint(10, 999)}</div>
<section class="content">
{_p(body, '')}
</section>
</article>
<aside><h3>相关文章</h3><ul>{''.join(f'<li><a href="/a{k}">{x}</a></li>' for k, x in enumerate(related))}</ul>
<h3>热门词条</h3></aside></main>
<footer>{''.join(f'<p>{x}</p>' for x in footer)}</footer>
</body></html>"""
    return doc, chrome, "utf-8"


def _mirror(title: str, body: list[str], rng: random.Random) -> tuple[str, list[str], str]:
    spam = _SPAM[rng.randrange(len(_SPAM))]
    hot = rng.sample(_RELATED, 5)
    chrome = [spam, "网友上传，不代表本站观点", "热门文章", *hot, "推荐阅读", "联系我们 | 免责声明",
              "某某文库 Copyright 2024"]
    hot_list = "".join(f'<li><a href="/{k}.html">{x}</a></li>' for k, x in enumerate(hot))
    doc = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>{html.escape(title)}-某某文库</title>
<meta name="description" content="{html.escape(body[0][:60] if body else title)}">
</head><body>
<div class="spam-top">{spam}</div>
<div class="wrap"><div class="left">
<h1>{html.escape(title)}</h1>
<div class="tips">导语：本文来源于网友上传，不代表本站观点</div>
<div class="post">
{_p(body, '')}
</div>
<div class="recommend"><h4>推荐阅读</h4></div>
</div>
<div class="right"><h3>热门文章</h3><ol>{hot_list}</ol></div></div>
<div class="foot"><p>联系我们 | 免责声明</p><p>某某文库 Copyright 2024</p></div>
</body></html>"""
    return doc, chrome, "utf-8"


_BUILD = {"table": _table, "trs": _trs, "portal": _portal, "mirror": _mirror}


def page(shell: str, title: str, body: list[str], seed: int = 0) -> tuple[bytes, list[str]]:
    """Return (the page's bytes in its declared encoding, the chrome lines the shell added)."""
    doc, chrome, encoding = _BUILD[shell](title, body, random.Random(seed))
    return doc.encode(encoding, errors="xmlcharrefreplace"), chrome
