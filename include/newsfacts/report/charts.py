"""Altair charts of the warehouse: rows in, Vega-Lite specs out (for the report and explorer)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

import altair as alt

WIDTH = 640


def _values(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON-ready rows: dates as ISO strings."""
    return [{k: v.isoformat() if isinstance(v, date) else v for k, v in r.items()} for r in rows]


def timeline_spec(points: Sequence[Any], hrefs: Sequence[str]) -> dict[str, Any]:
    """`timeline_chart` as a Vega-Lite dict, fast: Altair takes ~0.3 s to wrap 400 points in its
    schema objects, so the chart is built once without data and the rows go in as plain JSON."""
    spec = copy.deepcopy(_timeline_skeleton())
    spec["data"] = {"values": _values(_timeline_rows(points, hrefs))}
    return spec


@cache
def _timeline_skeleton() -> dict[str, Any]:
    return dict(timeline_chart([], []).to_dict())


def _timeline_rows(points: Sequence[Any], hrefs: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "level_date": p.level_date,
            "source": p.source,
            "kind": p.kind,
            "count": p.count,
            "count_high": p.count_high,
            "facts": p.facts,
            "href": href,
        }
        for p, href in zip(points, hrefs, strict=True)
    ]


def timeline_chart(points: Sequence[Any], hrefs: Sequence[str]) -> alt.LayerChart:
    """The explorer's timeline: what each outlet reported for one actor and place, by date.

    Each point links (href) to its fact, or to the table of its facts.
    """
    rows = _timeline_rows(points, hrefs)
    base = alt.Chart(alt.Data(values=_values(rows))).encode(
        x=alt.X("level_date:T", title="date the level held"),
        y=alt.Y("count:Q", title="troops"),
        color=alt.Color("source:N", title="outlet"),
    )
    levels = base.transform_filter(
        alt.FieldOneOfPredicate(field="kind", oneOf=["level", "planned_level"])
    ).mark_line(strokeWidth=1, opacity=0.5)
    marks = base.mark_point(filled=True, size=70, cursor="pointer").encode(
        shape=alt.Shape("kind:N", title="kind"),
        href="href:N",
        tooltip=["level_date:T", "source:N", "kind:N", "count:Q", "count_high:Q", "facts:Q"],
    )
    return (levels + marks).properties(width=WIDTH, height=300)


def troop_levels_chart(rows: Sequence[dict[str, Any]]) -> alt.FacetChart:
    """Troop levels over time per actor and location (median per outlet and month)."""
    return (
        alt.Chart(alt.Data(values=_values(rows)))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="month the level held"),
            y=alt.Y("count:Q", title="troops (median of the month)"),
            color=alt.Color("source:N", title="outlet"),
            tooltip=["pair:N", "source:N", "month:T", "count:Q", "facts:Q"],
        )
        .properties(width=300, height=160)
        .facet(facet=alt.Facet("pair:N", title=None), columns=2)
        .resolve_scale(y="independent")
        .properties(title="Troop levels over time, per actor and location")
    )


def facts_per_source_day_chart(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    """Facts loaded per outlet and publication day."""
    return (
        alt.Chart(alt.Data(values=_values(rows)))
        .mark_bar()
        .encode(
            x=alt.X("day:T", title="publication day"),
            y=alt.Y("facts:Q", title="facts", stack=True),
            color=alt.Color("source:N", title="outlet"),
            tooltip=["day:T", "source:N", "facts:Q"],
        )
        .properties(width=WIDTH, height=220, title="Facts per source per day")
    )


def quarantined_share_chart(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    """Share of each run's records that validation quarantined, per outlet."""
    return (
        alt.Chart(alt.Data(values=_values(rows)))
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title="run day"),
            y=alt.Y("share:Q", title="quarantined share", axis=alt.Axis(format="%")),
            color=alt.Color("source:N", title="outlet"),
            tooltip=[
                "day:T",
                "source:N",
                "quarantined:Q",
                "records:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=200, title="Quarantined share")
    )


def fetch_failures_chart(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    """Failed requests per outlet, by why they failed."""
    return (
        alt.Chart(alt.Data(values=_values(rows)))
        .mark_bar()
        .encode(
            y=alt.Y("source:N", title="outlet"),
            x=alt.X("failures:Q", title="failed requests", stack=True),
            color=alt.Color("error_class:N", title="error"),
            tooltip=["source:N", "error_class:N", "failures:Q"],
        )
        .properties(width=WIDTH, title="Fetch failures per source")
    )


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, from the locked vl-convert package."""
    import vl_convert

    # the stub makes `snippet` required; it is optional (None: the three libraries as globals)
    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]
    return str(bundle)
