"""Explore stage: the facts explorer's pages over the warehouse snapshot (no Airflow import)."""
