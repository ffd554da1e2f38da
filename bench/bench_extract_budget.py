"""A crawl with one 6 MB dense page next to ordinary ones: wall time, against the same crawl without it.

Metric reading stops at ZONECRAWL_EXTRACT_MAX_CHARS and runs off the reactor thread, so the dense
page should cost seconds, not minutes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "<html><head><title>{t}</title></head><body><h1>{t}</h1><p>{t}。2022年，园区实现营业收入100亿元。</p></body></html>"
DENSE = "".join(f"园区实现营业收入{n % 1000}亿元，同比增长12.5%，" for n in range(130_000))


def serve(pages: dict[str, str]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            data = pages.get(self.path, "").encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def crawl_seconds(dense: bool, *settings: str) -> float:
    pages = {f"/news/{n}.html": ARTICLE.format(t=f"新闻{n}") for n in range(2, 21)}
    if dense:
        pages["/news/1.html"] = f"<html><body><h1>密集</h1><p>{DENSE}</p></body></html>"
    pages["/news/list.html"] = "".join(f'<a href="{p}">x</a>' for p in pages)
    server = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp, "sites.yaml")
        sites.write_text(
            f"- name: t\n  base_url: {base}\n  lists: [news/list.html]\n  article: ^/news/\\d+\\.html$\n"
        )
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", "portals", "--sites", str(sites)]
        cmd += [
            "--db",
            f"{tmp}/z.db",
            "--archive",
            f"{tmp}/a",
            "-s",
            "ZONECRAWL_ALLOW_PRIVATE_ADDRESSES=True",
        ]
        cmd += ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
        for setting in settings:
            cmd += ["-s", setting]
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True)
        elapsed = time.perf_counter() - start
    server.shutdown()
    return elapsed


def main() -> None:
    plain, dense = crawl_seconds(False), crawl_seconds(True)
    unbounded = crawl_seconds(True, "ZONECRAWL_EXTRACT_MAX_CHARS=0")
    size = len(DENSE.encode()) / 1e6
    print(f"crawl of 20 pages: {plain:.1f} s; with one {size:.1f} MB dense page: {dense:.1f} s")
    print(f"the same without the metrics budget (ZONECRAWL_EXTRACT_MAX_CHARS=0): {unbounded:.1f} s")


if __name__ == "__main__":
    main()
