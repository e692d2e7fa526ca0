"""Every DAG imports cleanly and follows the house rules; nothing is patched to make it pass."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from newsfacts.settings import PROJECT_ROOT

DAGS_DIR = PROJECT_ROOT / "dags"
PARSE_TIME_MODULES = {"newsfacts.settings"}
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory):
    import os

    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow")))
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_every_dag_file_imports_without_error(dagbag) -> None:
    assert dagbag.import_errors == {}
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


def test_settings_read_at_parse_time_import_only_the_standard_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys; before = set(sys.modules); import newsfacts.settings;"
        " print(sorted(m for m in set(sys.modules) - before"
        " if m.split('.')[0] not in sys.stdlib_module_names))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['newsfacts', 'newsfacts.settings']"


def test_ingest_schedule_comes_from_settings(dagbag, monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSFACTS_INGEST_SCHEDULE", "none")
    bag = DagBag(dag_folder=str(DAGS_DIR / "newsfacts_ingest.py"))
    assert type(bag.dags["newsfacts_ingest"].timetable).__name__ == "NullTimetable"
    monkeypatch.setenv("NEWSFACTS_INGEST_SCHEDULE", "*/15 * * * *")
    bag = DagBag(dag_folder=str(DAGS_DIR / "newsfacts_ingest.py"))
    assert "*/15 * * * *" in repr(bag.dags["newsfacts_ingest"].timetable)


def test_dag_files_parse_fast(dagbag) -> None:
    for stat in dagbag.dagbag_stats:
        assert stat.duration < timedelta(seconds=2), f"{stat.file} took {stat.duration} to parse"


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_files_only_wire(path: Path) -> None:
    """Task bodies are a call into newsfacts: no business logic in DAG files."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_imports = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    # Settings alone may be read at parse time (a schedule is decided then); it imports only
    # the standard library.
    heavy = {m for m in top_imports if m.split(".")[0] == "newsfacts"} - PARSE_TIME_MODULES
    assert not heavy, "import the package inside tasks: parsing stays fast"
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
            assert task_body_only_calls_newsfacts(node), (
                f"{path.name}:{node.name} holds logic; its body must be one call into newsfacts"
            )


def task_body_only_calls_newsfacts(function: ast.FunctionDef) -> bool:
    """A docstring, imports from newsfacts, then `return module.function(...)` and nothing else.

    Arguments may be names, constants or expressions of them (`params or {}`), never calls.
    """
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and _is_docstring(s))]
    imported = set()
    for statement in body[:-1]:
        if not (
            isinstance(statement, ast.ImportFrom)
            and (statement.module or "").split(".")[0] == "newsfacts"
        ):
            return False
        imported |= {alias.asname or alias.name for alias in statement.names}
    if not body or not isinstance(body[-1], ast.Return):
        return False
    call = body[-1].value
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    if not (isinstance(call.func.value, ast.Name) and call.func.value.id in imported):
        return False
    arguments = [*call.args, *(k.value for k in call.keywords)]
    return not any(isinstance(n, ast.Call) for a in arguments for n in ast.walk(a))


def _is_docstring(statement: ast.Expr) -> bool:
    return isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


@pytest.mark.parametrize(
    ("source", "wires"),
    [
        ("from newsfacts.flow import tasks\nreturn tasks.parse_batch(batch_id)", True),
        ("from newsfacts.flow import tasks\nreturn tasks.batches_to_process(params or {})", True),
        ("from newsfacts.flow import tasks\nx = batch_id.strip()\nreturn tasks.f(x)", False),
        ("from newsfacts.flow import tasks\nreturn tasks.f(len(batch_id))", False),
        ("import os\nreturn os.getcwd()", False),
        ("return sorted(batch_id)", False),
    ],
)
def test_the_wiring_rule_tells_logic_from_wiring(source: str, wires: bool) -> None:
    indented = "\n".join("    " + line for line in source.splitlines())
    function = ast.parse(f"def t(batch_id, params):\n{indented}\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    assert task_body_only_calls_newsfacts(function) is wires
