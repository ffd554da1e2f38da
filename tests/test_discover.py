"""Portal discovery: columns from menus, articles by URL shape, pagination, sitemaps; and on each
CMS fixture site, the entry `zonecrawl discover` prints reaches the articles and nothing else."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import yaml
from click.testing import CliRunner
from cmssites import CMS_DIR, FAMILIES, article_paths, manifest, walk
from conftest import FIXTURES
from parsel import Selector

from crawler.cli import cli
from crawler.discover import (
    article_links,
    article_regex,
    decode_html,
    discover_site,
    find_columns,
    page_template,
    pagination,
    path_and_query,
    same_site,
    script_pagination,
)
from crawler.discoverfetch import SiteFetcher
from crawler.localsites import LocalSites
from crawler.spiders.achie import AchieSpider
from crawler.spiders.chinatorch import ChinatorchSpider
from crawler.spiders.hnkfq import HnkfqSpider
from crawler.spiders.portals import load_sites

HOME = "http://www.zone.gov.cn/"

MENU = """<ul>
<li><a href="/">首页</a></li><li><a href="/yqgk/">园区概况</a></li>
<li><a href="/xwdt/index.html">新闻动态</a></li>
<li><a href="javascript:void(0)">政务公开</a></li>
<li><a href="/login.html?from=tz">内部通知</a></li>
<li><a href="/search/index.html?q=统计数据">统计数据查询</a></li>
<li><a href="http://www.gov.cn/zhengce/">国务院政策文件</a></li>
<li><a href="//www.stats.gov.cn/sj/">统计数据</a></li>
<li><a href="/xwdt/202301/t20230115_1.html">关于开展高新技术企业认定工作的通知</a></li>
</ul>
<div class="hd"><span>通知公告</span><a href="/tzgg/">更多&gt;&gt;</a></div>
<div class="hd"><span>政策文件</span><a href="/zcwj/list.html">more+</a></div>"""


def test_columns_come_from_menu_texts_and_headings_never_login_search_or_off_site():
    columns = find_columns(MENU, HOME)
    assert [(c.kind, c.name, c.url) for c in columns] == [
        ("news", "新闻动态", HOME + "xwdt/index.html"),
        ("notice", "通知公告", HOME + "tzgg/"),  # the heading beside a 更多 link
        ("policy", "政策文件", HOME + "zcwj/list.html"),
    ]


def test_same_site_is_the_host_with_or_without_www_and_the_same_port():
    assert same_site("http://zone.gov.cn/a.html", HOME)
    assert not same_site("http://www.zone.gov.cn:8080/a.html", HOME)
    assert not same_site("http://news.zone.gov.cn/a.html", HOME)
    assert not same_site("ftp://www.zone.gov.cn/a.html", HOME)


LIST = (
    MENU
    + "".join(
        f'<li><a href="./2023{m:02d}/t2023{m:02d}1{m}_{100 + m}.html">园区第{m}批企业入选省级专精特新名单</a></li>'
        for m in range(1, 8)
    )
    + '<a href="index_1.html">2</a><a href="index_2.html">3</a><a href="index_1.html">下一页</a>'
)


def test_article_links_are_the_date_stamped_group_of_sibling_links():
    links = article_links(LIST, HOME + "xwdt/index.html")
    # the seven of the list and the one in the menu
    assert len(links) == 8 and all(re.search(r"/xwdt/2023\d\d/t2023\d+_\d+\.html$", u) for u in links)
    assert article_regex(links) == r"^/xwdt/\d+/t\d+_\d+\.html$"


def test_menu_links_are_no_articles_however_many_share_a_shape():
    menu = "".join(f'<a href="/col/col{n}/index.html">栏目{n}</a>' for n in range(20))
    assert article_links(menu, HOME) == []


@pytest.mark.parametrize(
    ("first", "page", "n", "template"),
    [
        ("xwdt/index.html", "xwdt/index_1.html", 2, "index_{i}.html"),  # TRS
        ("zwgk/tzgg/index.html", "zwgk/tzgg/index_2.html", 2, "index_{n}.html"),  # intensive platform
        ("a/tzgg/index.html", "a/tzgg/list_2_2.html", 2, "list_2_{n}.html"),  # DedeCMS, typeid 2
        ("a/tzgg/list_12_1.html", "a/tzgg/list_12_3.html", 3, "list_12_{n}.html"),
        (
            "index.php?a=lists&catid=6",
            "index.php?a=lists&catid=6&page=2",
            2,
            "index.php?a=lists&catid=6&page={n}",
        ),
        (
            "col/col1001/index.html",
            "col/col1001/index.html?uid=7&pageNum=2",
            2,
            "index.html?uid=7&pageNum={n}",
        ),
        ("xwdt/index.html", "other/index_1.html", 2, None),  # another folder: no template
    ],
)
def test_page_template_from_a_page_link(first, page, n, template):
    assert page_template(HOME + first, HOME + page, n) == template


def test_pagination_from_links_and_from_a_script_call_alone():
    p = pagination(LIST, HOME + "xwdt/index.html")
    assert (p.template, p.next_text, p.pages, p.script) == ("index_{i}.html", "下一页", 3, False)
    s = script_pagination('<script>createPageHTML("page_div", 7, 0, "index", "shtml");</script>')
    assert (s.template, s.pages, s.script) == ("index_{i}.shtml", 7, True)
    assert pagination("<p>one page</p>", HOME) is None
    trs = 'var currentPage = 0;\nvar countPage = 5;\ncreatePageHTML(countPage, currentPage, "index", "htm");'
    assert (script_pagination(trs).template, script_pagination(trs).pages) == ("index_{i}.htm", 5)


@pytest.fixture(scope="module")
def served():
    with LocalSites(CMS_DIR, fixed_ports=False) as sites:
        yield sites


@pytest.fixture(scope="module")
def discovered(served):
    """Each fixture site's discovery, its entry as `zonecrawl discover` prints it, the pages asked."""
    out = {}
    for family in FAMILIES:
        base = served.base_urls[family]
        printed = CliRunner().invoke(
            cli, ["discover", base, "--name", family, "--delay", "0", "--allow-private"]
        )
        assert printed.exit_code == 0, printed.output
        fetcher = SiteFetcher(base, delay=0, allow_private=True)
        out[family] = dict(
            found=discover_site(base, fetcher),
            text=printed.output,
            entry=yaml.safe_load(printed.output)[0],
            asked=fetcher.requested,
        )
    return out


@pytest.mark.parametrize("family", FAMILIES)
def test_discovery_finds_every_column_and_reads_few_pages(discovered, family):
    found = discovered[family]["found"]
    kinds = {c.column.kind: c.column.url for c in found.columns}
    assert set(kinds) == {"news", "notice", "policy", "stats"}
    for kind, path in manifest(family)["columns"].items():
        assert kinds[kind].endswith(path)
    assert len(discovered[family]["asked"]) <= 12


@pytest.mark.parametrize("family", FAMILIES)
def test_the_printed_entry_reaches_the_articles_and_nothing_else(discovered, served, family):
    entry = discovered[family]["entry"]
    reached = walk(entry, SiteFetcher(entry["base_url"], delay=0, allow_private=True))
    expected = article_paths(family)
    recall = len(reached & expected) / len(expected)
    assert recall >= 0.95, f"{family}: {recall:.0%} of {len(expected)} articles"
    assert reached <= expected, f"{family}: not articles: {sorted(reached - expected)[:5]}"
    others = manifest(family)["not_articles"].values()
    assert not any(re.search(entry["article"], p) for p in others)


def test_each_family_gets_the_pagination_its_cms_needs(discovered):
    entries = {f: discovered[f]["entry"] for f in FAMILIES}
    assert entries["trs"]["page_template"] == "index_{i}.html"  # from the createPageHTML call alone
    assert entries["jiyue"]["page_template"] == "index_{n}.html"
    assert entries["jiyue"]["sitemap"] == "sitemap.xml"  # named in robots.txt
    for family in ("dede", "hanweb", "phpcms"):  # a different template per column: the next link
        assert entries[family]["next"] == '//a[normalize-space()="下一页"]/@href'


def test_the_printed_entry_is_a_valid_sites_file_with_its_columns_named(discovered, tmp_path):
    text = discovered["dede"]["text"]
    assert "#   news: 园区新闻" in text and "#   stats: 统计信息" in text
    path = tmp_path / "sites.yaml"
    path.write_text("".join(discovered[f]["text"] for f in FAMILIES), encoding="utf-8")
    assert [e["name"] for e in load_sites(path)] == list(FAMILIES)


def test_discover_refuses_a_private_address_unless_allowed_and_says_when_nothing_is_found(served):
    base = served.base_urls["trs"]
    refused = CliRunner().invoke(cli, ["discover", base, "--delay", "0"])
    assert refused.exit_code == 1 and "cannot be read (an internal address" in refused.output
    nothing = CliRunner().invoke(cli, ["discover", base + "robots.txt", "--delay", "0", "--allow-private"])
    assert nothing.exit_code == 1 and "no column with article links" in nothing.output
    not_http = CliRunner().invoke(cli, ["discover", "file:///etc/passwd"])
    assert not_http.exit_code == 2 and "not an http(s) address" in not_http.output
    login = CliRunner().invoke(cli, ["discover", base + "login.html", "--delay", "0", "--allow-private"])
    assert login.exit_code == 0  # any page of the site leads to its columns through its menu


@pytest.mark.parametrize(
    ("site", "spider", "list_path"),
    [
        ("achie", AchieSpider, "news/gxqxw/index.html"),  # DedeCMS, GBK
        ("hnkfq", HnkfqSpider, "news/list-12.html"),
        ("chinatorch", ChinatorchSpider, "gxq/tzgg/index.shtml"),  # hex ids: <32 hex digits>.shtml
    ],
)
def test_on_the_bundled_sites_lists_discovery_agrees_with_the_hand_written_spiders(site, spider, list_path):
    url = "http://127.0.0.1/" + list_path
    html = decode_html((FIXTURES / "sites" / site / list_path).read_bytes())
    by_hand = {
        u
        for u in (urljoin(url, h) for h in Selector(text=html).xpath("//a/@href").getall())
        if re.search(spider.article_pattern, path_and_query(u))
    }
    found = article_links(html, url)
    assert set(found) == by_hand and len(by_hand) >= 3
    assert all(re.search(article_regex(found), path_and_query(u)) for u in by_hand)


def test_the_fetcher_stays_on_its_site_and_obeys_robots_txt(served):
    base = served.base_urls["dede"]
    fetch = SiteFetcher(base, delay=0, allow_private=True)
    assert fetch("http://www.gov.cn/") is None  # another host: not even asked
    assert fetch(base + "member/login.php") is None  # robots.txt: Disallow: /member/
    body, content_type = fetch(base + "index.html")
    assert "株洲高新区" in decode_html(body, content_type)  # GBK, read through its meta charset
    assert fetch.requested == [base + "robots.txt", base + "index.html"]


def test_the_fetcher_sends_nothing_where_a_redirect_off_the_site_points():
    from localcrawl import serve_pages

    inner_hits: list[str] = []
    inner = serve_pages({"/secret.html": (200, {}, "<p>内部</p>")}, inner_hits)
    elsewhere = f"http://127.0.0.1:{inner.server_address[1]}/secret.html"
    outer = serve_pages({"/index.html": (302, {"Location": elsewhere}, "")})
    base = f"http://127.0.0.1:{outer.server_address[1]}/"
    try:
        fetch = SiteFetcher(base, delay=0, allow_private=True)
        assert fetch(base + "index.html") is None
    finally:
        inner.shutdown()
        outer.shutdown()
    assert inner_hits == [] and "refused" in fetch.failures[base + "index.html"]
