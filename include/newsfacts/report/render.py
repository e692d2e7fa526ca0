"""The report: one self-contained HTML file of charts, plus an SVG and a PNG of each chart.

Reads the current warehouse snapshot (never the warehouse: the writer may hold it), writes
<home>/reports/<stamp>.html, its charts in <home>/reports/<stamp>/, and copies the page to
<home>/reports/latest.html. The page carries Vega, Vega-Lite and vega-embed inline (the bundle
vl-convert ships), so it draws its charts with no network; the SVG and PNG files are rendered by
vl-convert without a browser.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from newsfacts.report import charts
from newsfacts.settings import Settings
from newsfacts.warehouse.snapshot import current_snapshot
from newsfacts.warehouse.sql import statement

log = logging.getLogger(__name__)

KEEP_REPORTS = 30
TROOP_PAIRS = 6
FACT_DAYS = 180


class NoData(LookupError):
    """No snapshot to report on."""


@dataclass(frozen=True, slots=True)
class ChartSpec:
    name: str
    title: str
    caption: str
    sql: str
    build: Callable[[Sequence[dict[str, Any]]], Any]
    params: dict[str, Any]


CHARTS = (
    ChartSpec(
        "troop_levels",
        "Troop levels over time, per actor and location",
        f"The {TROOP_PAIRS} actor and location pairs with the most level reports; one line per"
        " outlet, the median count it reported for each month the level held.",
        "reports/chart_troop_levels",
        charts.troop_levels_chart,
        {"pairs": TROOP_PAIRS},
    ),
    ChartSpec(
        "facts_per_source_day",
        "Facts per source per day",
        f"Facts of every kind loaded per outlet and publication day, last {FACT_DAYS} days.",
        "reports/chart_facts_per_source_day",
        charts.facts_per_source_day_chart,
        {"days": FACT_DAYS},
    ),
    ChartSpec(
        "quarantined_share",
        "Quarantined share",
        "Share of each run's records that broke an expectation and went to quarantine.",
        "reports/chart_quarantined_share",
        charts.quarantined_share_chart,
        {},
    ),
    ChartSpec(
        "fetch_failures",
        "Fetch failures per source",
        "Requests that failed, per outlet and reason, over every batch loaded.",
        "reports/chart_fetch_failures",
        charts.fetch_failures_chart,
        {},
    ),
)


@dataclass(frozen=True, slots=True)
class Report:
    html: Path
    latest: Path
    images: list[Path]
    snapshot: Path


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict]:
    cursor = con.execute(sql, params or None)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _json_in_script(text: str) -> str:
    # inside <script>, "</script" would end the element early; "<\/" is the same JSON string
    return text.replace("</", "<\\/")


def _js_in_script(text: str) -> str:
    # only the closing tag itself: a blanket "</" replacement would break regex literals
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def write_report(settings: Settings, now: datetime | None = None) -> Report:
    """Render the report of the current snapshot under <home>/reports/; returns its files."""
    import vl_convert

    snapshot = current_snapshot(settings.home)
    if snapshot is None:
        raise NoData(f"no snapshot under {settings.home / 'snapshots'}: load a batch first")
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%dT%H%M%SZ")
    folder = settings.home / "reports"
    images_dir = folder / stamp
    images_dir.mkdir(parents=True, exist_ok=True)
    sections, images = [], []
    with duckdb.connect(str(snapshot), read_only=True) as con:
        info = con.execute("SELECT * FROM snapshot_info").fetchone()
        for chart in CHARTS:
            rows = _rows(con, statement(chart.sql), chart.params)
            spec = chart.build(rows).to_dict()
            svg = images_dir / f"{chart.name}.svg"
            png = images_dir / f"{chart.name}.png"
            svg.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
            png.write_bytes(vl_convert.vegalite_to_png(spec, scale=2))
            images += [svg, png]
            sections.append(
                {
                    "name": chart.name,
                    "title": chart.title,
                    "caption": chart.caption,
                    "rows": len(rows),
                    "spec": _json_in_script(json.dumps(spec)),
                    "svg": f"{stamp}/{svg.name}",
                    "png": f"{stamp}/{png.name}",
                }
            )
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            generated=now.strftime("%Y-%m-%d %H:%M UTC"),
            published=info[0].strftime("%Y-%m-%d %H:%M UTC") if info else "unknown",
            troop_facts=info[1] if info else 0,
            articles=info[2] if info else 0,
            sections=sections,
            bundle=_js_in_script(charts.vega_bundle()),
        )
    )
    page = folder / f"{stamp}.html"
    page.write_text(html, encoding="utf-8")
    latest = folder / "latest.html"
    tmp = folder / ".latest.html.tmp"
    shutil.copyfile(page, tmp)
    tmp.replace(latest)
    _prune(folder, KEEP_REPORTS)
    log.info("report %s (%d bytes) from snapshot %s", page, page.stat().st_size, snapshot)
    return Report(page, latest, images, snapshot)


def _prune(folder: Path, keep: int) -> None:
    pages = sorted(p for p in folder.glob("*.html") if p.name != "latest.html")
    for old in pages[:-keep]:
        old.unlink(missing_ok=True)
        shutil.rmtree(folder / old.stem, ignore_errors=True)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("newsfacts.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
