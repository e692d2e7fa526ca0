"""The flow: one runner per stage, the entry points the DAGs call, and Airflow's environment."""
