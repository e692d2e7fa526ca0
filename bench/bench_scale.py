"""Scale benchmark: one run of both DAGs over 20 hosts and 5,000 pages, 1 Celery worker vs 2.

Serves generated news sites on the loopback addresses 127.0.0.2 ... 127.0.0.21 (one site per
host, pages made from the demo articles, each with its own URL and a sentence of its own, and a
feed and a sitemap listing them), writes a sources file for them in a temp folder, then for each
worker count starts PostgreSQL, Redis and Airflow with the CeleryExecutor (tools.cluster),
triggers newsfacts_ingest, then newsfacts_process when it is done (scheduling is off so that no
hourly run joins in; see one_round), and reports the end-to-end time and where it went.
Everything started is stopped at the end of each round. Last line: one JSON object.

    .venv/bin/python bench/bench_scale.py [--hosts 20] [--pages 5000] [--workers 1 2]
                                          [--concurrency 2]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import duckdb
import yaml

from newsfacts.settings import PROJECT_ROOT
from tools import cluster

log = logging.getLogger("bench_scale")

ARTICLES = sorted((PROJECT_ROOT / "include" / "demo_site" / "articles").glob("*.html"))
PAGE_NUMBER = re.compile(r"-(\d{5})\.html$")
INGEST = "newsfacts_ingest"
PROCESS = "newsfacts_process"


class GeneratedSite:
    """One host's news site: `pages` article pages built from the demo articles, a feed, a sitemap.

    Page n of host h is demo article n % 10 under its own URL, with one sentence naming the
    page added to the body, so every page is a distinct article of the same ten stories.
    """

    def __init__(self, host: str, pages: int) -> None:
        self.host = host
        self.pages = pages
        self.templates = [(p.stem, p.read_text(encoding="utf-8")) for p in ARTICLES]
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                status, ctype, body = site.respond(self.path.split("?", 1)[0])
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.base_url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def page_path(self, n: int) -> str:
        stem = self.templates[n % len(self.templates)][0]
        return f"/articles/{stem}-{n:05d}.html"

    def page(self, n: int) -> bytes:
        stem, html = self.templates[n % len(self.templates)]
        html = html.replace(
            f"{{{{base_url}}}}/articles/{stem}.html", self.base_url + self.page_path(n)
        )
        html = html.replace("{{base_url}}", self.base_url)
        # One sentence of its own keeps each page a distinct text (same story, new copy).
        marker = '<div class="article-body'
        at = html.find(marker)
        if at >= 0:
            close = html.find(">", at) + 1
            if stem.endswith("-ar"):
                own = f"\n<p>نسخة رقم {n} من هذا التقرير نشرت على {self.host}.</p>"
            else:
                own = f"\n<p>Copy {n} of this report was filed on {self.host}.</p>"
            html = html[:close] + own + html[close:]
        return html.encode("utf-8")

    def sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{escape(self.base_url + self.page_path(n))}</loc></url>\n"
            for n in range(self.pages)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        ).encode()

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>Report {n}</title><link>{escape(self.base_url + self.page_path(n))}"
            "</link></item>\n"
            for n in range(min(self.pages, 20))
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{self.host}</title><link>{self.base_url}/</link>"
            f"<description>generated</description>\n{items}</channel></rss>\n"
        ).encode()

    def respond(self, path: str) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", b"User-agent: *\nAllow: /\n"
        if path == "/sitemap.xml":
            return 200, "application/xml; charset=utf-8", self.sitemap()
        if path == "/feed.xml":
            return 200, "application/rss+xml; charset=utf-8", self.feed()
        found = PAGE_NUMBER.search(path)
        if found and int(found[1]) < self.pages and path == self.page_path(int(found[1])):
            return 200, "text/html; charset=utf-8", self.page(int(found[1]))
        return 404, "text/plain; charset=utf-8", b"not found\n"

    def __enter__(self) -> GeneratedSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def write_sources(path: Path, sites: list[GeneratedSite], pages_per_site: int) -> Path:
    """A sources file with one fast, private-address source per generated site."""
    sources = [
        {
            "name": f"bench-{number:02d}",
            "site": site.base_url,
            "language": "auto",
            "feeds": [f"{site.base_url}/feed.xml"],
            "sitemaps": [f"{site.base_url}/sitemap.xml"],
            "requests_per_second": 50,
            "max_pages_per_run": pages_per_site,
            "allow_private_addresses": True,
        }
        for number, site in enumerate(sites, start=1)
    ]
    path.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")
    return path


def seconds_between(start: datetime | None, end: datetime | None) -> float:
    return (end - start).total_seconds() if start and end else float("nan")


def one_round(root: Path, sources: Path, workers: int, concurrency: int) -> dict[str, Any]:
    """Start a cluster with `workers` workers, run both DAGs once, stop it; what it took."""
    home = root / "home"
    extra = {
        "NEWSFACTS_HOME": str(home),
        "NEWSFACTS_SOURCES": str(sources),
        # No scheduled runs: newsfacts_ingest is hourly, and an hour tick during a long round
        # would start a second ingest. This also stops asset-triggered runs, so the bench
        # triggers newsfacts_process itself once the ingest run is done.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
    }
    started = time.monotonic()
    with cluster.running_cluster(
        root, workers=workers, concurrency=concurrency, extra_env=extra
    ) as c:
        up_s = time.monotonic() - started
        c.wait_for_dag(INGEST)
        c.wait_for_dag(PROCESS)
        logical_date = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        c.airflow("dags", "unpause", PROCESS)
        c.airflow("dags", "unpause", INGEST)
        c.airflow("dags", "trigger", INGEST, "--logical-date", logical_date.isoformat(),
                  "--run-id", "bench_ingest")  # fmt: skip
        ingest = c.wait_for_run(INGEST, run_id="bench_ingest", timeout=7200)
        c.airflow("dags", "trigger", PROCESS, "--run-id", "bench_process")
        process = c.wait_for_run(PROCESS, run_id="bench_process", timeout=7200)
        ingest_run = next(r for r in c.dag_runs(INGEST) if r[0] == ingest[0])
        process_run = next(r for r in c.dag_runs(PROCESS) if r[0] == process[0])
        tasks = c.pg.query(
            "SELECT task_id, hostname, start_date, end_date, state FROM task_instance"
            " WHERE dag_id IN (%s, %s) AND start_date IS NOT NULL",
            [INGEST, PROCESS],
        )
    by_task: dict[str, list[float]] = defaultdict(list)
    per_host: dict[str, int] = defaultdict(int)
    for task_id, hostname, start, end, _ in tasks:
        by_task[task_id].append(seconds_between(start, end))
        per_host[hostname] += 1
    with duckdb.connect(str(home / "newsfacts.duckdb"), read_only=True) as con:
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("articles", "troop_counts", "date_mentions", "entities", "quotes")
        }
    return {
        "workers": workers,
        "concurrency": concurrency,
        "states": [ingest[1], process[1]],
        "cluster_up_s": round(up_s, 1),
        "ingest_s": round(seconds_between(ingest_run[3], ingest_run[4]), 1),
        "process_s": round(seconds_between(process_run[3], process_run[4]), 1),
        "end_to_end_s": round(seconds_between(ingest_run[3], process_run[4]), 1),
        "handoff_s": round(seconds_between(ingest_run[4], process_run[3]), 1),
        "tasks": {
            task: {"n": len(d), "sum_s": round(sum(d), 1), "max_s": round(max(d), 1)}
            for task, d in sorted(by_task.items())
        },
        "tasks_per_worker": dict(per_host),
        "rows": counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=5000, help="pages in all, over all hosts")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=2, help="task slots per worker")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("tools.cluster").setLevel(logging.WARNING)

    missing = cluster.missing_binaries()
    if missing:
        sys.stderr.write(f"missing {', '.join(missing)}: run scripts/ci-services.sh\n")
        return 1
    per_site = args.pages // args.hosts
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    results = []
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-scale-") as tmp:
        sites = [GeneratedSite(host, per_site) for host in hosts]
        for site in sites:
            site.__enter__()
        try:
            sources = write_sources(Path(tmp) / "sources.yaml", sites, per_site)
            for workers in args.workers:
                log.info("round: %d worker(s) x %d slots", workers, args.concurrency)
                result = one_round(Path(tmp) / f"w{workers}", sources, workers, args.concurrency)
                log.info("%s", json.dumps(result))
                results.append(result)
        finally:
            for site in sites:
                site.__exit__()

    sys.stdout.write(f"\n{args.hosts} hosts, {per_site * args.hosts} pages, "
                     f"{args.concurrency} task slots per worker\n")  # fmt: skip
    for r in results:
        sys.stdout.write(
            f"{r['workers']} worker(s): end to end {r['end_to_end_s']:.1f}s "
            f"(ingest {r['ingest_s']:.1f}s, process {r['process_s']:.1f}s), "
            f"{r['rows']['articles']} articles, states {r['states']}\n"
        )
        for task, t in r["tasks"].items():
            sys.stdout.write(
                f"    {task:22s} n={t['n']:3d} sum={t['sum_s']:7.1f}s max={t['max_s']:6.1f}s\n"
            )
    summary: dict[str, Any] = {
        "bench": "scale",
        "hosts": args.hosts,
        "pages": per_site * args.hosts,
        "concurrency": args.concurrency,
        "rounds": results,
    }
    if len(results) >= 2 and results[-1]["end_to_end_s"]:
        summary["speedup"] = round(results[0]["end_to_end_s"] / results[-1]["end_to_end_s"], 2)
        sys.stdout.write(
            f"ratio {results[0]['workers']}w/{results[-1]['workers']}w: {summary['speedup']}\n"
        )
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
