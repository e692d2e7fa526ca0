"""Daily data-quality checks over every configured source and the whole warehouse; a breach
fails the run, naming each failed check and source."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task


@dag(
    dag_id="newsfacts_quality",
    schedule="@daily",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsfacts", "retries": 1, "retry_delay": timedelta(minutes=5)},
    tags=["newsfacts", "quality"],
    doc_md=__doc__,
)
def newsfacts_quality() -> None:
    @task(pool="duckdb_writer")
    def check_warehouse() -> int:
        from newsfacts.flow import tasks

        return tasks.check_quality()

    check_warehouse()


newsfacts_quality()
