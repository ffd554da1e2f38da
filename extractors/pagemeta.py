"""What a page says about its article: meta tags, JSON-LD, the headline, and labelled byline text.

Government portals (the zones' own sites) carry `ArticleTitle`, `PubDate`, `ContentSource` and
`Author` meta tags; news sites `og:title`, `article:published_time` or JSON-LD `datePublished`.
Bylines under the headline label their fields (`来源:`, `发布时间:`, `作者:`), with full-width
colons and odd spacing.
"""

from __future__ import annotations

import re

from lxml import etree

from extractors.content import text_upto
from extractors.dates import find_dates, parse_date, partial_date, relative_days
from extractors.normalise.spam import is_spam_line

# Meta names (lower case) by field, in order of trust.
TITLE_KEYS = ("articletitle", "og:title", "twitter:title", "headline", "title")
DATE_KEYS = (
    "pubdate", "publishdate", "publish_date", "publishtime", "publish-time", "publish_time", "pubtime",
    "pub_date", "article:published_time", "og:article:published_time", "og:published_time",
    "og:release_date", "og:time", "datepublished", "firstpublishedtime", "article:published",
    "published_time", "publication_date", "releasedate", "weibo:article:create_at", "dc.date.issued",
    "dc.date", "dcterms.issued", "dcterms.created", "created", "date", "publishedtime", "publishdatetime",
    "pub-date", "publish-date", "releasetime", "parsely-pub-date", "sailthru.date", "article.published",
    "bytedance:published_time", "datecreated",
)  # fmt: skip
# Last-change stamps: never the publication date, but they give the year a short byline leaves out.
UPDATE_KEYS = (
    "dateupdate", "datemodified", "article:modified_time", "og:updated_time", "lastmodified", "updatetime",
    "last-modified",
)  # fmt: skip
SOURCE_KEYS = ("contentsource", "source", "og:article:source", "article:source", "mediaid", "og:site_name")
AUTHOR_KEYS = ("author", "article:author", "og:article:author", "dc.creator", "byline")

_SPACE = re.compile(r"\s+")
# Longer labels first, so that `发布时间` is not read as `时间`.
_LABEL = re.compile(
    r"(信息来源|文章来源|稿件来源|新闻来源|来\s*源|出\s*处|发布单位|发布机构|发布人|发布者|作\s*者|撰\s*稿|记\s*者|"
    r"责任编辑|责编|编\s*辑|发布时间|发表时间|发布日期|发稿时间|成文日期|更新时间|日\s*期|时\s*间|"
    r"点击数?|浏览次数|浏览量?|阅读量?|字号|分享到|发布于|IP属地)\s*[:：]\s*"
)
_SOURCE_LABELS = {
    "信息来源", "文章来源", "稿件来源", "新闻来源", "来源", "出处", "发布单位", "发布机构", "发布人", "发布者",
}  # fmt: skip
_AUTHOR_LABELS = {"作者", "撰稿", "记者"}
_EDITOR_LABELS = {"责任编辑", "责编", "编辑"}
_DATE_LABELS = {"发布时间", "发表时间", "发布日期", "发稿时间", "成文日期", "日期", "时间", "更新时间"}
_VALUE_END = re.compile(r"\s{2,}|[\u3000)）】\]|｜，,。；;]|(?:19|20)\d\d[-年/.]")
_SOURCE_END = re.compile(r"\s|[)）】\]|｜，,。；;]|(?:19|20)\d\d[-年/.]")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜–—]|--|\s-\s)\s*")
# a hyphen between figures is a range (`1-9月`), never a separator
_HYPHEN_SUFFIX = re.compile(r"(.{4,}?)(?<!\d)\s*-\s*(?!\d)([^-《》<>()（）]{2,15})$")


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def read_meta(root: etree._Element) -> dict[str, str]:
    """Meta tags by lower-cased name/property/itemprop (the first of each wins)."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if key and value and value.strip():
            meta.setdefault(key.strip().lower(), clean(value))
    # itemprop on visible elements (<time itemprop="datePublished" datetime="...">)
    for el in root.xpath("//*[@itemprop='datePublished' or @itemprop='dateCreated'][not(self::meta)]"):
        value = el.get("datetime") or el.get("content") or "".join(el.itertext())
        if value and value.strip():
            meta.setdefault("datepublished", clean(value))
    return meta


def read_json_ld(root: etree._Element) -> dict[str, str]:
    """`headline`, `datePublished`, `author` from JSON-LD blocks (read before scripts are dropped)."""
    out: dict[str, str] = {}
    scripts = root.xpath("//script[@type='application/ld+json']")
    if not scripts:
        return out
    import json

    def visit(obj) -> None:
        if isinstance(obj, list):
            for o in obj:
                visit(o)
        elif isinstance(obj, dict):
            for key in ("headline", "datePublished", "dateCreated"):
                if isinstance(obj.get(key), str):
                    out.setdefault(key.lower(), clean(obj[key]))
            author = obj.get("author")
            if isinstance(author, dict):
                author = author.get("name")
            if isinstance(author, str):
                out.setdefault("author", clean(author))
            if "@graph" in obj:
                visit(obj["@graph"])

    for s in scripts:
        try:
            visit(json.loads(s.text or ""))
        except ValueError:
            continue
    return out


# Script variables that hold the page's own publication time: `var ct = "1659274471"` (WeChat
# article pages fill their visible time from it), `publish_time: "2024-05-16 10:00"`, `"pubDate":…`.
# The value is looked for first and its name after it: scanning for the names at every position of
# a page's scripts costs ten times as much.
_SCRIPT_VALUE = re.compile(r"""[:=]\s*["']?(1\d{9}(?:\d{3})?|(?:19|20)\d\d[-/年][^"'<>,;]{3,25})""")
_SCRIPT_NAME = re.compile(
    r"""(?<![\w.])(?:ct|create_time|createTime|publish_time|publishTime|pubtime|pubTime|pub_time|pubDate|"""
    r"""pub_date|publishDate|publish_date|datePublished)["']?\s*$"""
)


def script_date(root: etree._Element) -> str | None:
    """The publication date scripts carry, when every such variable on the page agrees.

    Pages that list other articles set the same variables for each of them (`pubDate` of every
    related item): a page with two different dates tells nothing.
    """
    found: set[str] = set()
    for s in root.iter("script"):
        text = s.text
        if not text or s.get("type") == "application/ld+json":
            continue
        for m in _SCRIPT_VALUE.finditer(text):
            if not _SCRIPT_NAME.search(text, max(0, m.start() - 20), m.start()):
                continue
            if d := parse_date(m[1]):
                found.add(d)
                if len(found) > 1:
                    return None
    return found.pop() if found else None


def first_meta(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        if v := meta.get(k):
            return v
    return None


_LEADING_LABEL = re.compile(r"^\s*(?:来源|作者|信息来源|文章来源)\s*[:：]\s*")
_NAME = re.compile(r"^[^\d_@/=<>{}]{2,40}$")


def meta_value(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The first of the meta values, without a label some sites repeat in it (`来源：人民日报`)."""
    v = first_meta(meta, keys)
    return _LEADING_LABEL.sub("", v).strip() or None if v else None


def as_name(value: str | None) -> str | None:
    """A value that reads as a person's or outlet's name (not an id, a URL or an account handle)."""
    value = clean(value)
    return value if value and _NAME.match(value) else None


def meta_name(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return as_name(meta_value(meta, keys))


def meta_date(meta: dict[str, str]) -> str | None:
    for k in DATE_KEYS:
        if (v := meta.get(k)) and (d := parse_date(v)):
            return d
    return None


def strip_site_suffix(title: str) -> str:
    """`标题_新华网` / `标题 - 人民网` / `标题|中国政府网` / `标题-铜雀历史网` -> `标题`."""
    title = clean(title)
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    if len(parts) == 1:
        # A bare hyphen separates only a short site name at the end (not `《A-B规划》`).
        m = _HYPHEN_SUFFIX.match(title)
        return m[1].strip() if m else title
    if not parts:
        return title
    # The headline comes first; a very short first part is a site or column name.
    return parts[0] if len(parts[0]) >= 4 else max(parts, key=len)


def _bigram_set(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _headline_candidates(root: etree._Element) -> list[etree._Element]:
    """`<h1>`..`<h3>`, elements whose class or id names a title, and the text-bearing elements
    inside the latter (a title box often holds the headline and the byline), in document order."""
    body = root.find("body")
    out = []
    inside_box = None  # the title box being walked through
    for el in body.iter() if body is not None else ():
        if inside_box is not None and not _is_inside(el, inside_box):
            inside_box = None
        if el.tag in ("h1", "h2", "h3"):
            out.append(el)
            continue
        cls, id_ = el.get("class"), el.get("id")
        if (cls and ("title" in cls or "Title" in cls or "biaoti" in cls)) or (id_ and "title" in id_):
            out.append(el)
            if inside_box is None and len(el):
                inside_box = el
        elif inside_box is not None and el.text and el.text.strip():
            out.append(el)
    return out


def _is_inside(el: etree._Element, box: etree._Element) -> bool:
    for _ in range(8):
        el = el.getparent()
        if el is None:
            return False
        if el is box:
            return True
    return False


def _text_cells(root: etree._Element) -> list[etree._Element]:
    """Elements with short text of their own outside links: where an unnamed headline can sit."""
    body = root.find("body")
    out = []
    for el in body.iter() if body is not None else ():
        if el.tag == "a" or not el.text or not 4 <= len(el.text.strip()) <= 120:
            continue
        if len(el) <= 3 and next(el.iterancestors("a"), None) is None:
            out.append(el)
    return out


# Raw text (white space included) read from a candidate headline: a headline is far shorter.
_RAW_LIMIT = 600


def _best_match(
    candidates: list[etree._Element], ref_grams: list[set[str]]
) -> tuple[tuple[float, float, int, str, etree._Element] | None, list[etree._Element]]:
    """The best matching candidate, and every candidate that matches as well (in document order):
    pages repeat the headline in a sticky top bar or a print view."""
    best = None
    scored = []
    for rank, el in enumerate(candidates):
        text = clean(text_upto(el, _RAW_LIMIT))
        if not 4 <= len(text) <= 120:
            continue
        grams = _bigram_set(text)
        if not grams:
            continue
        # How much of the (possibly shortened) <title> the element shows, and how much of the
        # element is title: a site logo shows little of it, a header box much besides it.
        recall, precision = max(
            ((len(grams & g) / len(g), len(grams & g) / len(grams)) for g in ref_grams), default=(0.0, 0.0)
        )
        if recall < 0.6 or precision < 0.3:
            continue
        bonus = 0.3 if el.tag == "h1" else 0.2 if el.tag in ("h2", "h3") else 0.0
        key = (recall + bonus, precision, -rank, text, el)
        scored.append(key)
        if best is None or key[:3] > best[:3]:
            best = key
    copies = [k[4] for k in scored if best is not None and k[:2] == best[:2] and k[3] == best[3]]
    return best, copies


def find_headline(
    root: etree._Element, meta: dict[str, str]
) -> tuple[str | None, etree._Element | None, list[etree._Element]]:
    """The article's headline, the element that shows it (None when only meta/<title> has it), and
    every element that shows it as well (the caller picks the one next to the article).

    An `<h1>`..`<h3>` or an element named like a title whose text matches the `<title>` (or the
    `ArticleTitle`/`og:title` meta) wins; site names in `<h1>` logos and section headers do not match.
    A `<title>` of keyword spam (hacked mirror pages) is no reference.
    """
    page_title = clean(root.findtext(".//title"))
    refs = [clean(v) for v in (meta.get("articletitle"), meta.get("og:title"), page_title) if v]
    refs = [r for r in refs if not is_spam_line(r)]
    ref_grams = [g for g in (_bigram_set(strip_site_suffix(r)) for r in refs) if g]
    best, copies = _best_match(_headline_candidates(root), ref_grams)
    if best is None and meta.get("articletitle"):
        return clean(meta["articletitle"]), None, []
    if best is None and any(strip_site_suffix(r) != r for r in refs):
        # Table-layout portals show the headline in a plain cell (`<td class="bt">`); only worth
        # looking for when the <title> has a headline part beside the site name.
        best, copies = _best_match(_text_cells(root), ref_grams)
    if best is not None:
        text = best[3]
        # Buttons inside the headline element (`播报文章`) trail the real headline: cut them off.
        for ref in refs:
            ref = strip_site_suffix(ref)
            if len(ref) >= 4 and text.startswith(ref) and len(text) > len(ref):
                text = ref
                break
        return text, best[4], copies
    # A lone <h1> that does not match the <title> is the headline when it reads like one (the
    # <title> then holds only the site name); a logo <h1> is a short link or image.
    h1s = [h for h in root.iter("h1") if 6 <= len(clean(text_upto(h, _RAW_LIMIT))) <= 120]
    if len(h1s) == 1 and not (len(h1s[0]) == 1 and h1s[0][0].tag == "a" and not (h1s[0].text or "").strip()):
        return clean(text_upto(h1s[0], _RAW_LIMIT)), h1s[0], [h1s[0]]
    for ref in refs:
        if ref:
            return strip_site_suffix(ref), None, []
    return None, None, []


def title_cell(root: etree._Element, meta: dict[str, str]) -> etree._Element | None:
    """A plain element showing the page's <title> (or `ArticleTitle`), where no headline element
    was found: what an old portal's byline row sits under."""
    refs = [clean(v) for v in (meta.get("articletitle"), clean(root.findtext(".//title"))) if v]
    ref_grams = [g for g in (_bigram_set(strip_site_suffix(r)) for r in refs if not is_spam_line(r)) if g]
    best, _ = _best_match(_text_cells(root), ref_grams) if ref_grams else (None, [])
    return best[4] if best else None


# At most this much text between a headline and the article's first paragraph.
HEAD_GAP = 400


def headline_before(
    root: etree._Element, first: etree._Element, index: dict[etree._Element, int], own: list[int]
) -> tuple[str, etree._Element] | None:
    """A headline for a page whose <title> names no article (only the site, or keyword spam): the
    last `<h1>`..`<h3>` or title-named element shortly before the article's first paragraph."""
    start = index.get(first)
    if start is None:
        return None
    best = None
    for el in _headline_candidates(root):
        i = index.get(el)
        if i is None or i >= start:
            break
        text = clean(text_upto(el, _RAW_LIMIT))
        if not 5 <= len(text) <= 80 or text.endswith(("。", "；", "：", ":")):
            continue
        # A link (a list item, a logo, a menu entry) is no headline.
        if (len(el) and all(c.tag == "a" for c in el)) or next(el.iterancestors("a"), None) is not None:
            continue
        best = (text, el, i)
    if best is None:
        return None
    text, el, i = best
    last = i
    for d in el.iterdescendants():
        last = index.get(d, last)
    if sum(own[last + 1 : start]) > HEAD_GAP:
        return None
    return text, el


def has_label(text: str) -> bool:
    """Whether the text carries a byline label (`来源：`, `发布于：`, `浏览次数：` ...)."""
    return _LABEL.search(text) is not None


def _read_date_value(value: str, fields: dict) -> None:
    """A labelled date: a full one, or one without its year or century (`10-08 12:00`, `18-03-08`)
    or a relative day (`昨天`) that the caller completes from other dates on the page."""
    if dates := find_dates(value):
        fields.setdefault("date", dates[0][1])
    elif part := partial_date(value):
        fields.setdefault("partial_date", part)
    elif (days := relative_days(value)) is not None:
        fields.setdefault("days_back", days)


def known_dates(meta: dict[str, str], *more: str | None) -> list[str]:
    """Every full date the page's meta tags (publication and last-change) and the other sources
    give: what a short byline date is completed against."""
    out = [d for k in DATE_KEYS + UPDATE_KEYS if (v := meta.get(k)) and (d := parse_date(v))]
    return out + [d for d in more if d]


def read_byline(text: str) -> dict:
    """Labelled fields in a byline: `source`, `author`, `editor`, `date`, where the text gives them."""
    fields: dict[str, str] = {}
    labels = list(_LABEL.finditer(text))
    for m, nxt in zip(labels, labels[1:] + [None]):
        value = text[m.end() : nxt.start() if nxt else len(text)].strip(" \u3000|｜[]【】()（）")
        label = re.sub(r"\s", "", m[1])
        if not value:
            continue
        if label in _DATE_LABELS:
            _read_date_value(value[:40], fields)
            continue
        # A value ends at a bracket, a wide gap or an unlabelled date (`来源:新华网 2024-05-10`);
        # a source also at a single space (`来源:鞭牛士 北京 举报`).
        end = _SOURCE_END if label in _SOURCE_LABELS else _VALUE_END
        value = end.split(value)[0].strip(" |｜")
        if not value or len(value) > 40:
            continue
        if label in _SOURCE_LABELS:
            fields.setdefault("source", value)
        elif label in _AUTHOR_LABELS and (name := as_name(value.split()[0])):
            fields.setdefault("author", name)
        elif label in _EDITOR_LABELS and (name := as_name(value.split()[0])):
            fields.setdefault("editor", name)
    return fields
