"""`make demo` end to end without Airflow: what it stores stays reachable after it ends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest
import requests

from newsfacts.demo.run import run_demo
from newsfacts.demo.site import DemoSite
from newsfacts.settings import Settings
from tools.cluster import free_port

# The whole pipeline over the demo site (about a minute on two busy cores): not the unit tier.
pytestmark = pytest.mark.integration


def test_the_demo_stores_urls_that_work_after_it_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo serves its site on the configured port, so its stored URLs are served again."""
    port = free_port()
    settings = dataclasses.replace(Settings.from_env(home=tmp_path / "home"), demo_port=port)
    assert run_demo(settings, through_airflow=False) == 0
    out = capsys.readouterr().out
    assert f"demo-site --port {port}" in out
    assert f"Data Docs: file://{settings.gx_dir}/" in out
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        urls = [row[0] for row in con.execute("SELECT url FROM articles").fetchall()]
    assert len(urls) == 10
    assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in urls)
    with DemoSite(port=port) as again:  # `newsfacts demo-site --port <port>`, after the run
        assert all(requests.get(url, timeout=5).status_code == 200 for url in urls)
        assert again.base_url == f"http://127.0.0.1:{port}"
    # and a port that is taken is said, not a traceback
    with DemoSite(port=port):
        assert run_demo(settings, through_airflow=False) == 1
