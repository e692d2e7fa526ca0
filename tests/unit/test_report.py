"""The chart report: one self-contained HTML file, SVG and PNG per chart, from the snapshot."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsfacts.cli import main
from newsfacts.report.render import CHARTS, NoData, write_report
from newsfacts.settings import Settings
from tools import synthetic_warehouse


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return synthetic_warehouse.build(tmp_path_factory.mktemp("report"), facts=500)


def test_the_report_is_one_page_that_needs_no_network(settings: Settings) -> None:
    report = write_report(settings, now=datetime(2024, 6, 20, 12, 0, tzinfo=UTC))
    assert report.html == settings.home / "reports" / "2024-06-20T120000Z.html"
    assert report.latest.read_bytes() == report.html.read_bytes()
    soup = BeautifulSoup(report.html.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select("script[src]") and not soup.select("link[href]")
    inline = "".join(s.get_text() for s in soup.select("script:not([type])"))
    assert "window.vegaEmbed=" in inline  # Vega, Vega-Lite and vega-embed are in the page
    for chart in CHARTS:
        section = soup.select_one(f"section#{chart.name}")
        spec = json.loads(section.select_one("script[type='application/json']").get_text())
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert spec["data"]["values"], chart.name
        for kind in ("svg", "png"):
            image = settings.home / "reports" / section.find("a", string=kind.upper())["href"]
            assert image in report.images and image.stat().st_size > 1_000
    svg = (settings.home / "reports" / "2024-06-20T120000Z" / "fetch_failures.svg").read_text()
    assert svg.startswith("<svg") and "gazette-ar" in svg
    assert (report.html.parent / "2024-06-20T120000Z" / "troop_levels.png").read_bytes()[:4] == (
        b"\x89PNG"
    )


def test_the_troop_levels_chart_shows_the_pairs_with_most_levels(settings: Settings) -> None:
    report = write_report(settings)
    page = report.html.read_text(encoding="utf-8")
    spec = json.loads(
        re.search(r'id="spec-troop_levels">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    )
    pairs = {v["pair"] for v in spec["data"]["values"]}
    assert 0 < len(pairs) <= 6 and all(" in " in p for p in pairs)


def test_newsfacts_report_prints_where_the_files_are(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--home", str(settings.home)]) == 0
    out = capsys.readouterr().out
    assert "latest: " + str(settings.home / "reports" / "latest.html") in out
    assert out.count("chart:  ") == 2 * len(CHARTS)


def test_without_a_snapshot_the_report_says_why(tmp_path: Path) -> None:
    with pytest.raises(NoData):
        write_report(Settings.from_env(home=tmp_path))
    assert main(["report", "--home", str(tmp_path)]) == 1
