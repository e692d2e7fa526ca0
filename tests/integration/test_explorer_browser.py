"""A real browser against a real `airflow api-server` with the plugin: the explorer as a user sees it.

Headless Chromium from Debian's packages (scripts/ci-services.sh installs it), driven by
Playwright's Python package through `executable_path` (no browser download). One api-server
start on 127.0.0.1; every request the browser makes elsewhere (the article links) is answered by
a stub in the browser and never leaves the machine. Screenshots land in the test's tmp folder.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb
import pytest

from newsfacts.flow.airflow_env import airflow_env, run_airflow
from newsfacts.report.render import CHARTS, write_report
from newsfacts.settings import Settings
from newsfacts.warehouse import snapshot
from tools import cluster, synthetic_warehouse

pytestmark = [pytest.mark.airflow, pytest.mark.integration, pytest.mark.timeout(420)]

USER, PASSWORD = "analyst", "analyst-password"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_or_skip() -> str:
    found = shutil.which("chromium")
    reason = ""
    if not found:
        reason = "chromium not installed: run scripts/ci-services.sh (make services)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright not installed: make install"
    if reason:
        if os.environ.get("NEWSFACTS_REQUIRE_SERVICES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return str(found)


@dataclass(frozen=True)
class Explorer:
    url: str
    settings: Settings
    screenshots: Path


@pytest.fixture(scope="module")
def explorer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Explorer]:
    """A made-up warehouse, its snapshot and report, and an api-server with the plugin loaded."""
    chromium_or_skip()
    root = tmp_path_factory.mktemp("browser")
    settings = synthetic_warehouse.build(root / "home", facts=2_000)
    write_report(settings)
    port = cluster.free_port()
    airflow_home = settings.home / "airflow"
    airflow_home.mkdir(parents=True, exist_ok=True)
    passwords = airflow_home / "passwords.json"
    passwords.write_text(json.dumps({USER: PASSWORD}))
    extra = {
        "AIRFLOW__CORE__AUTH_MANAGER": (
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": "browser-test-secret",
    }
    migrated = run_airflow(settings, "db", "migrate", extra_env=extra, capture=True, timeout=240)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    env = {**airflow_env(settings, port=port), **extra}
    server = cluster.start_process(
        "api-server",
        [cluster.airflow_executable(), "api-server", "--port", str(port), "--host", "127.0.0.1"],
        root / "api-server.log",
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        cluster.wait_until(
            lambda: cluster.http_ok(f"{url}/api/v2/monitor/health"),
            "api-server",
            timeout=240,  # about 20 s idle; much longer on two cores shared with other tests
            watch=[server],
        )
        yield Explorer(url, settings, root / "screenshots")
    finally:
        cluster.stop_process(server)


@pytest.fixture(scope="module")
def browser(explorer: Explorer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=chromium_or_skip(), headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


def keep_local(context: Any) -> None:
    """Requests to any host but 127.0.0.1 get a stub page: tests talk only to this machine."""

    def handle(route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("file:") or host == "127.0.0.1":
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body="<p>stub of an outlet</p>")

    context.route("**/*", handle)


def snapshot_row(settings: Settings, sql: str) -> tuple:
    path = snapshot.current_snapshot(settings.home)
    assert path is not None
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


def test_an_analyst_logs_in_filters_and_reads_the_evidence(explorer: Explorer, browser) -> None:
    from playwright.sync_api import expect

    shots = explorer.screenshots
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    keep_local(context)
    page = context.new_page()

    page.goto(f"{explorer.url}/auth/login")
    page.locator("input[name=username]").fill(USER)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda u: "/auth/login" not in u, timeout=30_000)
    browse = page.get_by_role("button", name="Browse")
    browse.wait_for(timeout=30_000)
    page.screenshot(path=shots / "01-logged-in.png")

    # Browse > Facts explorer, as a user finds it
    browse.click()
    page.get_by_role("menuitem", name="Facts explorer").click()
    page.wait_for_url("**/plugin/facts", timeout=30_000)
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text("Troop counts", timeout=30_000)
    expect(frame.locator("tr.fact").first).to_be_visible()
    page.screenshot(path=shots / "02-explorer-in-browse-menu.png")

    # filter: United States in Iraq, Arabic articles
    frame.locator("select[name=actor]").select_option("USA")
    frame.locator("select[name=location]").select_option("IRQ")
    frame.locator("select[name=lang]").select_option("ar")
    frame.locator("#apply").click()
    expect(frame.locator("select[name=lang]")).to_have_value("ar")
    rows = frame.locator("tr.fact")
    expected = snapshot_row(
        explorer.settings,
        "SELECT count(*) FROM explore_facts WHERE actor = 'USA' AND location = 'IRQ' AND lang = 'ar'",
    )[0]
    expect(rows).to_have_count(min(expected, 50))
    for text in rows.locator("td:nth-child(3)").all_inner_texts():
        assert text.startswith("USA") and "الولايات المتحدة" in text
    page.screenshot(path=shots / "03-filtered-usa-iraq-arabic.png")

    # open the first fact: its evidence is highlighted, the Arabic body runs right to left
    fact_id = rows.first.get_attribute("data-fact-id")
    rows.first.locator("a.open-fact").click()
    body = frame.locator("#body")
    expect(body).to_have_attribute("dir", "rtl")
    sentence, start, end, url = snapshot_row(
        explorer.settings,
        f"SELECT sentence, char_start, char_end, canonical_url FROM explore_facts"
        f" WHERE fact_id = '{fact_id}'",
    )
    mark = body.locator("mark#evidence")
    expect(mark).to_have_text(sentence)
    assert mark.get_attribute("data-char-start") == str(start)
    assert mark.get_attribute("data-char-end") == str(end)
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    mark.scroll_into_view_if_needed()
    page.screenshot(path=shots / "04-fact-evidence-highlighted-rtl.png")

    # the article link opens a new tab although the UI's iframe forbids popups
    with context.expect_page(timeout=15_000) as opened:
        frame.locator("a.external").first.click()
    assert opened.value.url.rstrip("/") == url.rstrip("/")

    # the fact's timeline: the chart draws from the plugin's own Vega, a point opens its facts
    frame.get_by_role("link", name="timeline").first.click()
    point = frame.locator("#chart svg g.mark-symbol path").first
    point.wait_for(timeout=30_000)
    page.screenshot(path=shots / "05-timeline-chart.png")
    point.click(force=True)
    expect(frame.locator("#body, table.facts").first).to_be_visible(timeout=30_000)
    context.close()


def test_the_report_draws_its_charts_with_the_network_off(explorer: Explorer, browser) -> None:
    context = browser.new_context(offline=True, viewport={"width": 1100, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    report = explorer.settings.home / "reports" / "latest.html"
    page.goto(report.as_uri())
    for chart in CHARTS:
        section = page.locator(f"section#{chart.name}")
        section.locator(".chart svg").first.wait_for(timeout=20_000)
        assert section.get_attribute("data-rendered") == "true"
        marks = section.locator(".chart svg path, .chart svg .mark-symbol path").count()
        assert marks > 3, chart.name
    page.screenshot(path=explorer.screenshots / "06-report-offline.png", full_page=True)
    assert requests == [report.as_uri()]
    context.close()
