"""Report step: the charts of the snapshot the last load published (a task after each load)."""

from __future__ import annotations

from newsfacts.report.render import write_report
from newsfacts.settings import Settings


def render_report() -> str:
    """Write <home>/reports/<stamp>.html and latest.html; returns the dated file's path.

    Reads the snapshot, not the warehouse, so it needs no slot in the writer pool.
    """
    return str(write_report(Settings.from_env()).html)
