"""Airflow plugin: the facts explorer at /newsfacts, in the Browse menu as "Facts explorer".

Thin on purpose: the pages live in newsfacts.explore (no Airflow import there). This file adds
what only Airflow has: its login. A plugin's FastAPI app is mounted without Airflow's auth, so
every route here depends on Airflow's own `requires_access_view(WEBSITE)`: an anonymous request
gets 401, a logged-in viewer (or any higher role) gets the page. The browser sends the `_token`
cookie Airflow sets at login, so the Browse menu's iframe is authenticated too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
from airflow.api_fastapi.core_api.security import requires_access_view
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends

from newsfacts.explore.app import create_app

URL_PREFIX = "/newsfacts"

app = create_app(dependencies=[Depends(requires_access_view(AccessView.WEBSITE))])


class NewsfactsExplorerPlugin(AirflowPlugin):
    name = "newsfacts_explorer"
    fastapi_apps: ClassVar[list[dict[str, Any]]] = [
        {"app": app, "url_prefix": URL_PREFIX, "name": "Facts explorer"}
    ]
    # Relative href: it resolves against the UI's <base href>, so an [api] base_url sub-path works.
    external_views: ClassVar[list[dict[str, Any]]] = [
        {
            "name": "Facts explorer",
            "href": "newsfacts/",
            "url_route": "facts",
            "destination": "nav",
            "category": "browse",
        }
    ]
