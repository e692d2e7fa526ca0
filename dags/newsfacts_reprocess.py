"""Re-parse and re-extract archived raw pages of a date range with the current code; reload."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task


@dag(
    dag_id="newsfacts_reprocess",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsfacts", "retries": 1, "retry_delay": timedelta(minutes=1)},
    params={
        "date_from": Param("2024-01-01", type="string", format="date", description="first run day"),
        "date_to": Param("2030-12-31", type="string", format="date", description="last run day"),
    },
    tags=["newsfacts", "reprocess"],
    doc_md=__doc__,
)
def newsfacts_reprocess() -> None:
    @task
    def find_archived_batches(params: dict | None = None) -> list[str]:
        from newsfacts import tasks

        return tasks.archived_batches(params["date_from"], params["date_to"])

    @task
    def parse_articles(batch_id: str) -> str:
        from newsfacts import tasks

        return tasks.parse_batch(batch_id)

    @task
    def extract_facts(batch_id: str) -> str:
        from newsfacts import tasks

        return tasks.extract_batch(batch_id)

    @task(retries=0)
    def validate_facts(batch_id: str) -> str:
        from newsfacts import tasks

        return tasks.validate_batch(batch_id)

    @task(pool="duckdb_writer", trigger_rule="all_done")
    def load_warehouse(batch_ids: list[str]) -> dict:
        from newsfacts import tasks

        return tasks.load_batches(batch_ids)

    batches = find_archived_batches()
    parsed = parse_articles.expand(batch_id=batches)
    validate_facts.expand(batch_id=extract_facts.expand(batch_id=parsed)) >> load_warehouse(batches)


newsfacts_reprocess()
