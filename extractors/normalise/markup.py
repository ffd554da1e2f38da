"""Stage 1 of normalisation, on the HTML tree: remove what a reader never sees as text.

Ruby annotations (`<rt>`, `<rp>`, `<rtc>`: pinyin over characters), scripts, styles, embedded
objects and form controls, and elements hidden by `hidden`, `display:none` or `visibility:hidden`
are dropped before any text is taken, so pinyin readings and hidden SEO text never reach the body.
"""

from __future__ import annotations

import re

from lxml import etree

# Dropped with their content; the text after them (their tail) stays.
INVISIBLE_TAGS = (
    "script", "style", "noscript", "template", "rt", "rp", "rtc", "iframe", "object", "embed",
    "svg", "canvas", "select", "textarea", "button", "input", "map", "audio", "video", "link",
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TEXT_SIZE = etree.XPath("string-length(normalize-space(.))")
_HIDDEN = etree.XPath(
    "//*[@hidden or @style[contains(., 'none') or contains(., 'hidden')] or @type='hidden']"
)


def drop_invisible(root: etree._Element) -> int:
    """Remove invisible elements from the tree in place; returns how many hidden elements went.

    Scripts, styles and ruby annotations are not counted: every page has them.
    """
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *INVISIBLE_TAGS, with_tail=False)
    dropped = 0
    total = None
    for el in _HIDDEN(root):
        style = el.get("style", "")
        if el.get("hidden") is None and el.get("type") != "hidden" and not _HIDDEN_STYLE.search(style):
            continue
        if el.getparent() is None or el.tag in ("html", "body"):
            continue
        if total is None:
            total = _text_size(root)
        # Pages that reveal their article by script hide it in the markup: keep a block holding
        # much of the page's text (hidden keyword spam is small).
        if _text_size(el) > 0.25 * total:
            continue
        _drop_keep_tail(el)
        dropped += 1
    return dropped


def _text_size(el: etree._Element) -> int:
    return int(_TEXT_SIZE(el))


# Characters lxml keeps from a page but refuses when text is set: they mean nothing in a page.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _drop_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = CONTROL_CHARS.sub("", (prev.tail or "") + el.tail)
        else:
            parent.text = CONTROL_CHARS.sub("", (parent.text or "") + el.tail)
    parent.remove(el)
