"""Crawl throughput: zonecrawl's whole pipeline (spiders, middlewares, WARC archive, extractors,
store) on local sites, next to `scrapy bench` run on the same machine in the same run.

1. the bundled sites (tests/fixtures/sites), all spiders, every delay 0 and AutoThrottle off;
   these few pages include the fixtures' slow page (1 s) and broken ones, as the demo has them;
2. a site of ARTICLES (2,000) generated at bench time in the achie (DedeCMS) layout: list pages
   with `下一页` pagination and GBK article pages carrying figures; the same settings, and the peak
   memory (max RSS) of the crawl process;
3. `scrapy bench`: Scrapy's own local server and link-following spider, default settings, 10 s.

The crawls run in processes of their own (Twisted's reactor cannot restart) against servers in
this process, all on 127.0.0.1; their rates come from the crawl's own stats (spider open to close).

usage: python bench/bench_crawl.py [ARTICLES]
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demo import local_only_middlewares  # noqa: E402
from crawler.localsites import LocalSites  # noqa: E402

# Delays at 0 and AutoThrottle off: the pipeline's own speed, nothing waits on purpose.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "RANDOMIZE_DOWNLOAD_DELAY": "False",
    "AUTOTHROTTLE_ENABLED": "False",
    "RETRY_BACKOFF_BASE": "0",
    "DOWNLOAD_TIMEOUT": "10",
    "LOG_LEVEL": "WARNING",
    "CLOSESPIDER_TIMEOUT": "170",  # a bound on a run that goes wrong
    "ZONECRAWL_ALLOW_PRIVATE_ADDRESSES": "True",  # the bench sites are served on 127.0.0.1
}


# The synthetic site: the achie (DedeCMS) layout of tests/fixtures/sites/achie, GBK, gb2312 meta.
_HEAD = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />\n<title>{title}_高新院</title>\n'
    '</head>\n<body class="articleview">\n'
    '<div class="header"><div class="nav w960 center"><ul><li><a href="/">主页</a></li>'
    '<li><a href="/news/gxqxw/">高新区新闻</a></li><li><a href="/news/zcjd/">政策解读</a></li></ul></div></div>\n'
    '<div class="w960 center clear mt1"><div class="pleft">\n'
    "<div class=\"place\"><strong>当前位置:</strong> <a href='/'>主页</a> &gt; "
    "<a href='/news/{column}/'>{column_name}</a> &gt; </div>\n"
)
_FOOT = (
    "</div></div>\n"
    '<div class="footer w960 center"><p>Copyright &copy; 2015-2023 高新院 achie.org 版权所有</p>'
    "<p>地址:湖南省长沙市岳麓区麓谷大道 邮编:410205</p></div>\n</body>\n</html>\n"
)
COLUMNS = {"gxqxw": (2, "高新区新闻"), "zcjd": (3, "政策解读")}
PER_LIST_PAGE = 40
ZONES = [
    "长沙高新区",
    "株洲高新区",
    "湘潭高新区",
    "衡阳高新区",
    "益阳高新区",
    "郴州高新区",
    "常德高新区",
    "怀化高新区",
]
SENTENCES = [
    "{year}年,{zone}实现技工贸总收入{a}亿元,同比增长{g}%。",
    "园区新增高新技术企业{n}家,有效期内高新技术企业总数达到{m}家。",
    "全年完成固定资产投资{a}亿元,同比增长{g}%;规模以上工业增加值同比增长{h}%。",
    "技术合同成交额达到{b}亿元,占全市的{s}%。",
    "新增省级以上研发平台{n}个,累计达到{m}个。",
    "{zone}在全省高新区创新发展绩效评价中居第{r}位,较上年上升{c}个位次。",
    "{zone}坚持创新驱动发展战略,持续优化营商环境,推动产业集群高质量发展。",
]


def _article(aid: int, column: str, rng: random.Random) -> tuple[str, str]:
    """(path, html) of article AID: a dated DedeCMS article with a few paragraphs of figures."""
    day = 1 + aid % 28
    month = 1 + (aid // 28) % 12
    year = 2019 + (aid // 336) % 5
    zone = ZONES[aid % len(ZONES)]
    title = f"{zone}{year}年{month}月经济运行情况通报(第{aid}期)"
    paragraphs = []
    for template in rng.sample(SENTENCES, rng.randint(3, 6)):
        paragraphs.append(
            template.format(
                year=year - 1,
                zone=zone,
                a=f"{rng.uniform(50, 2000):.1f}",
                g=f"{rng.uniform(1, 30):.1f}",
                h=f"{rng.uniform(1, 20):.1f}",
                n=rng.randint(5, 300),
                m=rng.randint(300, 3000),
                b=f"{rng.uniform(5, 400):.2f}",
                s=f"{rng.uniform(5, 60):.1f}",
                r=rng.randint(1, 40),
                c=rng.randint(1, 9),
            )
        )
    body = "".join(f"<p>\u3000\u3000{p}</p>\n" for p in paragraphs)
    html = (
        _HEAD.format(title=title, column=column, column_name=COLUMNS[column][1])
        + f'<div class="viewbox">\n<div class="title"><h2>{title}</h2></div>\n'
        f'<div class="info"><small>来源:</small>高新院 achie.org <small>日期:</small>'
        f"{year}-{month:02d}-{day:02d} <small>点击:</small>{100 + aid}</div>\n"
        f'<div class="content">\n{body}</div>\n</div>\n' + _FOOT
    )
    return f"news/{column}/{year}/{month:02d}{day:02d}/{aid}.html", html


def _list_page(column: str, page: int, pages: int, links: list[tuple[str, str]]) -> str:
    typeid, name = COLUMNS[column]
    items = "".join(f'<li><a href="/{path}" class="title">{title}</a></li>\n' for path, title in links)
    nav = f"<li><a href='/news/{column}/'>首页</a></li>"
    if page < pages:
        nav += f"<li><a href='list_{typeid}_{page + 1}.html'>下一页</a></li>"
    return (
        _HEAD.format(title=name, column=column, column_name=name)
        + f'<div class="listbox"><ul class="e2">\n{items}</ul></div>\n'
        f'<div class="dede_pages"><ul class="pagelist">{nav}</ul></div>\n' + _FOOT
    )


def write_achie_site(root: Path, articles: int, seed: int = 0) -> int:
    """Write an achie-layout site of ARTICLES articles under ROOT; returns the number of pages."""
    rng = random.Random(seed)
    (root / "robots.txt").parent.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /plus/\n")
    written = 1
    for c, column in enumerate(COLUMNS):
        links = []
        for aid in range(c, articles, len(COLUMNS)):
            path, html = _article(aid, column, rng)
            file = root / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(html.encode("gb18030"))
            links.append((path, re.search(r"<h2>(.*?)</h2>", html).group(1)))
        pages = max(1, -(-len(links) // PER_LIST_PAGE))
        typeid = COLUMNS[column][0]
        for page in range(1, pages + 1):
            chunk = links[(page - 1) * PER_LIST_PAGE : page * PER_LIST_PAGE]
            name = "index.html" if page == 1 else f"list_{typeid}_{page}.html"
            (root / "news" / column / name).write_bytes(
                _list_page(column, page, pages, chunk).encode("gb18030")
            )
        written += len(links) + pages
    return written


def run_measured(cmd: list[str], timeout: float, cwd: Path = ROOT, env: dict | None = None) -> dict:
    """Run CMD; its exit code, wall seconds, output and peak RSS in MB (its own, via wait4)."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return {"rc": proc.returncode, "wall": wall, "output": text, "max_rss_mb": usage.ru_maxrss / 1024}


def crawl(sites: LocalSites, spiders: list[str], workdir: Path) -> dict:
    """Crawl SITES with SPIDERS into a fresh database; pages, items, seconds and peak RSS."""
    db, archive = workdir / "zones.db", workdir / "archive"
    settings = {
        **FAST,
        "ZONECRAWL_BASE_URLS": json.dumps(sites.base_urls),
        "DOWNLOADER_MIDDLEWARES": json.dumps(local_only_middlewares()),
    }
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", *spiders, "--db", str(db), "--archive", str(archive)]
    for k, v in settings.items():
        cmd += ["-s", f"{k}={v}"]
    result = run_measured(cmd, timeout=200)
    if not db.exists():
        raise SystemExit(f"bench_crawl: the crawl did not run:\n{result['output'][-2000:]}")
    with sqlite3.connect(db) as con:
        row = con.execute("select pages, items, error_count, stats from runs order by id desc").fetchone()
    if row is None:
        raise SystemExit(f"bench_crawl: the crawl recorded no run:\n{result['output'][-2000:]}")
    pages, items, errors, stats = row
    per_spider = json.loads(stats or "{}").get("spiders", {})
    # spiders run side by side: the crawl lasted as long as the longest of them
    seconds = max((s.get("elapsed_time_seconds", 0) for s in per_spider.values()), default=0)
    seconds = seconds or result["wall"]
    return {**result, "pages": pages, "items": items, "errors": errors, "seconds": seconds}


def scrapy_bench(seconds: int = 10) -> dict:
    """`scrapy bench` outside the project (Scrapy's defaults, not ours): its pages/min."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    cmd = [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"]
    with tempfile.TemporaryDirectory() as cwd:
        result = run_measured(cmd, timeout=seconds + 60, cwd=Path(cwd), env=env)
    log = result["output"]
    rates = [int(r) for r in re.findall(r"Crawled \d+ pages \(at (\d+) pages/min\)", log)]
    pages = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if result["rc"] or not rates or not pages or not elapsed:
        raise SystemExit(f"bench_crawl: scrapy bench failed:\n{log[-2000:]}")
    overall = int(pages.group(1)) / float(elapsed.group(1)) * 60
    steady = statistics.median([r for r in rates if r] or [0])
    return {"pages_per_min": steady, "overall_per_min": overall, "max_rss_mb": result["max_rss_mb"]}


def main() -> None:
    try:
        articles = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    except ValueError:
        raise SystemExit(f"usage: bench_crawl.py [ARTICLES]: not a number: {sys.argv[1]!r}") from None
    if articles < 1:
        raise SystemExit("usage: bench_crawl.py [ARTICLES]: at least 1 article")
    work = Path(tempfile.mkdtemp(prefix="bench_crawl-"))
    try:
        with LocalSites(fixed_ports=False) as sites:
            small = crawl(sites, [], work / "bundled")
        print(
            f"crawl, bundled sites: {small['pages']} pages in {small['seconds']:.1f} s: "
            f"{small['pages'] / small['seconds']:.1f} pages/s, {small['items'] / small['seconds']:.1f} items/s "
            "(includes the fixtures' 1 s slow page and broken pages)",
            flush=True,
        )
        write_achie_site(work / "site" / "achie", articles)
        with LocalSites(root=work / "site", fixed_ports=False) as sites:
            big = crawl(sites, ["achie"], work / "big")
        print(
            f"crawl, {articles:,}-article site (achie layout): {big['pages']:,} pages in {big['seconds']:.1f} s: "
            f"{big['pages'] / big['seconds']:.1f} pages/s ({big['pages'] / big['seconds'] * 60:,.0f} pages/min), "
            f"{big['items'] / big['seconds']:.1f} items/s; peak RSS {big['max_rss_mb']:.0f} MB",
            flush=True,
        )
        if big["items"] < articles or big["errors"]:
            print(f"  ({big['items']} of {articles} articles stored, {big['errors']} errors)", flush=True)
        sb = scrapy_bench()
        print(
            f"scrapy bench (same machine, Scrapy defaults, 10 s): {sb['pages_per_min']:,.0f} pages/min "
            f"(median of its per-second log lines; {sb['overall_per_min']:,.0f} over the whole run)",
            flush=True,
        )
        ours = big["pages"] / big["seconds"] * 60
        print(f"zonecrawl's full pipeline crawls at {ours / sb['pages_per_min']:.0%} of scrapy bench's rate")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
