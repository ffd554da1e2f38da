"""Many processes on one database: a crawl, reprocess writers and export readers side by side."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, seed
from localcrawl import ARTICLE, FAST, query, serve_pages

from crawler.archive import ArchiveWriter
from crawler.reprocess import reprocess


def _news_site(articles: int) -> tuple[object, str]:
    links = "".join(f'<a href="/news/{n}.html">{n}</a>' for n in range(1, articles + 1))
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, ""),
        "/news/list.html": (200, {}, f"<html><body>{links}</body></html>"),
        **{
            f"/news/{n}.html": (200, {}, ARTICLE.format(t=f"长沙高新区新闻{n}"))
            for n in range(1, articles + 1)
        },
    }
    server = serve_pages(pages)
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.slow
def test_30_runs_side_by_side_a_crawl_writers_and_readers(tmp_path):
    archive = tmp_path / "archive"
    with ArchiveWriter(archive) as w:
        for n, prefix in enumerate(("000", "002", "003")):
            w.write_response(
                f"http://www.hnkfqxh.com/news/{n}.html", 200, {"Content-Type": "text/plain; charset=utf-8"},
                seed(prefix).read_bytes(), "2026-01-02T00:00:00Z",
            )  # fmt: skip
    db = tmp_path / "zones.db"
    reprocess(db, archive, progress=False)
    before = query(db, "select (select count(*) from documents), (select count(*) from metrics)")
    cli = [sys.executable, "-m", "crawler.cli"]
    site_metrics = (
        "select count(*) from metrics where document_id in (select id from documents where url like ?)"
    )
    (seed_before,) = query(db, site_metrics, ("http://www.hnkfqxh.com/%",))[0]
    server, base = _news_site(8)
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        f"- name: t\n  base_url: {base}\n  lists: [news/list.html]\n  article: ^/news/\\d+\\.html$\n"
    )
    crawl = [
        *cli,
        "crawl",
        "portals",
        "--sites",
        str(sites),
        "--db",
        str(db),
        "--archive",
        str(tmp_path / "c"),
    ]
    commands = [crawl + [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]]
    commands += [[*cli, "reprocess", "--db", str(db), "--archive", str(archive)] for _ in range(4)]
    commands += [
        [*cli, "export", what, "--db", str(db), "--format", "jsonl"] for what in ("metrics", "facts") * 12
    ]
    commands += [[*cli, "series", "长沙高新区", "--db", str(db)]]
    assert len(commands) == 30
    try:
        procs = [
            subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        # communicate, not wait: a full stderr pipe (progress bars, the crawl log) would block a child
        errors = [(c[3], p.communicate(timeout=300)[1], p.returncode) for c, p in zip(commands, procs)]
    finally:
        server.shutdown()
    assert all(rc == 0 and "Traceback" not in err and "locked" not in err for _, err, rc in errors), errors
    assert query(db, "pragma integrity_check") == [("ok",)]
    # nothing lost or doubled: the archived pages as before, the crawl's eight articles beside them
    crawled = query(db, "select count(*), count(distinct url) from documents where url like ?", (base + "%",))
    assert crawled == [(8, 8)]
    assert query(db, site_metrics, ("http://www.hnkfqxh.com/%",)) == [(seed_before,)]
    after = query(db, "select (select count(*) from documents), (select count(*) from metrics)")
    (crawled_metrics,) = query(db, site_metrics, (base + "%",))[0]
    assert after == [(before[0][0] + 8, before[0][1] + crawled_metrics)] and crawled_metrics >= 8
