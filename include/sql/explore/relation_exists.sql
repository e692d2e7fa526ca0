-- one row: whether a table or view named $name exists in the snapshot
SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = $name)
     + (SELECT count(*) FROM duckdb_views() WHERE view_name = $name AND NOT internal) > 0
