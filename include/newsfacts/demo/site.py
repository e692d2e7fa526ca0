"""Demo news site: serve include/demo_site on 127.0.0.1, filling in `{{base_url}}` per server."""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

DEMO_ROOT = Path(__file__).resolve().parents[2] / "demo_site"
PLACEHOLDER = b"{{base_url}}"

# Only site files are served: the labels (expected.json) and sources.yaml beside them are not.
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
_RSS_TYPE = "application/rss+xml; charset=utf-8"
_SUBSTITUTED = {".html", ".xml", ".txt"}


def _content_type(path: Path, body: bytes) -> str:
    if path.suffix == ".xml" and b"<rss" in body[:1024]:
        return _RSS_TYPE
    return _CONTENT_TYPES[path.suffix]


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses weak comparison: W/ prefixes are ignored, `*` matches anything."""
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _not_modified_since(header: str, modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= since


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD for files under `root`; everything else the base class refuses."""

    root: Path
    base_url: bytes
    protocol_version = "HTTP/1.1"
    server_version = "newsfacts-demo/1.0"

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _resolve(self) -> Path | None:
        """The file a request path names, or None when it is outside the root or not a site file."""
        path = unquote(urlsplit(self.path).path)
        if "\x00" in path or "\\" in path:
            return None
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root):
            log.warning("refused path outside the demo root: %r", self.path)
            return None
        if target.is_dir():
            target = target / "index.html"
        if target.suffix not in _CONTENT_TYPES or not target.is_file():
            return None
        return target

    def _reply(self, status: int, headers: dict[str, str], body: bytes, with_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(body)

    def _serve(self, *, with_body: bool) -> None:
        target = self._resolve()
        if target is None:
            headers = {"Content-Type": "text/plain; charset=utf-8"}
            self._reply(HTTPStatus.NOT_FOUND, headers, b"not found\n", with_body)
            return
        body = target.read_bytes()
        if target.suffix in _SUBSTITUTED:
            body = body.replace(PLACEHOLDER, self.base_url)
        modified = datetime.fromtimestamp(target.stat().st_mtime, UTC)
        etag = _etag(body)
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(modified.timestamp(), usegmt=True),
            "Cache-Control": "no-cache",
        }
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
        if if_none_match is not None:
            fresh = _etag_matches(if_none_match, etag)
        else:
            fresh = if_modified_since is not None and _not_modified_since(
                if_modified_since, modified
            )
        if fresh:
            self._reply(HTTPStatus.NOT_MODIFIED, headers, b"", with_body)
            return
        headers["Content-Type"] = _content_type(target, body)
        self._reply(HTTPStatus.OK, headers, body, with_body)


def _base_url(httpd: ThreadingHTTPServer) -> str:
    host, port = httpd.server_address[:2]
    if isinstance(host, bytes):
        host = host.decode()
    return f"http://{host}:{port}"


def _make_server(host: str, port: int, root: Path | None) -> ThreadingHTTPServer:
    root = (root or DEMO_ROOT).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"demo site folder not found: {root}")
    httpd = ThreadingHTTPServer((host, port), _Handler)
    base_url = _base_url(httpd)
    # A subclass per server keeps each server's root and URL apart (tests run several at once).
    httpd.RequestHandlerClass = type(
        "DemoHandler", (_Handler,), {"root": root, "base_url": base_url.encode()}
    )
    return httpd


class DemoSite:
    """The demo news site on 127.0.0.1, served from a daemon thread.

    Use as a context manager (`with DemoSite() as site: site.base_url`) or call start()/stop().
    Port 0 (the default) takes any free port.
    """

    def __init__(self, root: Path | None = None, *, host: str = "127.0.0.1", port: int = 0):
        self.root = root
        self.host = host
        self.port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`, without a trailing slash; only while running."""
        if self._httpd is None:
            raise RuntimeError("demo site is not running")
        return _base_url(self._httpd)

    def url(self, path: str) -> str:
        """The absolute URL of a site path such as `/feed.xml`."""
        return self.base_url + "/" + path.lstrip("/")

    def start(self) -> DemoSite:
        """Bind the port and start serving in a daemon thread; returns self."""
        if self._httpd is not None:
            return self
        self._httpd = _make_server(self.host, self.port, self.root)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="newsfacts-demo-site", daemon=True
        )
        self._thread.start()
        log.info("demo site serving %s at %s", self.root or DEMO_ROOT, self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (safe to call twice)."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_forever(host: str = "127.0.0.1", port: int = 8765, root: Path | None = None) -> None:
    """Serve the demo site in the foreground until interrupted (`newsfacts demo-site`)."""
    httpd = _make_server(host, port, root)
    log.info("demo site at %s/ (Ctrl-C to stop)", _base_url(httpd))
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        log.info("demo site stopped")
    finally:
        httpd.server_close()
