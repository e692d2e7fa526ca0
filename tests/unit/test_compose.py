"""The offline compose check passes docker-compose.yaml and fails on broken copies of it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsfacts.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yaml"
SCRIPT = PROJECT_ROOT / "scripts" / "check_compose.py"

_spec = importlib.util.spec_from_file_location("check_compose", SCRIPT)
assert _spec and _spec.loader
check_compose = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_compose)


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    """docker-compose.yaml with `old` replaced by `new` (which must occur exactly once)."""
    text = COMPOSE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"mutation target not unique or missing: {old!r}"
    path = tmp_path / "docker-compose.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_project_compose_file_passes() -> None:
    assert check_compose.check(COMPOSE) == []


def test_compose_has_the_services_of_the_official_layout() -> None:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    assert set(check_compose.REQUIRED_SERVICES) | {"flower", "airflow-cli"} == set(services)
    assert services["flower"]["profiles"] == ["flower"]
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker"
    # the anchor's mounts and settings reach every Airflow service through `<<`
    for name in check_compose.AIRFLOW_SERVICES:
        mounts = {v.split(":")[1] for v in services[name]["volumes"]}
        assert {"/opt/airflow/dags", "/opt/airflow/include", "/opt/newsfacts/data"} <= mounts
        assert services[name]["env_file"] == ["${ENV_FILE_PATH:-.env}"]
        assert (
            services[name]["environment"]["NEWSFACTS_WAREHOUSE"]
            == "/opt/newsfacts/warehouse/newsfacts.duckdb"
        )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # schema: unknown key, bad depends_on condition, wrong type
        ("  image: ${AIRFLOW_IMAGE_NAME", "  imgae: ${AIRFLOW_IMAGE_NAME", "schema:"),
        (
            "      start_period: 5s\n    restart: always",
            "      start_period: 5s\n    restart: always\n    restrat: always",
            "schema:",
        ),
        ("    command: scheduler\n", "    command: {run: scheduler}\n", "schema:"),
        # references the schema cannot see
        (
            "    expose:\n",
            "    depends_on: [airflow-webserver]\n    expose:\n",
            "undefined service 'airflow-webserver'",
        ),
        (
            "    &airflow-common-depends-on\n    redis:",
            "    &airflow-common-depends-on\n    redis-cache:",
            "undefined service 'redis-cache'",
        ),
        (
            "      POSTGRES_DB: airflow\n",
            "      POSTGRES_DB: airflow\n    depends_on: [airflow-init]\n",
            "depends_on cycle",
        ),
        (
            "      airflow-apiserver:\n        condition: service_healthy\n",
            "      airflow-apiserver:\n        condition: service_healthy\n"
            "      flower:\n        condition: service_started\n",
            "only runs under a profile",
        ),
        (
            "    command: triggerer\n",
            "    command: triggerer\n    depends_on: [airflow-webserver]\n",
            "duplicate key 'depends_on'",
        ),
        (
            "    - newsfacts-warehouse:/opt/newsfacts/warehouse",
            "    - newsfacts-warehous:/opt/newsfacts/warehouse",
            "undeclared volume 'newsfacts-warehous'",
        ),
        # project rules
        (
            '      DUMB_INIT_SETSID: "0"\n',
            '      DUMB_INIT_SETSID: "0"\n      AIRFLOW__API_AUTH__JWT_SECRET: worker-only\n',
            "AIRFLOW__API_AUTH__JWT_SECRET differs",
        ),
        (
            '        /entrypoint airflow pools set duckdb_writer 1 "single DuckDB writer"\n',
            "",
            "pools set duckdb_writer 1",
        ),
        (
            "\n  airflow-triggerer:\n",
            "\n  airflow-trigger:\n",
            "missing service 'airflow-triggerer'",
        ),
    ],
    ids=[
        "unknown-key",
        "misspelt-service-key",
        "command-wrong-type",
        "depends-on-missing-service",
        "anchor-depends-on-missing-service",
        "cycle",
        "needs-profiled-service",
        "duplicate-key",
        "undeclared-volume",
        "jwt-secret-differs",
        "no-writer-pool",
        "missing-triggerer",
    ],
)
def test_broken_copies_fail(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = check_compose.check(broken_copy(tmp_path, old, new))
    assert problems, "the broken copy passed"
    assert any(expected in p for p in problems), problems


def test_depends_on_list_and_mapping_forms() -> None:
    document = {
        "services": {
            "a": {"depends_on": ["b"]},
            "b": {"depends_on": {"c": {"condition": "service_healthy"}}},
            "c": {},
            "d": {"depends_on": {"e": {"condition": "service_started", "required": False}}},
            "e": {"profiles": ["extra"]},
        }
    }
    assert check_compose.reference_problems(document) == []
    document["services"]["c"] = {"depends_on": ["a"]}
    assert check_compose.reference_problems(document) == ["depends_on cycle: a -> b -> c -> a"]


@pytest.mark.integration  # waits out real delays or runs a script
def test_script_exit_status(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, str(SCRIPT), str(COMPOSE)], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    bad = broken_copy(tmp_path, "    expose:\n", "    depends_on: [nope]\n    expose:\n")
    failed = subprocess.run(
        [sys.executable, str(SCRIPT), str(bad)], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1
    assert "undefined service 'nope'" in failed.stderr
