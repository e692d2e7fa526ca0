"""Fetch throughput against politeness: pages from many local hosts, each allowing R requests/s.

Twenty ThreadingHTTPServers listen on 127.0.0.2 ... 127.0.0.21 (loopback addresses). One
source lists them all (one sitemap per host); ingest.fetch_source runs in a child process
per run size, so its peak memory (ru_maxrss) is its own. The servers stamp every request, so
the per-host rate is measured where it matters: at the server.

Prints, per run size: pages/s as a share of the politeness ceiling (hosts x R, target >= 0.9),
the most requests any host saw within one second (must never exceed R), the most requests a
host had in flight at once (must be 1), and peak memory. The last line is one JSON object.

    .venv/bin/python bench/bench_fetch.py                 # 20 hosts, R=5, 500 then 2000 pages
    .venv/bin/python bench/bench_fetch.py --sizes 200 --rate 10
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_left
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PARAGRAPH = (
    "<p>Officials said the rotation would keep the number of troops at the base unchanged,"
    " while engineers extended the runway and built new barracks for the incoming units.</p>"
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {n}</title></head><body>"
    "<article><h1>Story {n}</h1>" + PARAGRAPH * 100 + "</article></body></html>"
)


class Host:
    """One local site: robots.txt, a sitemap of N pages, the pages; every request stamped."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.stamps: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with host.lock:
                    host.stamps.append(time.monotonic())
                    host.in_flight += 1
                    host.max_in_flight = max(host.max_in_flight, host.in_flight)
                try:
                    status, kind, body = host.answer(self.path)
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with host.lock:
                        host.in_flight -= 1

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path.startswith("/sitemap-"):
            run, count = path.removeprefix("/sitemap-").removesuffix(".xml").split("-")
            urls = "".join(
                f"<url><loc>{self.base}/{run}/story-{i}.html</loc></url>" for i in range(int(count))
            )
            body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            return 200, "application/xml", body.encode()
        if path.endswith(".html"):
            return 200, "text/html; charset=utf-8", PAGE.format(n=path).encode()
        return 404, "text/plain", b"not found"


def worst_second(stamps: list[float]) -> int:
    """The most requests within any window of one second."""
    stamps = sorted(stamps)
    return max(
        (i + 1 - bisect_left(stamps, t - 1.0 + 1e-9) for i, t in enumerate(stamps)), default=0
    )


def child(spec: dict[str, Any]) -> None:
    """Run the fetch stage once (in its own process) and print its figures."""
    os.environ["NEWSFACTS_FETCH_PARALLEL_HOSTS"] = str(len(spec["hosts"]))
    from newsfacts.crawl.sources import Source
    from newsfacts.flow.batch import Batch
    from newsfacts.flow.ingest import fetch_source
    from newsfacts.settings import Settings

    hosts = spec["hosts"]
    source = Source(
        name="bench",
        site=hosts[0],
        language="en",
        sitemaps=tuple(f"{h}/sitemap-{spec['run']}-{spec['per_host']}.xml" for h in hosts),
        allowed_domains=tuple(h.split("//")[1].split(":")[0] for h in hosts),
        requests_per_second=spec["rate"],
        max_pages_per_run=100_000,
        allow_private_addresses=True,
    )
    settings = Settings.from_env(home=spec["home"])
    started = time.monotonic()
    batch_id = fetch_source(settings, source, "2024-06-20T00-00-00Z")
    elapsed = time.monotonic() - started
    manifest = Batch.at(settings, batch_id).read_manifest()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed_s": elapsed, "counts": manifest.counts, "peak_mb": peak_mb}))


def run_size(hosts: list[Host], pages: int, rate: float, run: str) -> dict[str, Any]:
    per_host = pages // len(hosts)
    for host in hosts:
        host.stamps.clear()
        host.max_in_flight = 0
    with tempfile.TemporaryDirectory() as home:
        spec = {
            "hosts": [h.base for h in hosts],
            "per_host": per_host,
            "rate": rate,
            "run": run,
            "home": home,
        }
        done = subprocess.run(
            [sys.executable, __file__, "--child", json.dumps(spec)],
            check=True,
            capture_output=True,
            text=True,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    fetched = figures["counts"].get("fetched", 0)
    ceiling = len(hosts) * rate
    return {
        "pages": per_host * len(hosts),
        "fetched": fetched,
        "failures": {k: v for k, v in figures["counts"].items() if k != "fetched"},
        "elapsed_s": round(figures["elapsed_s"], 2),
        "pages_per_s": round(fetched / figures["elapsed_s"], 1),
        "ceiling_per_s": ceiling,
        "rate_ratio": round(fetched / figures["elapsed_s"] / ceiling, 3),
        "worst_host_requests_in_1s": max(worst_second(h.stamps) for h in hosts),
        "max_in_flight_per_host": max(h.max_in_flight for h in hosts),
        "requests_seen": sum(len(h.stamps) for h in hosts),
        "peak_mb": round(figures["peak_mb"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--rate", type=float, default=5.0, help="requests per second per host")
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    hosts = [Host(f"127.0.0.{2 + i}") for i in range(args.hosts)]
    results = []
    for number, size in enumerate(args.sizes):
        figures = run_size(hosts, size, args.rate, f"run{number}")
        results.append(figures)
        print(
            f"{figures['fetched']} pages from {args.hosts} hosts at R={args.rate:g}:"
            f" {figures['pages_per_s']} pages/s = {figures['rate_ratio']:.3f} of the"
            f" {figures['ceiling_per_s']:g}/s ceiling; worst host second"
            f" {figures['worst_host_requests_in_1s']} requests (limit {args.rate:g});"
            f" max in flight per host {figures['max_in_flight_per_host']};"
            f" peak {figures['peak_mb']} MB"
        )
    last = results[-1]
    summary = {
        "hosts": args.hosts,
        "rate_per_host": args.rate,
        "pages": last["fetched"],
        "rate_ratio": last["rate_ratio"],
        "rate_ratio_target": 0.9,
        "worst_host_requests_in_1s": max(r["worst_host_requests_in_1s"] for r in results),
        "max_in_flight_per_host": max(r["max_in_flight_per_host"] for r in results),
        "peak_mb_by_pages": {str(r["fetched"]): r["peak_mb"] for r in results},
        "failures": last["failures"],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
