"""Stage 5: page chrome around the article: breadcrumbs, menus, meta and counter lines, related-link
lists, document-sharing chrome, footers, and whatever follows the article (a charter, link lists).

Every rule is about the shape of a line or its site-independent vocabulary; blocks particular to one
site are learnt across its pages (`recurring`, see `SiteProfile`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from extractors.normalise.recurring import block_key

_SENTENCE_END = "。！？!?"
_CLAUSE_PUNCT = re.compile(r"[。！？!?；;]")
_LINK_PUNCT = re.compile(r"[。！？!?；;，,]")

_BREADCRUMB_START = re.compile(
    r"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|所在位置|当前页面)\s*[:：]?"
)
_CRUMB_SEP = re.compile(r"\s*(?:>>?|»|›|→|／|/)\s*")
_CRUMB_MARK = re.compile(r">|»|›|→")

# Labels of the meta line under a headline; counters (点击, 浏览) mark it beyond doubt.
_META_LABEL = re.compile(
    r"(?:信息来源|文章来源|来源|发布时间|发表时间|更新时间|时间|日期|发布人|发布者|发布单位|作者|编辑|"
    r"责任编辑|责编|审核|撰稿|摄影|字号|字体|点击数?|点击量|浏览次数|浏览量?|阅读量?|阅读次数|访问量|次数)"
    r"(?=\s*[:：])"
)
# Kinds of label; a byline names at least two kinds (a date and a source, an author and a date).
_LABEL_KIND = {
    **dict.fromkeys(["信息来源", "文章来源", "来源", "发布人", "发布者", "发布单位"], "source"),
    **dict.fromkeys(["作者", "编辑", "责任编辑", "责编", "审核", "撰稿", "摄影"], "author"),
    **dict.fromkeys(["字号", "字体"], "chrome"),
}
_COUNTER = re.compile(r"(?:点击数?|点击量|浏览次数|浏览量?|阅读量?|阅读次数|访问量)\s*[:：]")

# Document-sharing sites and generic page chrome, by their fixed wording.
_CHROME = re.compile(
    r"开通VIP|VIP会员|会员特权|展开\s*>>|收起\s*<<|共\s*\d*\s*页[,，]?\s*预览\s*\d*\s*页|还剩\s*\d*\s*页未读|"
    r"继续阅读|声明[:：]\s*本文档|本文档由|下载文档|文档下载|立即下载|免费下载|侵权投诉|举报文档|"
    r"格式[:：]\s*(?:DOCX?|PDF|PPTX?|XLSX?|TXT|WPS)|^[^:：]*\.(?:docx?|pdf|pptx?|xlsx?|wps|txt)\s*$|^/\s*\d+$|"
    r"^(?:相关(?:文章|新闻|阅读|链接|推荐|资讯)|推荐阅读|热门(?:文章|推荐|资讯)|猜你喜欢|上一篇|下一篇)|"
    r"返回顶部|返回首页|打印本页|打印此页|关闭窗口|收藏本站|设为首页|加入收藏|分享到|扫一扫|"
    r"版权所有|Copyright|©|ICP备|ICP证|公网安备|技术支持[:：]|网站地图|联系我们|网站声明|"
    r"查看更多|阅读更多|展开全文|阅读全文|查看全文|点击查看|^(?:关键字|关键词|标签|Tags?)\s*[:：]|"
    r"此类(?:内容)?推荐|分享让更多人看到|相关经验资讯|^(?:来自|IP属地\s*[:：]?)\s*\S{2,8}$",
    re.IGNORECASE,
)
# Reprint and platform notices, whatever their punctuation: `未经书面授权请勿转载。`,
# `转载请注明出处`, `本平台仅提供信息存储服务`.
_NOTICE = re.compile(
    r"(?:未经|严禁|禁止|谢绝|不得).{0,12}转载|转载.{0,6}注明|仅提供信息存储|信息存储空间服务|"
    r"不代表本(?:站|网|平台)(?:的)?(?:观点|立场)"
)
MAX_NOTICE = 100
# Whole lines that are a single chrome word.
_CHROME_WORDS = frozenset({
    "免费", "客服", "关注", "海报", "收藏", "分享", "举报", "打印", "关闭", "首页", "主页", "登录", "注册",
    "搜索", "更多", "返回", "评论", "点赞", "下载", "上一页", "下一页", "大", "中", "小",
    "展开", "收起", "播报", "编辑", "不喜欢", "广告", "复制链接", "举报/反馈",
})  # fmt: skip
# A menu: three or more short items between `|` or `·` separators (a table row starts with `|`).
# (`·` only with spaces around it: inside a foreign name it joins its parts.)
_MENU_SEP = re.compile(r"\s*[|｜]\s*|\s+[·•]\s+")
_HEADING = re.compile(
    r"^\s*(?:[—–-]\s*[—–-]\s*)?(?:[一二三四五六七八九十]+[、.．是]|[(（][一二三四五六七八九十\d]+[)）]|"
    r"\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十百\d]+[章节条部分])"
)
# Chrome lines this long or longer are prose that merely mentions a chrome word.
MAX_CHROME = 120


def is_breadcrumb(line: str) -> bool:
    if _BREADCRUMB_START.match(line):
        return True
    if len(line) > 80:
        return False
    parts = [p for p in _CRUMB_SEP.split(line.strip()) if p]
    return (
        len(_CRUMB_MARK.findall(line)) >= 2
        and all(len(p) <= 15 for p in parts)
        and not _CLAUSE_PUNCT.search(line)
    )


def is_meta_line(line: str) -> bool:
    """A byline / counter line under a headline: `来源:… 日期:… 点击:`. A bracketed source note
    closing an article (`（本文来源:…）`) is part of the article."""
    if len(line) > 100 or "。" in line or line.startswith(("(", "（", "[", "【")):
        return False
    if _COUNTER.search(line):
        return True
    labels = {_LABEL_KIND.get(m, "date") for m in _META_LABEL.findall(line)}
    return len(labels) >= 2


# File facts of a document site (`3.0 shokzz 2024-08-18 999+ 40.78KB 4 页`), on a line that is no prose.
_FILE_SIZE = re.compile(r"\d+(?:\.\d+)?\s*[KM]B\b")


def is_menu(line: str) -> bool:
    if line.startswith(("|", "｜")) or _LINK_PUNCT.search(line):
        return False
    items = [p for p in _MENU_SEP.split(line) if p]
    return len(items) >= 3 and len(items) > line.count(" ") / 2 and all(len(p) <= 8 for p in items)


def is_chrome(line: str) -> bool:
    s = line.strip()
    if len(s) >= MAX_CHROME:
        return False
    if s in _CHROME_WORDS or is_menu(s):
        return True
    if len(s) <= MAX_NOTICE and _NOTICE.search(s):
        return True
    if _FILE_SIZE.search(s) and not _LINK_PUNCT.search(s):
        return True
    return not s.endswith(tuple(_SENTENCE_END)) and bool(_CHROME.search(s))


def is_heading(line: str) -> bool:
    return bool(_HEADING.match(line))


def _is_prose(line: str) -> bool:
    return len(line) >= 30 and bool(_CLAUSE_PUNCT.search(line))


_HAN = re.compile(r"[\u3400-\u9fff]")
# Tables, list items, notes, credits (`监制:…`, `作者 王明`) and `label:number` lines are the
# article's own.
_NOT_A_LINK = re.compile(
    r"[|\[\]{}<>【】]|^[-*•·#]|^[^:：]{1,4}[:：]|[:：]\s*[\d(（]|[:：]$|"
    r"^(?:作者|编辑|记者|摄影|摄像|排版|校对|责编|撰文|撰稿|编译|统筹|策划|监制|出品)\s"
)
# A list of short names or terms (`田金昌、张维亮、党晓龙`): a table cell, not a headline.
_NAME_LIST = re.compile(r"^[^、，,;；\s]{1,4}(?:[、，,;；]\s*[^、，,;；\s]{1,4})+$")


def _is_link_like(line: str) -> bool:
    """A related-article headline or a section label: short Chinese text without clause punctuation,
    not numbered, not a table row, list item, name list or `label: value` line."""
    return (
        4 <= len(line) <= 40
        and len(_HAN.findall(line)) >= 0.6 * len(line.replace(" ", ""))
        and not _LINK_PUNCT.search(line)
        and not _NOT_A_LINK.search(line)
        and not _NAME_LIST.match(line)
        and not is_heading(line)
    )


# A tail starts with this many link-like lines in a row, after this much prose; at least
# HEADLINES of them as long as a headline (a table of short labels and names is no tail).
TAIL_RUN = 3
HEADLINES = 2
HEADLINE_CHARS = 8
MIN_PROSE_BEFORE = 200


def article_end(lines: list[str]) -> int:
    """Index where the article's prose ends and a run of link lists and section labels begins
    (related links, then an appended charter or site blurb); len(lines) when there is none."""
    prose = 0
    for i in range(len(lines) - TAIL_RUN + 1):
        run = lines[i : i + TAIL_RUN]
        if (
            prose >= MIN_PROSE_BEFORE
            and all(_is_link_like(ln) for ln in run)
            and sum(len(ln) >= HEADLINE_CHARS for ln in run) >= HEADLINES
        ):
            return i
        if _is_prose(lines[i]):
            prose += len(lines[i])
    return len(lines)


_BULLET = "•·●◆■▪-* \t"
_NOT_A_WORD = re.compile(r"[\d\W]")


def _short_label(line: str) -> bool:
    word = line.strip(_BULLET)
    return 0 < len(word) <= 10 and not _NOT_A_WORD.search(word)


def remove_boilerplate(
    lines: list[str], recurring: Collection[str] = (), tail: bool = True
) -> tuple[list[str], int]:
    """The lines without page chrome, and how many lines were removed; with `tail`, also what
    follows the article's end (`article_end`)."""
    keys = {block_key(r) for r in recurring}
    drop = [
        is_breadcrumb(ln) or is_meta_line(ln) or is_chrome(ln) or (bool(keys) and block_key(ln) in keys)
        for ln in lines
    ]
    # Feature lists and buttons around document-site chrome (`开通VIP…`): short bare words next to
    # it. Lone chrome words (`编辑` beside a heading) take nothing with them.
    for i in range(len(lines)):
        if drop[i] and is_chrome(lines[i]) and lines[i].strip() not in _CHROME_WORDS:
            for step in (1, -1):
                j = i + step
                while 0 <= j < len(lines) and not drop[j] and _short_label(lines[j]):
                    drop[j] = True
                    j += step
    kept = [ln for ln, d in zip(lines, drop) if not d]
    end = article_end(kept) if tail else len(kept)
    return kept[:end], len(lines) - end
