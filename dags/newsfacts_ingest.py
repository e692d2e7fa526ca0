"""Discover and fetch every source's new pages into the raw archive, then announce them."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task

# Declared here, where it is produced; consumers refer to it by name.
RAW_PAGES = Asset("newsfacts_raw_pages")


@dag(
    dag_id="newsfacts_ingest",
    schedule="@hourly",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsfacts", "retries": 2, "retry_delay": timedelta(minutes=1)},
    tags=["newsfacts", "ingest"],
    doc_md=__doc__,
)
def newsfacts_ingest() -> None:
    @task
    def list_sources() -> list[str]:
        from newsfacts import tasks

        return tasks.list_source_names()

    @task(map_index_template="{{ task.op_kwargs['source_name'] }}")
    def fetch_pages(source_name: str) -> str:
        from newsfacts import tasks

        context = get_current_context()
        # The logical date names the interval; a manual run's data interval is its trigger time.
        interval = (
            context.get("logical_date")
            or context.get("data_interval_start")
            or context["dag_run"].run_after
        )
        return tasks.fetch_source(source_name, interval)

    @task(outlets=[RAW_PAGES])
    def announce_batches(batch_ids: list[str]) -> list[str]:
        return sorted(batch_ids)

    announce_batches(fetch_pages.expand(source_name=list_sources()))


newsfacts_ingest()
