"""Routes that misbehave on purpose (slow, reset, truncated, endless, bombs), for LocalServer."""

from __future__ import annotations

import gzip
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from itertools import pairwise

from tests.support.server import Handler, LocalServer, Reply, Route

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}
TEXT = {"Content-Type": "text/plain"}


@dataclass
class HostServer(LocalServer):
    """A LocalServer bound to another loopback address (127.0.0.2, ...)."""

    host: str = "127.0.0.2"

    def __post_init__(self) -> None:
        server = self

        class _Handler(Handler):
            owner = server

        self._httpd = ThreadingHTTPServer((self.host, 0), _Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)


@dataclass
class Stamps:
    """When each request for a path arrived (server clock), and the bytes each route sent."""

    times: dict[str, list[float]] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)

    def stamp(self, route: Route) -> Route:
        def handle(handler: Handler) -> Reply | None:
            path = handler.path.split("?", 1)[0]
            self.times.setdefault(path, []).append(time.monotonic())
            return route(handler) if callable(route) else route

        return handle

    def gaps(self, path: str) -> list[float]:
        times = self.times.get(path, [])
        return [b - a for a, b in pairwise(times)]


def sequence(*replies: Reply) -> Route:
    """Answer with each reply in turn; the last one repeats."""
    calls = {"n": 0}

    def handle(_handler: Handler) -> Reply:
        reply = replies[min(calls["n"], len(replies) - 1)]
        calls["n"] += 1
        return reply

    return handle


def slow(delay_s: float, reply: Reply) -> Route:
    """Answer only after `delay_s` seconds (longer than the client's read timeout)."""

    def handle(handler: Handler) -> None:
        time.sleep(delay_s)
        status, headers, body = reply
        try:
            handler.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client gave up long ago
        handler.close_connection = True

    return handle


def trickle(pause_s: float, total: int) -> Route:
    """Send a page one byte at a time, each well within the read timeout: never done."""

    def handle(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        try:
            for _ in range(total):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(pause_s)
        except OSError:
            pass
        handler.close_connection = True

    return handle


def reset(handler: Handler) -> None:
    """Abort the connection with a TCP reset instead of answering."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    os.close(handler.connection.detach())
    handler.close_connection = True


def truncated(declared: int, sent: bytes, headers: dict[str, str] = HTML) -> Route:
    """Promise `declared` bytes in Content-Length, send fewer, then close."""

    def handle(handler: Handler) -> None:
        handler.send_response(200)
        for name, value in {**headers, "Content-Length": str(declared)}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(sent)
        handler.close_connection = True

    return handle


def streamed(
    chunks: Callable[[], Iterator[bytes]], headers: dict[str, str], stamps: Stamps, key: str
) -> Route:
    """Send a body produced chunk by chunk (chunked encoding); count what got out."""

    def handle(handler: Handler) -> None:
        handler.send_response(200)
        for name, value in {**headers, "Transfer-Encoding": "chunked"}.items():
            handler.send_header(name, value)
        handler.end_headers()
        stamps.sent[key] = 0
        try:
            for chunk in chunks():
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                stamps.sent[key] += len(chunk)
            handler.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client stopped reading: what we want
        handler.close_connection = True

    return handle


def filler_html(total: int, block: int = 65536) -> Callable[[], Iterator[bytes]]:
    """A page of `total` bytes made on the fly, never held whole."""
    line = b"<p>Convoys moved along the border road through the night.</p>\n"
    piece = (line * (block // len(line) + 1))[:block]

    def chunks() -> Iterator[bytes]:
        yield b"<html><body>"
        for _ in range(total // block):
            yield piece

    return chunks


def gzip_bomb(members: int, member_decoded: int = 64 << 20) -> Callable[[], Iterator[bytes]]:
    """`members` gzip members of `member_decoded` zero bytes each (about 1000:1), one after the
    other as gzip allows: a small stream that inflates to members x member_decoded bytes.
    """
    member = gzip.compress(bytes(member_decoded), 6)

    def chunks() -> Iterator[bytes]:
        for _ in range(members):
            yield member

    return chunks


def redirect(location: str, status: int = 302) -> Reply:
    return status, {"Location": location, "Content-Type": "text/plain"}, b""


def conditional(etag: str, last_modified: str, reply: Reply) -> Route:
    """Answer 304 when the request's validators match, else the full reply with them."""

    def handle(handler: Handler) -> Reply:
        status, headers, body = reply
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if handler.headers.get("If-None-Match") == etag:
            return 304, validators, b""
        return status, {**headers, **validators}, body

    return handle


def sitemap(urls: list[tuple[str, str | None]]) -> Reply:
    """A sitemap listing (url, lastmod) pairs."""
    entries = "".join(
        f"<url><loc>{url}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</url>"
        for url, lastmod in urls
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )
    return 200, XML, body.encode()


def article(
    title: str, paragraphs: list[str], *, charset: str = "utf-8", meta: bool = True
) -> bytes:
    """A small news page in `charset`, with or without its <meta charset>."""
    head = f'<meta charset="{charset}">' if meta else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )
    return page.encode(charset)
