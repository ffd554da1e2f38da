"""The main text block of a page, found by content density, for sites nothing is known about.

One bottom-up pass gathers, for every element, its text length, the part of it inside links and its
sentence punctuation. Each paragraph-like block (an element with text of its own) scores by its
punctuation and length, and hands the score up to its ancestors with decay, as readability does;
a container's score is then discounted by its link density and adjusted by class/id names. The best
container, with siblings that score nearly as well, is the article; inside it, link lists (related
articles, tags, menus) and named chrome (share bars, comments) are skipped while the text is taken,
and each block becomes a line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？!?]")
# Sentence punctuation of Chinese and Western text: prose has it, menus and link lists do not.
_PUNCT = re.compile(r"[，。；：！？、,;!?]")

_POSITIVE = re.compile(
    r"article|content|entry|main|post|text|story|detail|zhengwen|artibody|neirong|news_?con|txt|"
    r"\bcon\b|tpk|rich_media",
    re.IGNORECASE,
)
# Names of blocks that are not the article: text inside them counts for little.
_NEGATIVE = re.compile(
    r"comment|pinglun|related|relate|xiangguan|recommend|tuijian|footer|copyright|sidebar|"
    r"breadcrumb|crumb|\bnav|menu|advert|sponsor|popup|modal|login|subscribe|qrcode|erweima",
    re.IGNORECASE,
)
# Names that only suggest chrome (`hot`, `side`, `more`): a milder discount.
_WEAK_NEGATIVE = re.compile(
    r"\bfoot|\bside|widget|share|fenxiang|location|position|banner|\bad[-_s]?\b|toolbar|\btags?\b|"
    r"keyword|hot|rank|paging|pager|pagination|\bmore\b|weixin|\bhide",
    re.IGNORECASE,
)
# Class/id names of chrome skipped inside the chosen block, whatever their link density: share bars,
# comments, video players, wiki reference lists and infoboxes.
_CHROME = re.compile(
    r"comment|pinglun|share|fenxiang|related|relate|xiangguan|recommend|tuijian|breadcrumb|crumb|"
    r"qrcode|erweima|toolbar|player|references|reflist|infobox|navbox|editsection|catlinks|ambox|"
    r"\bad[-_s]?\b|advert|sponsor|login|subscribe|pagination|pager",
    re.IGNORECASE,
)

# Blocks whose text is no paragraph of an article: the page itself, and headings.
_NOT_PARAGRAPHS = frozenset({"html", "body", "h1", "h2", "h3", "h4", "h5", "h6"})
INLINE_CHROME = 20  # an inline element named as chrome (`[编辑]` links, share buttons) up to this long
SIBLING_SHARE = 0.2  # a sibling scoring this share of the best block joins it
NEAR = 3  # levels above the headline within which a block counts as near it
FAR_PENALTY = 0.5  # score divisor growth per level beyond NEAR (other stories, recommendations)


def _text_len(s: str | None) -> int:
    if not s:
        return 0
    s = s.strip()
    return len(s) - s.count(" ") if s else 0


def _is_chrome(el: etree._Element) -> bool:
    cls, id_ = el.get("class"), el.get("id")
    return bool(cls or id_) and _chrome_names(f"{cls or ''} {id_ or ''}")


@lru_cache(maxsize=4096)
def _chrome_names(names: str) -> bool:
    return _CHROME.search(names) is not None


def _names(el: etree._Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


class Stats:
    """Per-element figures from one pass over the tree, indexed like the element list."""

    def __init__(self, root: etree._Element):
        els = [el for el in root.iter() if isinstance(el.tag, str)]
        self.index = index = {el: i for i, el in enumerate(els)}
        parent = [index.get(el.getparent(), -1) for el in els]
        weight = [1.0] * len(els)  # product of the name factors of the element and its ancestors
        for i, el in enumerate(els):  # parents before children
            cls, id_ = el.get("class"), el.get("id")
            p = parent[i]
            w = weight[p] if p >= 0 else 1.0
            weight[i] = w * _names_factor(f"{cls or ''} {id_ or ''}") if cls or id_ else w
        self.els, self.parent, self.weight = els, parent, weight
        n = len(els)
        text = [0] * n  # non-space characters in the subtree
        link = [0] * n  # ... of which inside <a>
        punct = [0] * n  # sentence punctuation in the subtree
        links = [0] * n  # <a> elements in the subtree
        link_punct = [0] * n  # sentence punctuation inside <a>
        own = [0] * n  # characters of the element's own paragraph (inline content, not in links)
        own_punct = [0] * n
        findall = _PUNCT.findall
        for i in range(n - 1, -1, -1):  # children before parents
            el = els[i]
            tx = el.text
            if tx and not tx.isspace():
                tx = tx.strip()
                t = len(tx) - tx.count(" ")
                pu = len(findall(tx))
                text[i] += t
                punct[i] += pu
                own[i] += t
                own_punct[i] += pu
            tag = el.tag
            if tag == "a":
                link[i] = text[i]
                links[i] += 1
                link_punct[i] = punct[i]
            p = parent[i]
            if p < 0:
                continue
            text[p] += text[i]
            link[p] += link[i]
            punct[p] += punct[i]
            links[p] += links[i]
            link_punct[p] += link_punct[i]
            tail = el.tail
            if tail and not tail.isspace():
                tail = tail.strip()
                t = len(tail) - tail.count(" ")
                pu = len(findall(tail))
                text[p] += t
                punct[p] += pu
                own[p] += t
                own_punct[p] += pu
            if tag not in BLOCK_TAGS and tag != "a":
                # Inline markup (span, strong, font) is part of its block's paragraph.
                own[p] += own[i]
                own_punct[p] += own_punct[i]
        self.text, self.link, self.punct, self.links = text, link, punct, links
        self.link_punct = link_punct
        self.own, self.own_punct = own, own_punct

    def link_density(self, i: int) -> float:
        return self.link[i] / self.text[i] if self.text[i] else 1.0


@lru_cache(maxsize=4096)
def _names_factor(names: str) -> float:
    """How much text inside an element with these class/id names counts."""
    if _NEGATIVE.search(names):
        return 0.2
    if _WEAK_NEGATIVE.search(names) and not _POSITIVE.search(names):
        return 0.6
    return 1.0


_TAG_WEIGHT = {"div": 5, "article": 10, "section": 3, "td": 3, "pre": 3, "blockquote": 3}
_TAG_WEIGHT.update(dict.fromkeys(["ol", "ul", "dl", "dd", "dt", "li", "form", "address"], -3))
_TAG_WEIGHT.update(dict.fromkeys(["h1", "h2", "h3", "h4", "h5", "h6", "th", "header", "footer", "nav"], -5))


def _headline_distance(st: Stats, headline: etree._Element | None) -> list[int] | None:
    """For each element, how many levels above the headline its common ancestor with it lies."""
    if headline is None or headline not in st.index:
        return None
    up: dict[int, int] = {}
    i, level = st.index[headline], 0
    while i >= 0:
        up[i] = level
        i, level = st.parent[i], level + 1
    dist = [0] * len(st.els)
    for i in range(len(st.els)):  # parents come before children in document order
        p = st.parent[i]
        dist[i] = up[i] if i in up else (dist[p] if p >= 0 else level)
    return dist


def main_block(
    root: etree._Element, stats: Stats | None = None, headline: etree._Element | None = None
) -> list[etree._Element]:
    """The elements holding the article text, in document order.

    With the headline known, blocks far from it in the tree (other stories, recommendations) are
    discounted: the article is the dense text near its headline.
    """
    st = stats or Stats(root)
    dist = _headline_distance(st, headline)
    n = len(st.els)
    score = [0.0] * n
    scored = [False] * n
    weight = st.weight
    for i, el in enumerate(st.els):
        own = st.own[i]
        if own < 10 or el.tag not in BLOCK_TAGS or el.tag in _NOT_PARAGRAPHS:
            continue
        s = (1.0 + st.own_punct[i] + min(own / 40.0, 4.0)) * weight[i]
        # A paragraph scores for its container; a container with loose text scores for itself.
        level, p = 0, st.parent[i]
        while p >= 0 and level < 5:
            if not scored[p]:
                scored[p] = True
                score[p] += _TAG_WEIGHT.get(st.els[p].tag, 0)
            score[p] += s / (1 if level == 0 else 2 if level == 1 else level * 3)
            p = st.parent[p]
            level += 1
    best, best_score = -1, 0.0
    for i in range(n):
        if not scored[i] or st.els[i].tag in ("html", "body"):
            continue
        final = score[i] * (1.0 - st.link_density(i))
        if _POSITIVE.search(_names(st.els[i])) and weight[i] == 1.0:
            final *= 1.5
        score[i] = final  # siblings are compared on this: they lie as far from the headline
        if dist is not None and dist[i] > NEAR:
            final /= 1 + (dist[i] - NEAR) * FAR_PENALTY
        if final > best_score:
            best, best_score = i, final
    if best < 0:
        body = root.find(".//body")
        return [body if body is not None else root]
    top = st.els[best]
    parent = top.getparent()
    if parent is None:
        return [top]
    # Siblings that carry text of the same kind belong to the article too (split containers).
    keep = []
    threshold = max(10.0, score[best] * SIBLING_SHARE)
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        j = st.index.get(sib)
        if j is None:
            continue
        if sib is top:
            keep.append(sib)
            continue
        if _is_chrome(sib):
            continue
        strong = scored[j] and score[j] >= threshold and st.link_density(j) < 0.3
        # A lone paragraph beside the block (a summary, a lead) with sentences of its own.
        prose = (
            sib.tag in BLOCK_TAGS
            and st.own[j] >= 40
            and st.own[j] >= 0.8 * st.text[j]
            and st.link_density(j) < 0.25
            and _SENTENCE_END.search("".join(sib.itertext())) is not None
        )
        if strong or prose:
            keep.append(sib)
    return keep


def block_lines(els: list[etree._Element], stats: Stats | None = None, prune: bool = True) -> list[str]:
    """The text of the elements, one line per block, skipping link lists and named chrome."""
    st = stats
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            line = _SPACE.sub(" ", "".join(buf)).strip()
            if line:
                out.append(line)
            buf.clear()

    def skip(el: etree._Element) -> bool:
        if not prune or st is None:
            return False
        i = st.index.get(el)
        if i is None:
            return False
        if st.text[i] and _is_chrome(el) and (el.tag in BLOCK_TAGS or st.text[i] <= INLINE_CHROME):
            return True
        # A block of links (menus, related articles, tag lists): no prose of its own.
        return (
            el.tag in BLOCK_TAGS
            and st.links[i] >= 2
            and st.link_density(i) > 0.5
            and st.punct[i] - st.link_punct[i] < 2
        )

    def walk(top: etree._Element) -> None:
        # An explicit stack, not recursion: broken pages (unclosed <font>, <div>) nest a thousand
        # levels deep. Each entry: ("open", element), ("tail", child, parent is a block), or
        # ("close", element, is a block).
        stack: list[tuple] = [("open", top)]
        while stack:
            entry = stack.pop()
            kind, el = entry[0], entry[1]
            if kind == "open":
                block = el.tag in BLOCK_TAGS
                if block:
                    flush()
                if el.text:
                    buf.append(el.text)
                stack.append(("close", el, block))
                for child in reversed(el):
                    if child.tail:
                        stack.append(("tail", child, block))
                    if isinstance(child.tag, str) and not skip(child):
                        stack.append(("open", child))
            elif kind == "tail":
                if entry[2] and el.tag in BLOCK_TAGS:
                    flush()
                buf.append(el.tail)
            elif entry[2]:
                flush()

    for el in els:
        if not skip(el) or len(els) == 1:
            walk(el)
    flush()
    return out


def first_paragraph(els: list[etree._Element], stats: Stats, min_chars: int = 10) -> etree._Element | None:
    """The first element of the block with a paragraph of text of its own."""
    for top in els:
        for el in top.iter():
            i = stats.index.get(el)
            if i is not None and el.tag in BLOCK_TAGS and stats.own[i] >= min_chars:
                return el
    return None


_PROSE_MARKS = re.compile(r"[。！？!?]|[，,；;].*[，,；;]")


def first_prose(els: list[etree._Element], stats: Stats) -> etree._Element | None:
    """The first paragraph of the block that reads as prose (sentence marks, or clauses), where
    a byline (`日期：… 来源：…`) does not."""
    for top in els:
        for el in top.iter():
            i = stats.index.get(el)
            if i is None or el.tag not in BLOCK_TAGS or el.tag in _NOT_PARAGRAPHS or stats.own[i] < 10:
                continue
            if _PROSE_MARKS.search(_own_text(el)):
                return el
    return None


def _own_text(el: etree._Element, limit: int = 400) -> str:
    """The start of an element's own paragraph: its text and inline children, not nested blocks."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            parts.append(text_upto(child, limit))
        parts.append(child.tail or "")
        if sum(map(len, parts)) > limit:
            break
    return "".join(parts)


def text_upto(el: etree._Element, limit: int) -> str:
    """The text of an element, read no further than about `limit` characters: a broken page nests
    the rest of itself inside an element, and reading all of it for each would be quadratic."""
    parts: list[str] = []
    size = 0
    for t in el.itertext():
        parts.append(t)
        size += len(t)
        if size > limit:
            break
    return "".join(parts)


def stats_for(root: etree._Element) -> Stats:
    """The per-element figures `main_block` and `block_lines` share (computed once per page)."""
    return Stats(root)
