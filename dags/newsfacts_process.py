"""Parse, extract and validate fetched batches, then load them through the single DuckDB writer.

Runs when new raw pages land. Triggered by hand with `date_from` and `date_to`, it reprocesses
every archived batch of those days with the current code instead (same tasks, idempotent).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, task

# Declared here, where it is produced; the raw pages asset belongs to newsfacts_ingest.
WAREHOUSE_FACTS = Asset("newsfacts_warehouse_facts")

WRITER_POOL = "duckdb_writer"


@dag(
    dag_id="newsfacts_process",
    schedule=[Asset.ref(name="newsfacts_raw_pages")],
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsfacts", "retries": 2, "retry_delay": timedelta(minutes=1)},
    params={
        "date_from": Param(
            None, type=["null", "string"], format="date", description="reprocess from"
        ),
        "date_to": Param(None, type=["null", "string"], format="date", description="reprocess to"),
    },
    tags=["newsfacts", "process"],
    doc_md=__doc__,
)
def newsfacts_process() -> None:
    @task(pool=WRITER_POOL)
    def find_pending_batches(params: dict | None = None) -> list[str]:
        from newsfacts.flow import tasks

        return tasks.batches_to_process(params or {})

    @task
    def parse_articles(batch_id: str) -> str:
        from newsfacts.flow import tasks

        return tasks.parse_batch(batch_id)

    @task
    def extract_facts(batch_id: str) -> str:
        from newsfacts.flow import tasks

        return tasks.extract_batch(batch_id)

    @task(retries=0)
    def validate_facts(batch_id: str) -> str:
        from newsfacts.flow import tasks

        return tasks.validate_batch(batch_id)

    @task(trigger_rule="all_done")
    def render_data_docs(batch_ids: list[str]) -> str:
        from newsfacts.flow import tasks

        return tasks.build_data_docs(batch_ids)

    @task(pool=WRITER_POOL, outlets=[WAREHOUSE_FACTS], trigger_rule="all_done")
    def load_warehouse(batch_ids: list[str]) -> dict:
        from newsfacts.flow import tasks

        return tasks.load_batches(batch_ids)

    # Reads the snapshot the load published, never the warehouse: no writer-pool slot needed.
    # all_done: a run that loaded some batches and failed on others still gets its charts.
    @task(trigger_rule="all_done")
    def render_report() -> str:
        from newsfacts.flow import report

        return report.render_report()

    pending = find_pending_batches()
    parsed = parse_articles.expand(batch_id=pending)
    extracted = extract_facts.expand(batch_id=parsed)
    validated = validate_facts.expand(batch_id=extracted)
    loaded = load_warehouse(pending)
    validated >> [loaded, render_data_docs(pending)]
    loaded >> render_report()


newsfacts_process()
