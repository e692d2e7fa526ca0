"""The facts explorer: a read-only FastAPI app of server-rendered pages over the current snapshot.

It imports nothing from Airflow: the plugin (plugins/newsfacts_explorer.py) passes Airflow's own
login check in as `dependencies`, which FastAPI runs before every route. Every asset is served
by a route of this app (not a static mount, which would skip those dependencies), so nothing is
fetched from elsewhere and nothing is served without a login.
"""

from __future__ import annotations

import json
import mimetypes
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.background import BackgroundTask

from newsfacts.explore import queries, store
from newsfacts.settings import Settings

STATIC = Path(__file__).with_name("static")
STATIC_FILES = {"explorer.css": "text/css", "explorer.js": "text/javascript"}
TITLE = "Facts explorer"


def default_home() -> Path:
    return Settings.from_env().home


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("newsfacts.explore", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: "" if n is None else f"{n:,}"
    return env


def _root(request: Request) -> str:
    # "/newsfacts" when Airflow mounts the app there (plus any base_url prefix), "" standalone
    return str(request.scope.get("root_path", "")).rstrip("/")


def _filter(request: Request) -> queries.FactFilter:
    values = {
        k: (request.query_params.get(k) or "").strip() or None for k in queries.FactFilter.names()
    }
    try:
        dates = {
            k: queries.parse_date(v) for k, v in values.items() if k.endswith(("_from", "_to"))
        }
    except ValueError as exc:
        raise HTTPException(400, f"dates are YYYY-MM-DD: {exc}") from exc
    return queries.FactFilter(**{**values, **dates})  # type: ignore[arg-type]


def _int(request: Request, name: str, default: int, high: int) -> int:
    try:
        return max(1, min(int(request.query_params.get(name) or default), high))
    except ValueError as exc:
        raise HTTPException(400, f"{name} must be a whole number") from exc


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    root = _root(request)

    def link(path: str, **params: Any) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{root}/{path}" + (f"?{query}" if query else "")

    template_ = _templates().get_template(template)
    html = template_.render(request=request, link=link, title=TITLE, **context)
    return HTMLResponse(html, status_code=status)


def _read(
    request: Request, home: Path, template: str, build: Callable[[Any], dict[str, Any]]
) -> Response:
    """Render `template` with what `build` reads from the snapshot (503 when there is none)."""
    try:
        with store.reader(home) as con:
            context = build(con)
            context["snapshot"] = queries.snapshot_info(con)
    except store.NoSnapshot as exc:
        return _page(request, "no_snapshot.html.j2", status=503, reason=str(exc))
    if context.get("not_found"):
        return _page(request, "not_found.html.j2", status=404, **context)
    return _page(request, template, **context)


def create_app(
    home: Callable[[], Path] = default_home, dependencies: Sequence[Any] = ()
) -> FastAPI:
    """The explorer app; `home` gives NEWSFACTS_HOME at request time, `dependencies` guard it."""
    app = FastAPI(title=TITLE, dependencies=list(dependencies), docs_url=None, redoc_url=None)
    _add_pages(app, home)
    _add_files(app, home)
    return app


def _add_pages(app: FastAPI, home: Callable[[], Path]) -> None:
    """The HTML pages."""

    def read(request: Request, template: str, build: Callable[[Any], dict[str, Any]]) -> Response:
        return _read(request, home(), template, build)

    @app.get("/", response_class=HTMLResponse)
    def troop_counts(request: Request) -> Response:
        where = _filter(request)
        key = request.query_params.get("sort") or "published"
        if key not in queries.SORTS:
            raise HTTPException(400, f"sort is one of {', '.join(queries.SORTS)}")
        sort = queries.Sort(key, request.query_params.get("order", "desc") != "asc")
        number = _int(request, "page", 1, 10**9)
        per_page = _int(request, "per_page", queries.PER_PAGE, queries.MAX_PER_PAGE)
        return read(
            request,
            "troop_counts.html.j2",
            lambda con: {
                "where": where,
                "sort": sort,
                "result": queries.troop_counts(con, where, sort, number, per_page),
                "options": queries.filter_options(con),
                "kinds": ("level", "increase", "decrease", "planned_level"),
                "qualifiers": ("exact", "approx", "at_least", "at_most"),
            },
        )

    @app.get("/timeline", response_class=HTMLResponse)
    def timeline(request: Request, actor: str, location: str = queries.NOT_STATED) -> Response:
        from newsfacts.report import charts

        def build(con: Any) -> dict[str, Any]:
            points = queries.timeline(con, actor, location)
            options = queries.filter_options(con)
            names = {o.value: o for facet in ("actor", "location") for o in options[facet]}
            root = _root(request)
            hrefs = [_point_href(root, actor, location, p) for p in points]
            spec = json.dumps(charts.timeline_spec(points, hrefs)).replace("</", "<\\/")
            return {
                "actor": actor,
                "location": location,
                "points": list(zip(points, hrefs, strict=True)),
                "spec": spec,
                "names": names,
            }

        return read(request, "timeline.html.j2", build)

    @app.get("/facts/{fact_id}", response_class=HTMLResponse)
    def fact(request: Request, fact_id: str) -> Response:
        def build(con: Any) -> dict[str, Any]:
            view = queries.fact(con, fact_id)
            return {"view": view, "not_found": view is None, "what": f"fact {fact_id}"}

        return read(request, "fact.html.j2", build)

    @app.get("/disagreements", response_class=HTMLResponse)
    def disagreements(request: Request) -> Response:
        actor = request.query_params.get("actor") or None
        number = _int(request, "page", 1, 10**9)
        return read(
            request,
            "disagreements.html.j2",
            lambda con: {"actor": actor, "result": queries.disagreements(con, actor, number)},
        )

    @app.get("/quality", response_class=HTMLResponse)
    def quality(request: Request) -> Response:
        docs = _data_docs_root(home()) / "index.html"
        return read(
            request,
            "quality.html.j2",
            lambda con: {"quality": queries.quality(con), "data_docs": docs.exists()},
        )

    @app.get("/codebook", response_class=HTMLResponse)
    def codebook(request: Request) -> Response:
        return read(request, "codebook.html.j2", lambda con: {"columns": queries.codebook(con)})


def _add_files(app: FastAPI, home: Callable[[], Path]) -> None:
    """Exports, the plugin's own assets and the GX Data Docs."""

    @app.get("/export.{fmt}")
    def export(request: Request, fmt: str) -> Response:
        if fmt not in queries.EXPORT_FORMATS:
            raise HTTPException(404, "export formats: csv, parquet")
        where = _filter(request)
        folder = Path(tempfile.mkdtemp(prefix="newsfacts-export-"))
        try:
            with store.reader(home()) as con:
                path = queries.export(con, where, fmt, folder)
        except store.NoSnapshot as exc:
            _remove(folder)
            raise HTTPException(503, str(exc)) from exc
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
        return FileResponse(
            path,
            media_type=media,
            filename=path.name,
            background=BackgroundTask(_remove, folder),
        )

    @app.get("/static/vega.js")
    def vega() -> Response:
        from newsfacts.report.charts import vega_bundle

        return Response(
            vega_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=3600"}
        )

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            raise HTTPException(404)
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name])

    @app.get("/data-docs/{path:path}")
    def data_docs(path: str) -> Response:
        root = _data_docs_root(home()).resolve()
        target = (root / (path or "index.html")).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise HTTPException(404, "no such Data Docs page (they are built by each validation)")
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return FileResponse(target, media_type=media)


def _point_href(root: str, actor: str, location: str, p: queries.TimelinePoint) -> str:
    """A timeline point links to its fact, or to the table of its facts when there are several."""
    if p.facts == 1:
        return f"{root}/facts/{p.first_fact_id}"
    day = p.level_date.isoformat()
    query = urlencode(
        {"actor": actor, "location": location, "source": p.source, "kind": p.kind,
         "level_from": day, "level_to": day}
    )  # fmt: skip
    return f"{root}/?{query}"


def _data_docs_root(home: Path) -> Path:
    from newsfacts.quality.validate import data_docs_index

    return data_docs_index(home / "gx").parent  # Settings.gx_dir


def _remove(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
