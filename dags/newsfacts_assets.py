"""Assets shared by the newsfacts DAGs, declared once."""

from airflow.sdk import Asset

RAW_PAGES = Asset("newsfacts_raw_pages")
WAREHOUSE_FACTS = Asset("newsfacts_warehouse_facts")

DEFAULT_ARGS = {
    "owner": "newsfacts",
    "retries": 2,
    "retry_delay": 60,
}
