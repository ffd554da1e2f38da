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
    Column,
    ColumnFound,
    SiteDiscovery,
    article_links,
    article_regex,
    choose_pagination,
    datastore_groups,
    decode_html,
    discover_site,
    find_columns,
    find_hubs,
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


# Jcms (大汉): the list is data in a script, its records CDATA; the rest comes from dataproxy.jsp.
JCMS = (
    '<div id="4501"><script type="text/xml"><datastore>'
    '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;webid=1&amp;columnid=123&amp;unitid=4501"></a>]]></nextgroup>'
    "<totalrecord>100</totalrecord><recordset>"
    + "".join(
        f'<record><![CDATA[<li><a href="/art/2023/5/{d}/art_123_{4560 + d}.html">园区第{d}批企业入选省级专精特新名单</a></li>]]></record>'
        for d in range(1, 46)
    )
    + "</recordset></datastore></script>"
    "<script>//<![CDATA[\nvar x = '<a href=\"/art/2020/1/1/art_1_1.html\">脚本里的字符串不是链接</a>';\n//]]></script>"
    "<script>$('#4501').jpage({perPage: 15, totalRecord: 100});</script></div>"
)


def test_a_list_written_as_script_data_gives_its_links_and_its_further_groups():
    url = HOME + "col/col123/index.html"
    links = article_links(JCMS, url)
    assert len(links) == 45 and links[0] == HOME + "art/2023/5/1/art_123_4561.html"  # page order
    assert article_regex(links) == r"^/art/\d+/\d+/\d+/art_\d+_\d+\.html$"
    groups = datastore_groups(JCMS, url)
    proxy = (
        HOME
        + "module/web/jpage/dataproxy.jsp?startrecord={}&endrecord={}&perpage=15&webid=1&columnid=123&unitid=4501"
    )
    assert groups.groups == [proxy.format(46, 90), proxy.format(91, 135)] and groups.pages == 3
    assert pagination(JCMS, url).groups == groups.groups
    # all records on the page: no more groups
    assert datastore_groups(JCMS.replace("<totalrecord>100<", "<totalrecord>45<"), url) is None


def test_a_list_paged_only_by_postback_is_read_on_page_one_and_said_so():
    rows = "".join(
        f'<li><a href="NewsShow.aspx?id={n}">关于开展第{n}批高新技术企业认定工作的通知</a></li>'
        for n in range(10)
    )
    post = "javascript:__doPostBack('AspNetPager1','2')"
    html = (
        f'<ul>{rows}</ul><div>共2页 <span>1</span> <a href="{post}">2</a> <a href="{post}">下一页</a></div>'
    )
    url = HOME + "NewsList.aspx?ClassID=8"
    assert len(article_links(html, url)) == 10
    p = pagination(html, url)
    assert p.postback and not p.walkable
    # the site's rule comes from the columns that can be walked
    linked = pagination(LIST, HOME + "xwdt/index.html")
    found = SiteDiscovery(
        HOME,
        [
            ColumnFound(Column("统计数据", "stats", url), [], p),
            ColumnFound(Column("新闻动态", "news", HOME + "xwdt/index.html"), [], linked),
        ],
    )
    choose_pagination(found)
    assert found.page_template == "index_{i}.html"
    assert found.summary()["columns"][0]["postback"] is True


def test_image_menus_relative_links_and_the_sites_other_names():
    page = HOME + "xwzx/gzdt/index.html"
    html = (
        """<ul class="nav">
<li><a href="../../xwzx/tzgg/index.html"><img src="/images/nav1.png" alt="通知公告"></a></li>
<li><a href="https://zone.gov.cn/zwgk/zcwj/index.html" title="政策文件"><img src="/images/nav2.png"></a></li>
<li><a href="../../zwgk/index.html"><img src="/images/nav3.png" alt="政务公开"></a></li>
<li><a href="https://www.gov.cn/zhengce/" title="政策文件"><img src="/images/gov.png"></a></li></ul>
<ul class="list">"""
        + "".join(
            f'<li><a href="{host}/xwzx/gzdt/2023{m:02d}/t2023{m:02d}0{m}_{m}.html">园区第{m}批企业入选省级专精特新名单</a></li>'
            for m, host in zip(
                range(1, 7), ["", "http://www.zone.gov.cn", "https://zone.gov.cn"] * 2, strict=True
            )
        )
        + "</ul>"
    )
    columns = find_columns(html, page, HOME)
    assert [(c.kind, c.url) for c in columns] == [
        ("notice", HOME + "xwzx/tzgg/index.html"),  # an image's alt text
        ("policy", "https://zone.gov.cn/zwgk/zcwj/index.html"),  # a title; the site by another name
    ]
    assert find_hubs(html, page, HOME) == [HOME + "zwgk/index.html"]
    links = article_links(html, page, HOME)
    assert len(links) == 6 and article_regex(links) == r"^/xwzx/gzdt/\d+/t\d+_\d+\.html$"


def test_a_link_of_the_article_shape_outside_the_list_is_not_an_article():
    rows = "".join(
        f'<li><a href="/xwzx/2023{m:02d}/t2023{m:02d}0{m}_{m}.shtml">园区第{m}批企业入选省级专精特新名单</a></li>'
        for m in range(1, 6)
    )
    filed = '<li><a href="/zwgk/gsgg/202301/t20230109_9.shtml">关于第一批科技型企业名单的公示</a></li>'
    side = '<h3>领导之窗</h3><ul><li><a href="/ldzc/202101/t20210105_16.shtml">管委会主任张明简历及分工情况</a></li></ul>'
    links = article_links(
        f'<div class="side">{side}</div><ul class="list">{rows}{filed}</ul>', HOME + "xwzx/"
    )
    assert HOME + "zwgk/gsgg/202301/t20230109_9.shtml" in links  # filed elsewhere, listed here
    assert HOME + "ldzc/202101/t20210105_16.shtml" not in links and len(links) == 6


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
    for family in ("dede", "hanweb", "phpcms", "aspnet"):  # a different template per column: the next link
        assert entries[family]["next"] == '//a[normalize-space()="下一页"]/@href'
    assert entries["gkml"]["page_template"] == "index_{n}.html"  # written `./index_2.html`
    assert entries["shtml"]["page_template"] == "index_{i}.shtml"
    # Jcms: no paging rule; the datastore's next group of records is a list page of its own
    assert "page_template" not in entries["jcms"] and "next" not in entries["jcms"]
    proxy = [p for p in entries["jcms"]["lists"] if "dataproxy.jsp" in p]
    assert proxy == [
        "module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&appid=1&webid=1&columnid=1201"
        "&unitid=4501&webname=sip&permissiontype=0"
    ]


def test_a_postback_list_is_crawled_on_page_one_and_the_entry_says_so(discovered):
    text = discovered["aspnet"]["text"]
    assert "#   stats: 统计数据" in text and "paged only by __doPostBack" in text
    stats = next(c for c in discovered["aspnet"]["found"].columns if c.column.kind == "stats")
    assert stats.pagination.postback and len(stats.articles) == 10
    reached = walk(
        discovered["aspnet"]["entry"],
        SiteFetcher(discovered["aspnet"]["entry"]["base_url"], delay=0, allow_private=True),
    )
    assert article_paths("aspnet") - reached == set(manifest("aspnet")["unreachable"])  # page 2: a form post


def test_columns_two_hubs_down_and_behind_image_links_are_found(discovered):
    found = discovered["gkml"]["found"]
    names = {c.column.kind: (c.column.name, c.column.url) for c in found.columns}
    assert names["notice"][0] == "通知公告"  # the menu's image has no alt: the link's title
    assert names["policy"][1].endswith("/zwgk/fdzdgknr/zcwj/index.html")  # 政务公开 > 法定主动公开内容
    asked = discovered["gkml"]["asked"]
    assert any(u.endswith("/zwgk/fdzdgknr/index.html") for u in asked)


def test_utility_pages_are_neither_columns_nor_articles(discovered):
    found = discovered["shtml"]["found"]
    columns = {c.column.url.split("/", 3)[3] for c in found.columns} | {
        u.split("/", 3)[3] for u in found.skipped
    }
    assert columns == {"xwzx/index.shtml", "tzgg/index.shtml", "zcwj/index.shtml", "tjsj/index.shtml"}
    article = discovered["shtml"]["entry"]["article"]
    for path in manifest("shtml")["not_articles"].values():  # 领导之窗's page has an article's shape
        assert not re.search(article, path), path


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
