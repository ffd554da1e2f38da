"""Serve the bundled copies of the zone sites (tests/fixtures/sites/) on 127.0.0.1.

Each site folder gets its own HTTP server on its own port, in a thread, so each has its own
robots.txt and its own politeness slot, as real sites do. Files are served as raw bytes; a
`<file>.headers` file beside one replaces its headers (a charset that lies, say), and otherwise
HTML goes out as `text/html` without a charset. `localsites.yaml` in the folder adds the special
behaviours: slow pages, failing pages, a redirect loop, an oversized page, sites without
ETag/Last-Modified, and dead sites (a closed port).

    with LocalSites() as sites:
        run_crawl([], db, archive, None, None, {"ZONECRAWL_BASE_URLS": sites.base_urls, ...})

`python -m crawler.localsites` serves them until interrupted.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import socket
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

SITES_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sites"
CONFIG = "localsites.yaml"
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".php": "text/html",
    ".jsp": "text/html",
    ".asp": "text/html",
    ".aspx": "text/html",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "localsite/1.0"

    def __init__(self, *args, root: Path, behaviour: dict, **kwargs):
        self.root = root
        self.behaviour = behaviour
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # quiet: the crawl logs what matters
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        b = self.behaviour
        path = unquote(urlsplit(self.path).path)
        if path in b.get("slow", {}):
            time.sleep(float(b["slow"][path]))
        if path in b.get("status", {}):
            return self._send(int(b["status"][path]), b"<html><body>Server Error</body></html>", {}, head)
        if path in b.get("redirect_loop", []):
            hop = int(dict(_query(self.path)).get("hop", "0")) + 1
            return self._send(302, b"", {"Location": f"{path}?hop={hop}"}, head)
        if path in b.get("oversize", {}):
            size = int(b["oversize"][path])
            return self._send(200, b"<html><body>" + b"x" * size + b"</body></html>", {}, head)
        file = self._file(path, urlsplit(self.path).query)
        if file is None:
            return self._send(404, b"<html><body>404 Not Found</body></html>", {}, head)
        body = file.read_bytes()
        kind = _TYPES.get(file.suffix) or _TYPES.get(Path(path).suffix, "application/octet-stream")
        headers = {"Content-Type": kind}
        if b.get("validators", True):
            headers["ETag"] = '"' + hashlib.md5(body).hexdigest()[:16] + '"'
            headers["Last-Modified"] = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
            if self._not_modified(headers):
                return self._send(304, b"", {"ETag": headers["ETag"]}, head)
        sidecar = file.with_name(file.name + ".headers")
        if sidecar.exists():
            for line in sidecar.read_text(encoding="utf-8").splitlines():
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip()] = v.strip()
        self._send(200, body, headers, head)

    def _file(self, path: str, query: str = "") -> Path | None:
        # A page with a query (index.php?m=content&id=5) is the file `index.php@m=content&id=5`.
        if query and (self.root / f"{path.lstrip('/')}@{query}").is_file():
            path = f"{path}@{query}"
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root) or target.name.endswith(".headers"):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _not_modified(self, headers: dict) -> bool:
        if self.headers.get("If-None-Match"):
            return self.headers["If-None-Match"] == headers["ETag"]
        return self.headers.get("If-Modified-Since") == headers["Last-Modified"]

    def _send(self, status: int, body: bytes, headers: dict, head: bool) -> None:
        self.server.requests.append((self.path, status))  # type: ignore[attr-defined]
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            # the client may give up halfway (a size limit)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)


def _query(url: str) -> list[tuple[str, str]]:
    q = urlsplit(url).query
    return [tuple(p.split("=", 1)) for p in q.split("&") if "=" in p]  # type: ignore[misc]


def _closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalSites:
    """The bundled sites served on 127.0.0.1, one threaded server per site; a context manager.

    `base_urls` maps spider and sites.yaml entry names to `http://127.0.0.1:<port>/`, ready for
    the ZONECRAWL_BASE_URLS setting (dead sites included, on a closed port). `requests[name]` lists
    what each server was asked for, in order, as (path, status answered).

    With `fixed_ports` (the default) each site gets the port localsites.yaml names, so its pages
    keep their URLs across runs and processes (the demo run twice adds nothing); tests that must
    not collide with a running demo pass `fixed_ports=False` for free ports.
    """

    def __init__(
        self, root: str | Path = SITES_DIR, names: list[str] | None = None, fixed_ports: bool = True
    ) -> None:
        self.root = Path(root).resolve()
        path = self.root / CONFIG
        config = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
        self.behaviours: dict[str, dict] = config.get("sites") or {}
        self.dead: dict[str, int] = dict(config.get("dead") or {})
        self.fixed_ports = fixed_ports
        folders = sorted(p.name for p in self.root.iterdir() if p.is_dir())
        self.names = [n for n in folders if names is None or n in names]
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.threads: list[threading.Thread] = []
        self.base_urls: dict[str, str] = {}
        self.requests: dict[str, list[tuple[str, int]]] = {}

    def start(self) -> LocalSites:
        for name in self.names:
            behaviour = self.behaviours.get(name, {}) or {}
            handler = partial(_Handler, root=self.root / name, behaviour=behaviour)
            port = int(behaviour.get("port", 0)) if self.fixed_ports else 0
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
            server.daemon_threads = True
            server.requests = self.requests.setdefault(name, [])  # type: ignore[attr-defined]
            thread = threading.Thread(target=server.serve_forever, name=f"localsite-{name}", daemon=True)
            thread.start()
            self.servers[name] = server
            self.threads.append(thread)
            self.base_urls[behaviour.get("spider", name)] = f"http://127.0.0.1:{server.server_port}/"
        for name, port in self.dead.items():
            self.base_urls[name] = f"http://127.0.0.1:{port if self.fixed_ports else _closed_port()}/"
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()
        self.servers.clear()

    def __enter__(self) -> LocalSites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    import json

    with LocalSites() as sites:
        print(json.dumps(sites.base_urls, indent=2))
        print("serving; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
