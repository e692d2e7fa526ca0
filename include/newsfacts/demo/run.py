"""`make demo`: serve the demo site, run the DAGs once through Airflow, print what landed."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsfacts.demo.report import demo_report
from newsfacts.demo.site import DemoSite
from newsfacts.flow.airflow_env import run_airflow
from newsfacts.quality.validate import data_docs_index
from newsfacts.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

DEMO_SOURCES = PROJECT_ROOT / "include" / "demo_site" / "sources.yaml"


def run_dags(settings: Settings, base_url: str, logical_date: str, log_dir: Path) -> None:
    """`airflow dags test` the ingest DAG, then the process DAG; raise with the log's tail."""
    extra = {"NEWSFACTS_SOURCES": str(DEMO_SOURCES), "NEWSFACTS_BASE_URL": base_url}
    log_dir.mkdir(parents=True, exist_ok=True)
    steps = [
        ("db-migrate", ["db", "migrate"]),
        ("newsfacts_ingest", ["dags", "test", "newsfacts_ingest", logical_date]),
        ("newsfacts_process", ["dags", "test", "newsfacts_process", logical_date]),
        ("newsfacts_quality", ["dags", "test", "newsfacts_quality", logical_date]),
    ]
    for name, args in steps:
        log.info("airflow %s ...", " ".join(args))
        started = datetime.now(UTC)
        done = run_airflow(settings, *args, extra_env=extra, capture=True, timeout=900)
        log_path = log_dir / f"{name}.log"
        log_path.write_text(done.stdout + done.stderr, encoding="utf-8")
        seconds = (datetime.now(UTC) - started).total_seconds()
        failed = done.returncode != 0 or "state=failed" in done.stdout + done.stderr
        if failed:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
            raise RuntimeError(f"airflow {' '.join(args)} failed (log: {log_path}):\n{tail}")
        log.info("airflow %s ok in %.1fs (log: %s)", " ".join(args), seconds, log_path)


def run_demo(settings: Settings, *, through_airflow: bool = True) -> int:
    """Run the pipeline once against the demo site and print the report; returns an exit code."""
    settings.ensure_dirs()
    logical_date = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    # A fixed port, so the URLs stored in the warehouse work again whenever `newsfacts
    # demo-site` serves the site there (with port 0 they died with the run).
    site = DemoSite(port=settings.demo_port)
    try:
        site.start()
    except OSError as exc:
        log.error(
            "cannot serve the demo site on port %d (%s): stop what uses it, or set"
            " NEWSFACTS_DEMO_PORT to a free port",
            settings.demo_port,
            exc.strerror or exc,
        )
        return 1
    with site:
        base_url = site.base_url
        log.info("demo site at %s", base_url)
        if through_airflow:
            try:
                run_dags(
                    settings, site.base_url, logical_date.isoformat(), settings.home / "demo-logs"
                )
            except RuntimeError as exc:
                log.error("%s", exc)
                return 1
        else:
            from newsfacts.flow.pipeline import run_once
            from newsfacts.ids import run_key_for

            run_once(settings, DEMO_SOURCES, run_key_for(logical_date), base_url=site.base_url)
            from newsfacts.report.render import write_report

            write_report(settings)  # the process DAG's last task does this in the Airflow path
    sys.stdout.write(demo_report(settings.warehouse) + "\n")
    sys.stdout.write(f"\nwarehouse: {settings.warehouse}\n")
    docs = data_docs_index(settings.gx_dir)
    if docs.exists():
        sys.stdout.write(f"Great Expectations Data Docs: file://{docs}\n")
    sys.stdout.write(
        f"article URLs: {base_url}/... (`newsfacts demo-site --port {urlsplit(base_url).port}`"
        " serves them again)\n"
    )
    sys.stdout.write(f"report:    {settings.home / 'reports' / 'latest.html'}\n")
    sys.stdout.write(
        f"explorer:  http://127.0.0.1:{settings.airflow_port}/plugin/facts (Browse > Facts"
        " explorer) once Airflow runs on this data:"
        f" .venv/bin/newsfacts serve --home {settings.home}\n"
    )
    return 0
