"""Plain-text reports of what the warehouse holds, from the queries in include/sql/reports/."""

from __future__ import annotations

from pathlib import Path

import duckdb

from newsfacts.settings import SQL_DIR

REPORTS_DIR = SQL_DIR / "reports"


def render(con: duckdb.DuckDBPyConnection, name: str, *, max_rows: int = 80) -> str:
    """Run reports/<name>.sql and return its result as a table."""
    query = (REPORTS_DIR / f"{name}.sql").read_text(encoding="utf-8")
    relation = con.sql(query)
    rows = relation.fetchall()
    headers = [str(c) for c in relation.columns]
    cells = [[_cell(v) for v in row] for row in rows[:max_rows]]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "  ".join("-" * w for w in widths),
        *("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells),
    ]
    if len(rows) > max_rows:
        lines.append(f"... {len(rows) - max_rows} more rows")
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("\n", " ")


def demo_report(warehouse: Path) -> str:
    """Articles, troop counts, dates and the data-quality summaries, one section each."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sections = [
            ("Articles", "demo_articles"),
            ("Troop counts", "demo_troop_counts"),
            ("Dates", "demo_dates"),
            ("Data quality of each batch (Great Expectations)", "data_quality"),
            ("Warehouse checks (newsfacts_quality)", "quality_checks"),
        ]
        return "\n\n".join(f"== {title} ==\n{render(con, name)}" for title, name in sections)
    finally:
        con.close()
