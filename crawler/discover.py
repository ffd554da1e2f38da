"""Find a zone portal's columns, article pattern and pagination by itself: pure functions on HTML.

A zone portal is walked the way a person reads it: the home page's menu names the columns worth
crawling (新闻动态, 通知公告, 政策文件, 统计数据 …, named by a link's text, its image's alt text or
its title; some under a 政务公开 page, or two hubs down: 政务公开 > 法定主动公开内容); on a column's
list page the article links are the largest group of sibling links that share one URL shape
(`/xwdt/202301/t20230115_4567.html` -> `/xwdt/\\d+/t\\d+_\\d+\\.html`), preferring date-stamped
ones, links of a list written into a script as data (Jcms's `<script type="text/xml">` datastore)
included; the pagination is a `下一页` or page-number link, a `createPageHTML(...)` script call, or
a Jcms datastore's further groups (dataproxy.jsp list pages). A list paged only by ASP.NET
`__doPostBack` form posts is read on its first page, and the entry says so.
Login, search, menu and off-site pages are never taken for a column or an article.

Everything here but `discover_site` is a function of a page's text and URL; `discover_site` reads
pages through a `fetch` callable, so tests and the CLI decide how (and how politely) to fetch.

    found = discover_site("http://www.example.gov.cn/", fetch)
    print(found.yaml("example"))     # a crawler/sites.yaml entry for the portals spider
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import yaml
from parsel import Selector
from w3lib.encoding import html_to_unicode

from crawler.safety import site_key

# Menu words per kind of column, most specific first. A link names a column when its text holds one
# of them and is short (a menu item, not an article title such as `关于开展…的通知`).
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "news": ("新闻动态", "园区动态", "工作动态", "高新动态", "园区新闻", "新闻中心", "新闻资讯", "要闻", "动态", "新闻"),
    "notice": ("通知公告", "公示公告", "公告公示", "通知", "公告", "公示"),
    "policy": ("政策文件", "政策法规", "政策解读", "规范性文件", "政策", "文件", "法规"),
    "stats": ("统计数据", "统计信息", "数据发布", "统计公报", "经济数据", "经济运行", "统计", "数据"),
}  # fmt: skip
# Pages that gather columns (a 政务公开 page listing 政策文件, 统计数据 ...): read one level down.
HUB_WORDS = ("政务公开", "信息公开", "政府信息公开", "新闻中心", "数据中心", "公开目录", "主动公开")
HUB_DEPTH = 2  # 政务公开 > 法定主动公开内容 > 政策文件: a hub's own hubs are read too
MAX_HUBS = 6
MAX_MENU_TEXT = 10
# Texts and URL words of pages that are never columns nor articles.
REJECT_TEXT = ("登录", "登陆", "注册", "搜索", "检索", "查询", "无障碍", "网站地图", "English", "信箱", "留言")  # fmt: skip
REJECT_TOKENS = frozenset({
    "login", "logon", "signin", "signup", "register", "reg", "passport", "sso", "cas", "search", "jrobot",
    "was5", "member", "admin", "user", "logout", "guestbook", "mailbox",
})  # fmt: skip
NOT_PAGES = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".css", ".js", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt",
    ".pptx", ".zip", ".rar", ".7z", ".wps", ".ofd", ".mp4", ".mp3", ".flv", ".txt", ".xml",
})  # fmt: skip
MORE_WORDS = ("更多", "more", "MORE", "More", "")
NEXT_WORDS = ("下一页", "下页", "后页", "下一页>", "下一页>>", "next", "Next", ">", "›")
# Paths of list and menu pages: their links are never articles however many share a shape.
LISTY = re.compile(
    r"(?:^|/)(?:index|list|default|node|col|more)[\w-]*\.(?:s?html?|php|jsp|aspx?)$|/$"
    r"|[?&](?:page|pagenum|pageindex|a=lists|c=list)",
    re.I,
)
DATE_STAMP = re.compile(
    r"(?:19|20)\d{2}[-_/]?(?:0[1-9]|1[0-2])[-_/]?(?:0[1-9]|[12]\d|3[01])(?!\d)"  # 20230115, 2023-01-15
    r"|/(?:19|20)\d{2}/\d{1,2}/\d{1,2}/"  # /2023/1/15/
    r"|/(?:19|20)\d{2}(?:0[1-9]|1[0-2])/"  # /202301/
)
CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
# Lists written into a script as data (Jcms/大汉's `<script type="text/xml"><datastore>…`, records
# as CDATA): their markup is read as the page's own.
XML_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?text/xml[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S
)
CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
POSTBACK = re.compile(r"^\s*javascript:\s*__doPostBack\s*\(", re.I)
TOTAL_PAGES = re.compile(r"共\s*(\d{1,4})\s*页")


@dataclass
class Link:
    url: str
    text: str
    box: str = ""  # the list (ul, ol, table, dl) the link sits in, as an XPath of the page


@dataclass
class Column:
    """A column of the portal worth crawling: its menu name, kind (news, notice, policy, stats)
    and first list page."""

    name: str
    kind: str
    url: str


@dataclass
class Pagination:
    """How a list goes on: `template` relative to its first page (`index_{i}.html`, {n} = page
    number, {i} = n - 1), or a next link with text `next_text`; `pages` when the list says."""

    template: str | None = None
    next_text: str | None = None
    pages: int | None = None
    script: bool = False  # paginated only by a createPageHTML-style script call
    # further list pages of the column that no template gives (a Jcms datastore's next groups)
    groups: list[str] = field(default_factory=list)
    postback: bool = False  # paged only by ASP.NET __doPostBack form posts: page 1 alone is read

    @property
    def walkable(self) -> bool:
        """Whether a page template or a next link walks the list on."""
        return bool(self.template or self.next_text)


@dataclass
class ColumnFound:
    column: Column
    articles: list[str]
    pagination: Pagination | None


@dataclass
class SiteDiscovery:
    """What discovery found on one portal, and the sites.yaml entry that crawls it."""

    base_url: str
    columns: list[ColumnFound] = field(default_factory=list)
    article: str | None = None
    page_template: str | None = None
    next_text: str | None = None
    max_pages: int = 20
    sitemap: str | None = None
    sitemap_articles: list[str] = field(default_factory=list)
    feed: str | None = None  # an RSS/Atom feed with article links (path from the site's root)
    feed_articles: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # candidate columns without article links

    def entry(self, name: str, authority: str = "official") -> dict:
        """The crawler/sites.yaml entry (as the portals spider reads it)."""
        if not self.article:
            raise ValueError(f"no article links found on {self.base_url}")
        entry: dict = {
            "name": name,
            "base_url": self.base_url,
            "lists": [relative_to_base(u, self.base_url) for u in self.list_urls()],
            "article": self.article,
        }
        if self.page_template:
            entry["page_template"] = self.page_template
        elif self.next_text:
            entry["next"] = next_xpath(self.next_text)
        entry["max_pages"] = self.max_pages
        if self.sitemap:
            entry["sitemap"] = self.sitemap
        entry["authority"] = authority
        return entry

    def list_urls(self) -> list[str]:
        """Each column's first list page, and the list pages no pagination rule reaches (a Jcms
        datastore's further groups of records)."""
        urls = [c.column.url for c in self.columns]
        urls += [u for c in self.columns if c.pagination for u in c.pagination.groups]
        return list(dict.fromkeys(urls))

    def yaml(self, name: str, authority: str = "official") -> str:
        """The entry as YAML, with a comment naming each column found, for a person to review."""
        lines = [f"# discovered from {self.base_url}"]
        for c in self.columns:
            pages = (c.pagination.pages or "?") if c.pagination else 1
            lines.append(
                f"#   {c.column.kind}: {c.column.name} {c.column.url} ({len(c.articles)} articles on page 1,"
                f" {pages} pages)"
            )
            if c.pagination and c.pagination.groups:
                lines.append(
                    f"#     its further records: {len(c.pagination.groups)} dataproxy list pages, listed"
                )
            if c.pagination and c.pagination.postback:
                lines.append("#     paged only by __doPostBack (form posts): page 1 alone is crawled")
        lines += [f"#   not a column (no article links): {u}" for u in self.skipped]
        if self.feed:  # sites.yaml cannot crawl a feed; `crawl zones` reads it
            lines.append(f"#   feed: {self.feed} ({len(self.feed_articles)} article links)")
        body = yaml.safe_dump([self.entry(name, authority)], allow_unicode=True, sort_keys=False, width=1000)
        return "\n".join(lines) + "\n" + body

    def pagination_kind(self) -> str:
        """How the lists are walked: `script` (a page template that only a createPageHTML-style
        call gives), `template` (page links), `next` (the next link), or `none` (one page each)."""
        if self.page_template:
            scripted = any(c.pagination and c.pagination.script for c in self.columns)
            return "script" if scripted else "template"
        return "next" if self.next_text else "none"

    def summary(self) -> dict:
        """What was found, for a run's stats and the database: columns, pattern, pages."""
        return {
            "base_url": self.base_url,
            "columns": [
                {
                    "name": c.column.name,
                    "kind": c.column.kind,
                    "url": c.column.url,
                    "articles": len(c.articles),
                    **({"postback": True} if c.pagination and c.pagination.postback else {}),
                    **({"groups": len(c.pagination.groups)} if c.pagination and c.pagination.groups else {}),
                }
                for c in self.columns
            ],
            "article": self.article,
            "page_template": self.page_template,
            "next": self.next_text,
            "max_pages": self.max_pages,
            "sitemap": self.sitemap,
            "feed": self.feed,
            "pagination": self.pagination_kind(),
        }


# ---- pages and links -------------------------------------------------------------------------


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """A page's text: the charset of its header, else of its <meta>, else sniffed (GBK portals)."""
    return html_to_unicode(content_type, body)[1]


def same_site(url: str, base: str) -> bool:
    """On the portal's own host (www. or not) and port; anything else is off-site."""
    return urlsplit(url).scheme in ("http", "https") and site_key(url) == site_key(base)


def readable_markup(html: str) -> str:
    """HTML with the lists a page writes into a script as data (Jcms's `<script type="text/xml">`
    datastore of CDATA records, or dataproxy.jsp's answer) turned into the page's own markup."""
    if "<![CDATA[" not in html and not XML_SCRIPT.search(html):
        return html
    return _unwrap_cdata_outside_scripts(XML_SCRIPT.sub(lambda m: m.group(1), html))


def _unwrap_cdata_outside_scripts(html: str) -> str:
    """CDATA sections opened outside a script (a script's `//<![CDATA[` guard stays code)."""
    out, pos = [], 0
    for m in re.finditer(r"<script\b.*?</script\s*>", html, re.I | re.S):
        out += [CDATA.sub(lambda c: c.group(1), html[pos : m.start()]), m.group(0)]
        pos = m.end()
    out.append(CDATA.sub(lambda c: c.group(1), html[pos:]))
    return "".join(out)


def link_text(a) -> str:
    """What a link says: its text, else its image's alt text, else its title (menus of images)."""
    text = " ".join(a.xpath("string()").get("").split())
    return text or " ".join(a.xpath(".//img/@alt").get("").split()) or a.attrib.get("title", "").strip()


def page_links(html: str, url: str) -> list[Link]:
    """The page's links in order, absolute and without fragment, each with its text. A `更多>>`
    link takes the text of the heading beside it; script, mail and in-page links are left out."""
    sel = Selector(text=readable_markup(html))
    tree = sel.root.getroottree() if hasattr(sel.root, "getroottree") else None
    out = []
    for a in sel.xpath("//a[@href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:", "tel:")):
            continue
        text = link_text(a)
        if text.strip("<>»›+ 》…").strip() in MORE_WORDS:
            parent = " ".join(a.xpath("string(..)").get("").split())
            text = parent.replace(text, "").strip() if text else parent
        out.append(Link(urljoin(url, href).split("#", 1)[0], text, _box(a.root, tree)))
    return out


def _box(element, tree) -> str:
    """The XPath of the list (ul, ol, table, dl) around ELEMENT, or '' when it is in none."""
    for parent in element.iterancestors("ul", "ol", "table", "dl"):
        return tree.getpath(parent) if tree is not None else ""
    return ""


def url_tokens(url: str) -> set[str]:
    parts = urlsplit(url)
    return set(re.split(r"[^a-z0-9]+", f"{parts.path}?{parts.query}".lower())) - {""}


def rejected(link: Link) -> bool:
    """A login, search or utility page, or a file that is not a page: never a column or an article."""
    if any(w in link.text for w in REJECT_TEXT) or url_tokens(link.url) & REJECT_TOKENS:
        return True
    path = urlsplit(link.url).path.lower()
    return any(path.endswith(ext) for ext in NOT_PAGES)


def column_kind(text: str) -> str | None:
    """news, notice, policy or stats when TEXT is a short menu text naming such a column."""
    if not text or len(text) > MAX_MENU_TEXT:
        return None
    for kind, words in COLUMN_WORDS.items():
        if any(w in text for w in words):
            return kind
    return None


def find_columns(html: str, url: str, base: str | None = None) -> list[Column]:
    """The news, notice, policy and statistics columns a page's menu and headings link to, on the
    site only, first mention first, each list page once."""
    base = base or url
    seen: dict[str, Column] = {}
    for link in page_links(html, url):
        kind = column_kind(link.text)
        if kind and same_site(link.url, base) and not rejected(link) and not DATE_STAMP.search(link.url):
            seen.setdefault(link.url, Column(link.text, kind, link.url))
    return list(seen.values())


def find_hubs(html: str, url: str, base: str | None = None) -> list[str]:
    """Pages such as 政务公开 that gather columns: read one level down for more columns."""
    base = base or url
    hubs: dict[str, None] = {}
    for link in page_links(html, url):
        if (
            any(w in link.text for w in HUB_WORDS)
            and len(link.text) <= MAX_MENU_TEXT
            and same_site(link.url, base)
            and not rejected(link)
        ):
            hubs.setdefault(link.url, None)
    return list(hubs)


# ---- article links by URL shape ----------------------------------------------------------------


def path_and_query(url: str) -> str:
    """What SiteRules.is_article matches: the path, and `?query` where there is one."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def url_shape(url: str) -> str:
    """The regex of URLs like this one: literal text kept, every run of digits any number, every
    long hex id any hex id."""
    pieces = HEX_OR_DIGITS.split(path_and_query(url))
    return "".join(_variable(p) if i % 2 else _escape(p) for i, p in enumerate(pieces))


# A run of digits, or a hex id (`8add504610dd1da2c30972718f460ac3.shtml` on chinatorch.gov.cn,
# GUIDs elsewhere): the parts of an article URL that change from one article to the next.
HEX_OR_DIGITS = re.compile(r"((?<![0-9a-zA-Z])[0-9a-fA-F]{16,}(?![0-9a-zA-Z])|\d+)")


def _variable(piece: str) -> str:
    return r"\d+" if piece.isdigit() else r"[0-9a-fA-F]+"


def _escape(text: str) -> str:
    """Regex metacharacters escaped, nothing else (`&`, `-`, `/` stay readable in sites.yaml)."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def article_links(html: str, url: str, base: str | None = None) -> list[str]:
    """The article URLs on a list page, in page order: the biggest group of on-site links sharing
    one URL shape, date-stamped groups first, leaving out list, menu and paging links (their paths
    look like lists, or their texts are too short for titles)."""
    base = base or url
    groups: dict[str, dict[str, str]] = {}
    boxes: dict[str, set[str]] = {}
    for link in page_links(html, url):
        if same_site(link.url, base) and not rejected(link) and link.url != url:
            groups.setdefault(url_shape(link.url), {}).setdefault(link.url, link.text)
            boxes.setdefault(link.url, set()).add(link.box)
    scored = [
        (score, shape, list(links)) for shape, links in groups.items() if (score := _group_score(links))
    ]
    if not scored:
        return []
    _, best_shape, best = max(scored)
    # Articles filed in another folder (`../../zwgk/gsgg/202301/t…html` on a TRS list) have the
    # same file-name shape and sit in the same list: they belong to it too. A link of that shape
    # elsewhere on the page (a sidebar's 领导之窗 page) does not; where the list is no ul, ol,
    # table or dl, nothing tells them apart and all are taken.
    tail = _last_segment(best_shape)
    in_list = {b for u in best for b in boxes[u]} - {""}
    more = [
        u
        for _, shape, links in scored
        if shape != best_shape and _last_segment(shape) == tail
        for u in links
        if not in_list or boxes[u] & in_list
    ]
    return best + more


def _last_segment(shape: str) -> str:
    return shape.split("?", 1)[0].rsplit("/", 1)[-1] + ("?" + shape.split("?", 1)[1] if "?" in shape else "")


def _group_score(links: dict[str, str]) -> tuple[float, int, float] | None:
    """(share date-stamped, size, mean text length) of a group that can be articles, else None."""
    urls = list(links)
    if any(LISTY.search(path_and_query(u)) for u in urls):
        return None
    mean_text = sum(len(t) for t in links.values()) / len(urls)
    dated = sum(1 for u in urls if DATE_STAMP.search(path_and_query(u))) / len(urls)
    # titles are long; a lone undated link is more likely a menu page than an article
    if mean_text < 6 or (len(urls) < 2 and not dated):
        return None
    return (dated, len(urls), mean_text)


def article_regex(urls: list[str]) -> str:
    """One regex matching every URL of the shapes of URLS (and nothing of other shapes)."""
    shapes = sorted({url_shape(u) for u in urls})
    return "^" + (shapes[0] if len(shapes) == 1 else "(?:" + "|".join(shapes) + ")") + "$"


# ---- pagination --------------------------------------------------------------------------------


def pagination(html: str, url: str) -> Pagination | None:
    """How the list at URL (its first page) goes on, or None when it has one page."""
    scripted = script_pagination(html)
    if scripted:
        return scripted
    groups = datastore_groups(html, url)
    if groups:
        return groups
    links = [link for link in page_links(html, url) if same_site(link.url, url) and link.url != url]
    templates: Counter[str] = Counter()
    next_text = None
    numbers = [int(x) for x in TOTAL_PAGES.findall(html)]
    for link in links:
        if link.text in NEXT_WORDS:
            next_text = next_text or link.text
            n = 2
        elif link.text.isdigit() and int(link.text) >= 2:
            n = int(link.text)
            numbers.append(n)
        else:
            continue
        template = page_template(url, link.url, n)
        if template:
            templates[template] += 1
    if not templates and not next_text:
        return Pagination(postback=True) if postback_paging(html) else None
    template = templates.most_common(1)[0][0] if templates else None
    return Pagination(template=template, next_text=next_text, pages=max(numbers) if numbers else None)


def postback_paging(html: str) -> bool:
    """Whether the list goes on only by ASP.NET `__doPostBack` links (page numbers, 下一页): form
    posts with the page's view state, which a crawl of addresses cannot follow."""
    for a in Selector(text=html).xpath("//a[@href]"):
        if POSTBACK.match(a.attrib["href"]):
            text = link_text(a)
            if text in NEXT_WORDS or (text.isdigit() and int(text) >= 2):
                return True
    return False


def datastore_groups(html: str, url: str, max_groups: int = 100) -> Pagination | None:
    """A Jcms (大汉) column that holds more records than its page: the page's datastore gives the
    first group (`<record>`s), `<totalrecord>` the count, and `<nextgroup>` the dataproxy.jsp
    request for the rest, asked as `…dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&<its
    parameters>`, one list page per group."""
    total = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", html, re.I)
    nextgroup = re.search(r"<nextgroup>.*?href\s*=\s*[\"']([^\"']+)", html, re.I | re.S)
    size = len(re.findall(r"<record\b", html, re.I))
    if not (total and nextgroup and size) or int(total.group(1)) <= size:
        return None
    proxy = urlsplit(urljoin(url, nextgroup.group(1).strip().replace("&amp;", "&")))
    params = "&".join(p for p in proxy.query.split("&") if p and not p.lower().startswith("page="))
    per = re.search(r"per_?page\W{1,3}(\d+)", html, re.I)
    perpage = per.group(1) if per else "15"
    count = int(total.group(1))
    starts = range(size + 1, count + 1, size)[:max_groups]
    base = urlunsplit((proxy.scheme, proxy.netloc, proxy.path, "", ""))
    groups = [f"{base}?startrecord={s}&endrecord={s + size - 1}&perpage={perpage}&{params}" for s in starts]
    return Pagination(pages=1 + len(groups), groups=[g for g in groups if same_site(g, url)])


def script_pagination(html: str) -> Pagination | None:
    """TRS's `createPageHTML(count, current, "index", "html")` (a div id may come first): pages
    index.html, index_1.html … index_{count-1}.html."""
    m = CREATE_PAGE.search(html)
    if not m:
        return None
    raw = [a.strip() for a in m.group(1).split(",")]
    # many TRS templates pass variables: `var countPage = 5; createPageHTML(countPage, currentPage, …)`
    args = [_script_value(html, a) if re.fullmatch(r"[A-Za-z_]\w*", a) else a.strip("'\"") for a in raw]
    ints = [int(a) for a in args if a.isdigit()]
    strings = [a for a in args if a and not a.isdigit()]
    if not ints or ints[0] < 2:
        return None
    prefix, suffix = (strings[-2], strings[-1]) if len(strings) >= 2 else ("index", "html")
    return Pagination(template=f"{prefix}_{{i}}.{suffix}", pages=ints[0], script=True)


def _script_value(html: str, name: str) -> str:
    """The number or string a script assigns to variable NAME (`var countPage = 5`), else ''."""
    m = re.search(rf"\b{name}\s*=\s*(\d+|\"[^\"]*\"|'[^']*')", html)
    return m.group(1).strip("'\"") if m else ""


def page_template(first: str, page_url: str, n: int) -> str | None:
    """The template (relative to FIRST) that gives PAGE_URL for page N: the last number in it that
    is N becomes {n}, or N - 1 becomes {i}; None when the page lies in another folder."""
    a, b = urlsplit(first), urlsplit(page_url)
    folder = a.path.rsplit("/", 1)[0]
    if b.path.rsplit("/", 1)[0] != folder:
        return None
    rel = b.path.rsplit("/", 1)[1] + (f"?{b.query}" if b.query else "")
    pieces = re.split(r"(\d+)", rel)
    for idx in range(len(pieces) - 1, -1, -1):
        if pieces[idx].isdigit() and int(pieces[idx]) in (n, n - 1):
            slot = "{n}" if int(pieces[idx]) == n else "{i}"
            literal = ["".join(pieces[:idx]), "".join(pieces[idx + 1 :])]
            template = literal[0].replace("{", "{{").replace("}", "}}") + slot
            template += literal[1].replace("{", "{{").replace("}", "}}")
            if urljoin(first, template.format(n=n, i=n - 1)) == page_url:
                return template
    return None


def next_xpath(text: str) -> str:
    """The XPath of a list page's next link with TEXT, as sites.yaml's `next` takes it."""
    return f'//a[normalize-space()="{text}"]/@href'


# ---- sitemaps and feeds ------------------------------------------------------------------------

FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def sitemap_locations(robots_txt: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt (a sitemap may also be an RSS or Atom feed)."""
    return [
        line.split(":", 1)[1].strip()
        for line in robots_txt.splitlines()
        if line.lower().startswith("sitemap:")
    ]


def sitemap_urls(xml: bytes) -> list[str]:
    """The page URLs of a sitemap (urlset) file; empty for anything else."""
    from scrapy.utils.sitemap import Sitemap  # lxml with the safe parser settings Scrapy uses

    try:
        return [e["loc"].strip() for e in Sitemap(xml) if e.get("loc")]
    except Exception:  # not a sitemap (an HTML error page, say)
        return []


def feed_links(html: str, url: str, base: str | None = None) -> list[str]:
    """The RSS/Atom feeds a page names (`<link rel="alternate" type="application/rss+xml">`), on
    the site only."""
    base = base or url
    found: dict[str, None] = {}
    for link in Selector(text=html).xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        if "alternate" in rel and (link.attrib.get("type") or "").strip().lower() in FEED_TYPES:
            feed = urljoin(url, link.attrib["href"].strip()).split("#", 1)[0]
            if same_site(feed, base):
                found.setdefault(feed, None)
    return list(found)


def feed_items(xml: bytes) -> tuple[str | None, list[str]]:
    """(the site the feed says it is of, its item links in feed order) of an RSS or Atom feed;
    (None, []) for anything else."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(xml, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None, []
    if root is None:
        return None, []
    tag = etree.QName(root).localname.lower()
    if tag in ("rss", "rdf"):
        home = root.xpath("string(//*[local-name()='channel']/*[local-name()='link'][1])")
        links = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
    elif tag == "feed":  # Atom: the alternate link (no rel means alternate)
        alternate = "*[local-name()='link'][not(@rel) or @rel='alternate']/@href"
        home = (root.xpath(alternate) or [""])[0]
        links = root.xpath(f"//*[local-name()='entry']/{alternate}")
    else:
        return None, []
    return (home.strip() or None), list(dict.fromkeys(x.strip() for x in links if x.strip()))


def feed_articles(xml: bytes, feed_url: str, base: str) -> list[str]:
    """A feed's item links on the site, as URLs on BASE's host. A link on the host the feed names
    as its own site is moved onto BASE (as sitemap URLs are: a copy may be served elsewhere); a
    link to any other host is off-site and dropped."""
    home, links = feed_items(xml)
    out = []
    for link in (urljoin(feed_url, x) for x in links):
        if same_site(link, base):
            out.append(link)
        elif home and same_site(link, urljoin(feed_url, home)) and not same_site(home, base):
            out.append(urljoin(base, path_and_query(link).lstrip("/")))
    return [u for u in dict.fromkeys(out) if not rejected(Link(u, ""))]


def feed_pattern(urls: list[str]) -> str | None:
    """The article pattern of a feed's links, for a portal whose lists give none (lists drawn by a
    script): every item is an article, but the home or a list page is not."""
    articles = [u for u in urls if not LISTY.search(path_and_query(u))]
    return article_regex(articles) if len(articles) >= 2 else None


@dataclass
class Listings:
    """What a portal's feeds and sitemaps list: {path from the site's root: URLs on the site}."""

    feeds: dict[str, list[str]] = field(default_factory=dict)
    sitemaps: dict[str, list[str]] = field(default_factory=dict)

    def add(self, body: bytes, url: str, base: str) -> None:
        """Read BODY (fetched from URL) as a feed, else as a sitemap; anything else is ignored."""
        key = path_and_query(url).lstrip("/")
        feed = feed_articles(body, url, base)
        if feed:
            self.feeds.setdefault(key, feed)
            return
        urls = sitemap_urls(body)
        if urls:  # the sitemap may name the real host: its pages are this site's
            self.sitemaps.setdefault(key, [urljoin(base, path_and_query(u).lstrip("/")) for u in urls])


def listing_locations(base: str, feeds: list[str], robots_txt: str | None) -> list[str]:
    """Where to look for feeds and sitemaps, on the site: the feeds a page names, the robots.txt
    `Sitemap:` lines, and /sitemap.xml."""
    named = sitemap_locations(robots_txt) if robots_txt else []
    # a robots.txt names the real host: its path (and query) is looked up on this one
    urls = [
        *feeds,
        *(urljoin(base, path_and_query(urljoin(base, loc)).lstrip("/")) for loc in [*named, "/sitemap.xml"]),
    ]
    return list(dict.fromkeys(urls))


def use_listings(found: SiteDiscovery, listings: Listings) -> None:
    """Keep the first feed and the first sitemap that list article pages; a feed gives the
    article pattern when the lists gave none."""
    if not found.article:
        items = [u for urls in listings.feeds.values() for u in urls]
        found.article = feed_pattern(items)
    if not found.article:
        return
    pattern = re.compile(found.article)
    for key, urls in listings.feeds.items():
        articles = [u for u in urls if pattern.search(path_and_query(u))]
        if articles and not found.feed:
            found.feed, found.feed_articles = key, articles
    for key, urls in listings.sitemaps.items():
        articles = [u for u in urls if pattern.search(path_and_query(u))]
        if articles and not found.sitemap:
            found.sitemap, found.sitemap_articles = key, articles


def relative_to_base(url: str, base: str) -> str:
    """URL as a path relative to BASE, the site's root (what sites.yaml's `lists` hold)."""
    return path_and_query(url).lstrip("/")


def default_name(url: str) -> str:
    """An entry name from the host: www.cshtz.gov.cn -> cshtz; an address -> site-127-0-0-1-8761."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").removeprefix("www.")
    if re.fullmatch(r"[\d.]+|[0-9a-f:]+", host):
        return "site-" + re.sub(r"[^0-9a-z]+", "-", f"{host}-{parts.port or ''}").strip("-")
    return host.split(".")[0]


def site_base(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


# ---- a whole site -----------------------------------------------------------------------------

Fetch = Callable[[str], "tuple[bytes, str | None] | None"]  # url -> (body, content type) or None


def discover_site(url: str, fetch: Fetch, max_columns: int = 20) -> SiteDiscovery:
    """Read the home page at URL, its hub pages, each column's first list page, its feeds and the
    sitemap, through FETCH; never a page off the site. A few dozen requests at most."""
    base = site_base(url)
    found = SiteDiscovery(base_url=base)
    home = _get(fetch, url)
    if home is None:
        return found
    columns = find_columns(home, url, base)
    hubs = [(h, 1) for h in find_hubs(home, url, base)]
    asked: set[str] = set()
    while hubs and len(asked) < MAX_HUBS:
        hub, depth = hubs.pop(0)
        if hub in asked:
            continue
        asked.add(hub)
        hub_html = _get(fetch, hub)
        if hub_html:
            columns += [c for c in find_columns(hub_html, hub, base) if c.url not in {x.url for x in columns}]
            if depth < HUB_DEPTH:
                hubs += [(h, depth + 1) for h in find_hubs(hub_html, hub, base) if h not in asked]
    for column in columns[:max_columns]:
        html = _get(fetch, column.url)
        links = article_links(html, column.url, base) if html else []
        if not links:
            found.skipped.append(column.url)
            continue
        found.columns.append(ColumnFound(column, links, pagination(html or "", column.url)))
    urls = [u for c in found.columns for u in c.articles]
    if urls:
        found.article = article_regex(urls)
        choose_pagination(found)
    use_listings(found, _listings(found.base_url, feed_links(home, url, base)[:3], fetch))
    return found


def _listings(base: str, feeds: list[str], fetch: Fetch) -> Listings:
    robots = fetch(urljoin(base, "robots.txt"))
    listings = Listings()
    for loc in listing_locations(base, feeds, decode_html(*robots) if robots else None):
        got = fetch(loc)
        if got:
            listings.add(got[0], loc, base)
    return listings


def _get(fetch: Fetch, url: str) -> str | None:
    got = fetch(url)
    return decode_html(got[0], got[1]) if got else None


def choose_pagination(found: SiteDiscovery) -> None:
    """One rule for the whole site, as sites.yaml takes it: a template every paginated column
    shares (the only way through script-paginated lists), else the next link they all have."""
    paged = [c.pagination for c in found.columns if c.pagination and c.pagination.walkable]
    if not paged:
        return
    templates = {p.template for p in paged}
    if len(templates) == 1 and None not in templates:
        found.page_template = templates.pop()
    else:
        texts = {p.next_text for p in paged}
        if len(texts) == 1 and None not in texts:
            found.next_text = texts.pop()
        elif any(p.template for p in paged):  # mixed: the commonest template still walks most lists
            found.page_template = Counter(p.template for p in paged if p.template).most_common(1)[0][0]
    pages = [p.pages for p in paged if p.pages]
    found.max_pages = min(max(pages), 100) if pages else 20
