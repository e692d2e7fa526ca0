"""Every DAG imports cleanly and follows the house rules; nothing is patched to make it pass."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from newsfacts.settings import PROJECT_ROOT

DAGS_DIR = PROJECT_ROOT / "dags"
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory):
    import os

    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow")))
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_every_dag_file_imports_without_error(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert {Path(p).stem for p in dagbag.dag_ids} <= {p.stem for p in DAG_FILES} | set(
        dagbag.dag_ids
    )
    assert sorted(dagbag.dag_ids) == sorted(p.stem for p in DAG_FILES), (
        "file name must equal dag_id"
    )


def test_house_rules(dagbag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.catchup is False, f"{dag_id} must not catch up"
        assert dag.max_active_runs == 1, f"{dag_id} may overlap runs on the single DuckDB writer"
        for task in dag.tasks:
            assert task.owner == "newsfacts", f"{dag_id}.{task.task_id} has no owner"
            if task.task_id != "validate_facts":  # a failed validation is final, not retried
                assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"


def test_every_task_that_opens_duckdb_is_in_the_writer_pool(dagbag) -> None:
    opens_warehouse = {"find_pending_batches", "load_warehouse", "check_warehouse"}
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            if task.task_id in opens_warehouse:
                assert task.pool == "duckdb_writer", task.task_id


def test_processing_is_triggered_by_the_ingest_asset(dagbag) -> None:
    ingest = dagbag.dags["newsfacts_ingest"]
    produced = {o.name for t in ingest.tasks for o in t.outlets}
    assert "newsfacts_raw_pages" in produced
    assert "newsfacts_raw_pages" in repr(dagbag.dags["newsfacts_process"].timetable.asset_condition)


def test_dag_files_parse_fast(dagbag) -> None:
    for stat in dagbag.dagbag_stats:
        assert stat.duration < timedelta(seconds=2), f"{stat.file} took {stat.duration} to parse"


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_files_only_wire(path: Path) -> None:
    """Task bodies are a call into newsfacts: no business logic in DAG files."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_imports = {
        alias.name.split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "newsfacts" not in top_imports, "import the package inside tasks: parsing stays fast"
    dag_calls = [
        d
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for d in node.decorator_list
        if isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dag"
    ]
    assert dag_calls, f"{path.name} defines no @dag"
    for call in dag_calls:
        assert "schedule" in {k.arg for k in call.keywords}, (
            f"{path.name}: schedule must be explicit"
        )
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "task")
            or getattr(d, "id", "") == "task"
            for d in node.decorator_list
        ):
            statements = [
                s for s in node.body if not isinstance(s, ast.Expr | ast.ImportFrom | ast.Import)
            ]
            assert len(statements) <= 3, (
                f"{path.name}:{node.name} holds logic; move it to newsfacts"
            )
