"""The Airflow plugin: the explorer behind Airflow's own login, in the Browse menu."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from newsfacts.settings import PROJECT_ROOT
from tools import synthetic_warehouse


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """plugins/newsfacts_explorer.py, imported as Airflow imports it, with SimpleAuthManager."""
    patch = pytest.MonkeyPatch()
    home = synthetic_warehouse.build(tmp_path_factory.mktemp("plugin"), facts=200).home
    patch.setenv("NEWSFACTS_HOME", str(home))
    patch.setenv("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow")))
    patch.setenv(
        "AIRFLOW__CORE__AUTH_MANAGER",
        "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
    )
    from airflow.api_fastapi.app import init_auth_manager

    init_auth_manager()
    path = PROJECT_ROOT / "plugins" / "newsfacts_explorer.py"
    spec = importlib.util.spec_from_file_location("newsfacts_explorer", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    module.app.dependency_overrides.clear()
    patch.undo()


def login_as(plugin: ModuleType, role: str | None) -> None:
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser
    from airflow.api_fastapi.core_api.security import get_user

    user = SimpleAuthManagerUser(username="analyst", role=role)
    plugin.app.dependency_overrides[get_user] = lambda: user


ROUTES = [
    "/",
    "/timeline?actor=USA&location=IRQ",
    "/disagreements",
    "/quality",
    "/codebook",
    "/export.csv",
    "/export.parquet",
    "/static/explorer.css",
    "/static/explorer.js",
    "/static/vega.js",
]


def test_anonymous_requests_get_401_on_every_route(plugin: ModuleType) -> None:
    plugin.app.dependency_overrides.clear()
    client = TestClient(plugin.app)
    for route in ROUTES:
        assert client.get(route).status_code == 401, route
    assert client.get("/data-docs/index.html").status_code == 401
    assert client.get("/facts/x").status_code == 401


def test_a_logged_in_viewer_gets_every_page(plugin: ModuleType) -> None:
    login_as(plugin, "viewer")
    client = TestClient(plugin.app)
    for route in ROUTES:
        assert client.get(route).status_code == 200, route


def test_a_user_without_a_role_is_forbidden(plugin: ModuleType) -> None:
    login_as(plugin, None)
    assert TestClient(plugin.app).get("/").status_code == 403


def test_the_plugin_mounts_at_newsfacts_and_adds_a_browse_menu_view(plugin: ModuleType) -> None:
    (app,) = plugin.NewsfactsExplorerPlugin.fastapi_apps
    assert app["url_prefix"] == "/newsfacts" and app["app"] is plugin.app
    (view,) = plugin.NewsfactsExplorerPlugin.external_views
    assert view["name"] == "Facts explorer" and view["category"] == "browse"
    assert view["href"] == "newsfacts/" and view["url_route"]


def test_the_plugin_module_is_thin() -> None:
    text = Path(PROJECT_ROOT / "plugins" / "newsfacts_explorer.py").read_text()
    assert "duckdb" not in text and "SELECT" not in text
