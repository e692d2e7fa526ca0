-- one row per column of the troop-count export (explore_facts but its internal fact_no): name, type and meaning, in export order
SELECT column_name, data_type, comment
FROM duckdb_columns()
WHERE table_name = 'explore_facts' AND schema_name = 'main' AND column_name <> 'fact_no'
ORDER BY column_index
