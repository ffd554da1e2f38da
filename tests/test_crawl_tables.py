"""A crawl reads tables and attachments as `zonecrawl extract` does: a 统计数据 page that is an
indicator table, and an article whose 附件 are an .xlsx, a PDF bulletin, a password-protected PDF,
a scanned one, a Word file and a legacy .doc, all served on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from localcrawl import FAST, query

from crawler.localsites import LocalSites

pytestmark = pytest.mark.slow

TABLES = Path(__file__).parent / "fixtures" / "tables"
ARTICLE = """<html><head><meta charset="utf-8"><title>关于发布2023年1-9月主要经济指标的通知</title></head>
<body><h1>关于发布2023年1-9月主要经济指标的通知</h1><div class="info">发布时间：2023-10-20</div>
<div class="content"><p>现将2023年1-9月长沙高新区主要经济指标发布如下，详见附件。</p>
<p><a href="/files/monthly.xlsx">附件1：2023年1-9月主要经济指标.xlsx</a></p>
<p><a href="files/../../files/monthly.pdf">附件2：2023年1-9月主要经济指标.pdf</a></p>
<p><a href="/files/locked.pdf">附件3</a> <a href="/files/scanned.pdf">附件4</a></p>
<p><a href="/files/undated.docx">附件5：主要经济指标.docx</a> <a href="/files/old.doc">附件6</a></p>
<p><a href="http://192.0.2.1/other.xlsx">另一网站的附件</a></p></div></body></html>"""
# what a user checks: the figures of the table page and of each readable attachment
EXPECTED = {
    ("营业收入", 234560000000, "元", "level", "2023-01/2023-09"),
    ("营业收入", 8.5, "%", "growth", "2023-01/2023-09"),
    ("高新技术企业", 2168, "家", "level", "2023-09"),
    ("实际使用外资", 567000000, "美元", "level", "2023-01/2023-09"),
}


def _site(root: Path) -> None:
    site = root / "t"
    (site / "tjsj").mkdir(parents=True)
    (site / "files").mkdir()
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    links = '<a href="/tjsj/1.html">指标</a> <a href="/tjsj/2.html">通知</a>'
    (site / "tjsj" / "list.html").write_text(f"<html><body>{links}</body></html>", "utf-8")
    shutil.copy(TABLES / "monthly.html", site / "tjsj" / "1.html")
    (site / "tjsj" / "2.html").write_text(ARTICLE, "utf-8")
    for name in ("monthly.xlsx", "monthly.pdf", "locked.pdf", "scanned.pdf", "undated.docx"):
        shutil.copy(TABLES / name, site / "files" / name)
    # a Word 97-2003 file: not followed (nothing reads it), so never fetched
    (site / "files" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def _run(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "crawler.cli", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)


def _crawl(sites_file: Path, db: Path, archive: Path) -> subprocess.CompletedProcess:
    args = ["crawl", "portals", "--sites", str(sites_file), "--db", str(db), "--archive", str(archive)]
    for k, v in FAST.items():
        args += ["-s", f"{k}={v}"]
    return _run(*args)


def _figures(db: Path, url: str) -> set[tuple]:
    rows = query(
        db,
        "select m.metric, m.value, m.unit, m.kind, m.period from metrics m "
        "join documents d on d.id = m.document_id where d.url = ?",
        (url,),
    )
    return {(m, int(v) if float(v).is_integer() else v, u, k, p) for m, v, u, k, p in rows}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tables")
    _site(tmp / "sites")
    with LocalSites(tmp / "sites", fixed_ports=False) as sites:
        base = sites.base_urls["t"]
        sites_file = tmp / "sites.yaml"
        sites_file.write_text(
            f"- name: t\n  base_url: {base}\n  lists: [tjsj/list.html]\n  article: ^/tjsj/\\d+\\.html$\n",
            "utf-8",
        )
        db, archive = tmp / "zones.db", tmp / "archive"
        first = _crawl(sites_file, db, archive)
        counts = query(db, "select (select count(*) from documents), (select count(*) from metrics)")[0]
        seen = len(sites.requests["t"])
        first_requests = list(sites.requests["t"])
        second = _crawl(sites_file, db, archive)
        again = sites.requests["t"][seen:]
    return dict(
        base=base,
        db=db,
        archive=archive,
        first=first,
        second=second,
        counts=counts,
        again=again,
        tmp=tmp,
        seen=first_requests,
    )


def test_a_table_page_stores_its_figures(crawled):
    page = crawled["base"] + "tjsj/1.html"
    assert _figures(crawled["db"], page) >= EXPECTED, crawled["first"].stderr[-2000:]
    ((tables,),) = query(crawled["db"], "select tables from documents where url = ?", (page,))
    assert json.loads(tables)[0]["header"] == [["指标名称", "单位", "1-9月", "同比增长(%)"]]


def test_attachments_become_documents_of_their_page(crawled):
    db, base = crawled["db"], crawled["base"]
    children = dict(query(db, "select url, parent_url from documents where parent_url is not null"))
    assert children == {
        base + "files/monthly.xlsx": base + "tjsj/2.html",
        base + "files/monthly.pdf": base + "tjsj/2.html",
        base + "files/undated.docx": base + "tjsj/2.html",
    }
    for url in children:
        if url.endswith(".docx"):
            continue  # its figures are checked below
        assert _figures(db, url) >= EXPECTED, url
    assert _figures(db, base + "files/undated.docx") == {
        ("营业收入", 234560000000, "元", "level", "2023-01/2023-09"),
        ("营业收入", 8.5, "%", "growth", "2023-01/2023-09"),
        ("工业总产值", 123450000000, "元", "level", "2023-01/2023-09"),
        ("工业总产值", 6.2, "%", "growth", "2023-01/2023-09"),
    }
    assert not any(path.endswith(".doc") for path, _ in crawled["again"] + crawled["seen"])


def _dates(db: Path) -> dict[str, tuple]:
    rows = query(db, "select url, date, flags from documents where parent_url is not null")
    return {u.rsplit("/", 1)[1]: (d, "date_from_parent" in json.loads(f)) for u, d, f in rows}


def test_an_attachment_without_a_date_has_its_pages(crawled):
    # the page says 发布时间：2023-10-20; the PDF says its own 发布日期, the others none
    assert _dates(crawled["db"]) == {
        "monthly.xlsx": ("2023-10-20", True),
        "monthly.pdf": ("2023-10-20", False),
        "undated.docx": ("2023-10-20", True),
    }


def test_unreadable_attachments_are_one_line_errors_with_their_flag(crawled):
    errors = query(crawled["db"], "select kind, url, message from errors where run_id = 1 order by url")
    assert [(k, u.rsplit("/", 1)[1]) for k, u, _ in errors] == [
        ("parse", "locked.pdf"),
        ("parse", "scanned.pdf"),
    ]
    messages = [m for _, _, m in errors]
    assert messages[0].endswith("(password_protected)") and messages[1].endswith("(scanned_pdf)")
    assert all("\n" not in m for m in messages)
    assert "192.0.2.1" not in crawled["first"].stdout + crawled["first"].stderr  # another host's file


def test_a_second_crawl_adds_and_fetches_nothing(crawled):
    db = crawled["db"]
    assert (
        query(db, "select (select count(*) from documents), (select count(*) from metrics)")[0]
        == crawled["counts"]
    )
    refetched = [p for p, status in crawled["again"] if p.startswith("/files/monthly") and status == 200]
    assert refetched == []


def test_reprocess_gives_the_crawls_tables_and_attachments(crawled):
    db, base = crawled["db"], crawled["base"]
    before = {u: _figures(db, u) for (u,) in query(db, "select url from documents")}
    dates = _dates(db)
    fresh = crawled["tmp"] / "fresh.db"  # rebuilt from the archive alone
    for target in (db, fresh):
        result = _run("reprocess", "--db", str(target), "--archive", str(crawled["archive"]))
        assert "2 unreadable" in result.stdout + result.stderr, result.stderr[-2000:]
        assert {u: _figures(target, u) for u in before} == before
        assert _dates(target) == dates  # the attachments' dates from their page too
    parents = query(fresh, "select count(*) from documents where parent_url = ?", (base + "tjsj/2.html",))
    assert parents == [(3,)]
