"""`zonecrawl crawl zones --zone ID`: registry portals crawled through discovery, on the CMS
fixture sites served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from cmssites import CMS_DIR, article_paths, manifest
from conftest import ROOT
from localcrawl import FAST, query

from crawler.localsites import LocalSites
from crawler.spiders.zones import registry_websites, zones_problem

REGISTRY = (
    "id\tname\twebsite\twebsite_source\n"
    "trs\t东湖高新区\thttp://www.trs.example/\tfixture\n"
    "hanweb\t杭州高新区\thttp://www.hanweb.example/index.html\tfixture\n"
    "dede\t株洲高新区\thttp://www.dede.example/\tfixture\n"
    "nosite\t某高新区\t\t\n"
)


@pytest.fixture()
def registry(tmp_path):
    path = tmp_path / "zones.tsv"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_only_zones_with_a_website_can_be_asked_for(registry):
    assert list(registry_websites(registry)) == ["trs", "hanweb", "dede"]
    assert zones_problem(["trs", "dede"], registry) is None
    assert "no website in the registry for zone nosite, xx" in zones_problem(["nosite", "xx"], registry)


def zonecrawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=240
    )


@pytest.mark.slow
def test_crawl_zones_discovers_each_portal_stores_its_articles_and_records_what_it_found(registry, tmp_path):
    db, archive = tmp_path / "zones.db", tmp_path / "archive"
    with LocalSites(CMS_DIR, names=["trs", "hanweb", "dede"], fixed_ports=False) as sites:
        settings = {
            **FAST,
            "ZONECRAWL_ZONES_FILE": str(registry),
            "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
        }
        args = ["crawl", "--zone", "trs", "--zone", "hanweb", "--db", str(db), "--archive", str(archive)]
        args += [a for k, v in settings.items() for a in ("-s", f"{k}={v}")]
        first = zonecrawl(*args)
        ports = {urlsplit(u).port: name for name, u in sites.base_urls.items()}
        documents = query(db, "select count(*) from documents")[0][0]
        second = zonecrawl(*args)
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    stored: dict[str, set[str]] = {}
    for (url,) in query(db, "select url from documents"):
        parts = urlsplit(url)
        stored.setdefault(ports[parts.port], set()).add(parts.path)
    assert set(stored) == {"trs", "hanweb"}  # dede was not asked for
    for zone, paths in stored.items():
        assert paths == article_paths(zone), zone
    (stats,) = query(db, "select stats from runs where id = 1")[0]
    found = json.loads(json.loads(stats)["spiders"]["zones"]["zonecrawl/discovered/trs"])
    assert [c["kind"] for c in found["columns"]] == ["news", "notice", "policy", "stats"]
    assert found["page_template"] == "index_{i}.html" and "t\\d+_\\d+" in found["article"]
    row = query(
        db,
        "select pagination, page_rule, list_pages, article_links from discoveries where run_id = 1 and zone_id = 'trs'",
    )
    assert row == [("script", "index_{i}.html", 10, 61)]  # 3 + 3 + 1 + 3 list pages, by createPageHTML alone
    assert query(db, "select count(*) from discoveries")[0][0] == 4  # trs and hanweb, in each run
    assert second.returncode == 0 and "0 documents saved" in second.stdout
    assert query(db, "select count(*) from documents")[0][0] == documents


def test_an_unknown_zone_is_refused_before_the_crawl(registry, tmp_path):
    out = zonecrawl(
        "crawl", "--zone", "nosite", "-s", f"ZONECRAWL_ZONES_FILE={registry}", "--db", str(tmp_path / "z.db")
    )
    assert out.returncode == 2 and "no website in the registry for zone nosite" in out.stderr


QUICK_REGISTRY = (
    "id\tname\twebsite\twebsite_source\n"
    "jiyue\t广州高新区\thttp://www.jiyue.example/\tfixture\n"
    "dede\t株洲高新区\thttp://www.dede.example/\tfixture\n"
    "phpcms\t洛阳高新区\thttp://www.phpcms.example/\tfixture\n"
)


@pytest.fixture(scope="module")
def quick_pass(tmp_path_factory):
    """`crawl zones` of three portals reading only the first page of each list (as a quick pass
    over 179 portals would): the sitemap and the feeds must bring what the lists do not."""
    tmp = tmp_path_factory.mktemp("quick")
    registry = tmp / "zones.tsv"
    registry.write_text(QUICK_REGISTRY, encoding="utf-8")
    db = tmp / "zones.db"
    with LocalSites(CMS_DIR, names=["jiyue", "dede", "phpcms"], fixed_ports=False) as sites:
        settings = {
            **FAST,
            "ZONECRAWL_ZONES_FILE": str(registry),
            "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
            "ZONECRAWL_ZONES_MAX_LIST_PAGES": "1",
        }
        args = ["crawl", "--zone", "jiyue", "--zone", "dede", "--zone", "phpcms", "--db", str(db)]
        args += ["--archive", str(tmp / "archive")]
        out = zonecrawl(*args, *(a for k, v in settings.items() for a in ("-s", f"{k}={v}")))
        ports = {urlsplit(u).port: name for name, u in sites.base_urls.items()}
        asked = {name: [path for path, _status in reqs] for name, reqs in sites.requests.items()}
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    return dict(db=db, ports=ports, asked=asked, tmp=tmp)


def stored_paths(crawl: dict) -> dict[str, set[str]]:
    stored: dict[str, set[str]] = {}
    for (url,) in query(crawl["db"], "select url from documents"):
        parts = urlsplit(url)
        stored.setdefault(crawl["ports"][parts.port], set()).add(
            parts.path + (f"?{parts.query}" if parts.query else "")
        )
    return stored


def discoveries(db) -> dict[str, dict]:
    names = [r[1] for r in query(db, "pragma table_info(discoveries)")]
    return {
        row[names.index("zone_id")]: dict(zip(names, row)) for row in query(db, "select * from discoveries")
    }


FIRST_PAGES = 10 + 6 + 8 + 5  # the articles on page 1 of the news, notice, policy and stats lists


@pytest.mark.slow
def test_each_zone_leaves_a_discoveries_row_with_its_columns_pattern_pagination_and_figures(quick_pass):
    rows = discoveries(quick_pass["db"])
    assert set(rows) == {"jiyue", "dede", "phpcms"}
    for zone, row in rows.items():
        assert row["run_id"] == 1 and row["discovered_at"] and row["base_url"].startswith("http://127.0.0.1:")
        columns = json.loads(row["columns"])
        assert [url.removeprefix(row["base_url"].rstrip("/")) for _name, url in columns] == list(
            manifest(zone)["columns"].values()
        )
        assert all(re.search(row["article"], p) for p in article_paths(zone))
        assert not any(re.search(row["article"], p) for p in manifest(zone)["not_articles"].values())
        assert row["list_pages"] == 4  # one per column: ZONECRAWL_ZONES_MAX_LIST_PAGES=1
    assert [c[0] for c in json.loads(rows["dede"]["columns"])] == [
        "园区新闻",
        "通知公告",
        "政策法规",
        "统计信息",
    ]
    assert (rows["jiyue"]["pagination"], rows["jiyue"]["page_rule"]) == ("template", "index_{n}.html")
    assert (rows["dede"]["pagination"], rows["dede"]["page_rule"]) == ("next", "下一页")
    assert rows["jiyue"]["sitemap"] == "sitemap.xml" and rows["jiyue"]["feed"] is None
    assert rows["dede"]["feed"] == "data/rss/1.xml" and rows["dede"]["sitemap"] is None
    assert rows["phpcms"]["feed"] == "index.php?m=content&c=rss&rssid=7"
    assert rows["jiyue"]["article_links"] == 61  # the sitemap lists every article
    assert rows["dede"]["article_links"] == FIRST_PAGES  # its feed's 10 news are on page 1 of 园区新闻
    assert rows["phpcms"]["article_links"] == FIRST_PAGES + 4  # its feed's 10 notices: 6 on page 1


@pytest.mark.slow
def test_the_sitemap_brings_the_articles_past_the_pages_read_and_the_feed_nothing_off_site(quick_pass):
    stored = stored_paths(quick_pass)
    assert stored["jiyue"] == article_paths("jiyue")  # all 61, though only page 1 of each list was read
    for zone, feed_kind, beyond in (("dede", "news", 0), ("phpcms", "notice", 4)):
        assert len(stored[zone]) == FIRST_PAGES + beyond and stored[zone] <= article_paths(zone)
        assert set(manifest(zone)["articles"][feed_kind][:10]) <= stored[zone]  # every feed item
    assert "/data/rss/1.xml" in quick_pass["asked"]["dede"]
    assert "/sitemap.xml" in quick_pass["asked"]["jiyue"]
    errors = query(quick_pass["db"], "select kind, url from errors where kind not in ('http_404')")
    assert errors == []  # no refused (off-site) request: the feeds' xinhuanet items were never asked


@pytest.mark.slow
def test_merge_brings_the_discoveries_under_the_merged_run_and_twice_adds_nothing(quick_pass):
    target = quick_pass["tmp"] / "merged.db"
    for _ in range(2):
        out = zonecrawl("merge", str(target), str(quick_pass["db"]))
        assert out.returncode == 0, out.stderr
        assert "not merged" not in out.stderr
    merged = discoveries(target)
    assert set(merged) == {"jiyue", "dede", "phpcms"}
    (run_id,) = query(target, "select id from runs")[0]
    assert {r["run_id"] for r in merged.values()} == {run_id}
    original = discoveries(quick_pass["db"])
    assert {z: (r["article"], r["feed"], r["article_links"]) for z, r in merged.items()} == {
        z: (r["article"], r["feed"], r["article_links"]) for z, r in original.items()
    }


ARTICLE = (
    '<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>'
    "<p>发布时间：{day}</p><p>{title}。2023年1-5月，园区实现营业收入1234.5亿元，同比增长8.2%。</p></body></html>"
)
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Zone</title><link>http://www.zone.gov.cn/</link>
<item><title>a</title><link>http://www.zone.gov.cn/xwdt/202306/t20230630_3007.html</link></item>
<item><title>b</title><link>http://www.zone.gov.cn/xwdt/202306/t20230621_3014.html</link></item>
<item><title>c</title><link>http://www.xinhuanet.com/tech/20230620/c_1129.htm</link></item>
</channel></rss>"""


@pytest.mark.slow
def test_a_portal_whose_lists_a_script_draws_is_crawled_through_its_feed(tmp_path):
    site = tmp_path / "sites" / "scripted"
    (site / "xwdt" / "202306").mkdir(parents=True)
    (site / "rss").mkdir()
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/rss/news.xml"></head>'
    (site / "index.html").write_text(home + '<body><a href="/xwdt/index.html">新闻动态</a></body></html>')
    (site / "xwdt" / "index.html").write_text('<div id="list"></div><script src="/js/list.js"></script>')
    (site / "rss" / "news.xml").write_text(FEED, encoding="utf-8")
    for name, title, day in (
        ("t20230630_3007.html", "园区上半年经济运行情况", "2023-06-30"),
        ("t20230621_3014.html", "园区1-5月主要经济指标", "2023-06-21"),
    ):
        (site / "xwdt" / "202306" / name).write_text(ARTICLE.format(title=title, day=day), encoding="utf-8")
    registry = tmp_path / "zones.tsv"
    registry.write_text("id\tname\twebsite\twebsite_source\nscripted\t某高新区\thttp://www.zone.gov.cn/\tx\n")
    db = tmp_path / "zones.db"
    with LocalSites(tmp_path / "sites", fixed_ports=False) as sites:
        settings = {
            **FAST,
            "ZONECRAWL_ZONES_FILE": str(registry),
            "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
        }
        out = zonecrawl(
            "crawl", "--zone", "scripted", "--db", str(db), "--archive", str(tmp_path / "archive"),
            *(a for k, v in settings.items() for a in ("-s", f"{k}={v}")),
        )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    urls = sorted(urlsplit(u).path for (u,) in query(db, "select url from documents"))
    assert urls == ["/xwdt/202306/t20230621_3014.html", "/xwdt/202306/t20230630_3007.html"]
    row = discoveries(db)["scripted"]
    assert (row["columns"], row["feed"], row["pagination"], row["list_pages"], row["article_links"]) == (
        "[]", "rss/news.xml", "none", 0, 2,
    )  # fmt: skip
    assert row["article"] == r"^/xwdt/\d+/t\d+_\d+\.html$"
    assert query(db, "select count(*) from errors where kind = 'refused'")[0][0] == 0


NEW_LAYOUTS = ("jcms", "aspnet", "gkml", "shtml")


@pytest.mark.slow
def test_crawl_zones_walks_script_data_lists_deep_hubs_and_postback_lists(tmp_path):
    """Jcms's datastore lists (and its dataproxy.jsp group), columns two hubs down behind image
    links, a list paged only by __doPostBack (page 1 crawled), and a site full of utility links."""
    registry = tmp_path / "zones.tsv"
    rows = [f"{f}\t{f}\thttp://www.{f}.example/\tfixture" for f in NEW_LAYOUTS]
    registry.write_text("id\tname\twebsite\twebsite_source\n" + "\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "zones.db"
    with LocalSites(CMS_DIR, names=list(NEW_LAYOUTS), fixed_ports=False) as sites:
        settings = {
            **FAST,
            "ZONECRAWL_ZONES_FILE": str(registry),
            "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
        }
        args = ["crawl", *(a for f in NEW_LAYOUTS for a in ("--zone", f)), "--db", str(db)]
        args += ["--archive", str(tmp_path / "archive")]
        out = zonecrawl(*args, *(a for k, v in settings.items() for a in ("-s", f"{k}={v}")))
        ports = {urlsplit(u).port: name for name, u in sites.base_urls.items()}
        asked = {name: [path for path, _status in reqs] for name, reqs in sites.requests.items()}
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    stored = stored_paths(dict(db=db, ports=ports))
    for zone in NEW_LAYOUTS:
        expected = article_paths(zone) - set(manifest(zone).get("unreachable", []))
        assert stored[zone] == expected, (
            zone,
            sorted(expected - stored[zone])[:3],
            sorted(stored[zone] - expected)[:3],
        )
    assert any("dataproxy.jsp?startrecord=46" in p for p in asked["jcms"])  # the news' second group
    rows_found = discoveries(db)
    assert rows_found["jcms"]["article_links"] == 94  # 60 news (45 on the page, 15 from dataproxy), 34 others
    assert (
        len(json.loads(rows_found["gkml"]["columns"])) == 4
    )  # policy and stats: 政务公开 > 法定主动公开内容
    assert rows_found["aspnet"]["pagination"] == "next"


def test_links_to_the_site_under_its_other_names_and_in_script_data_are_the_sites():
    from scrapy.http import HtmlResponse

    from crawler.spiders.base import same_host_links

    body = """<a href="https://zone.gov.cn/xwdt/a.html">a</a><a href="http://www.zone.gov.cn/xwdt/b.html">b</a>
<a href="http://news.zone.gov.cn/xwdt/c.html">c</a><a href="https://www.gov.cn/d.html">d</a>
<script type="text/xml"><datastore><recordset><record><![CDATA[<a href="/art/2023/5/6/art_1_2.html">e</a>]]></record>
</recordset></datastore></script>"""
    response = HtmlResponse("http://www.zone.gov.cn/xwdt/", body=body.encode(), encoding="utf-8")
    assert list(same_host_links(response)) == [
        "http://www.zone.gov.cn/xwdt/a.html",  # moved onto the host crawled
        "http://www.zone.gov.cn/xwdt/b.html",
        "http://www.zone.gov.cn/art/2023/5/6/art_1_2.html",
    ]
