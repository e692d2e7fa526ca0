-- one row per column of the troop-count export: name, type and meaning, in export order
SELECT column_name, data_type, comment
FROM duckdb_columns()
WHERE table_name = 'explore_facts' AND schema_name = 'main'
ORDER BY column_index
