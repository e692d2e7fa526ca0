-- one row per column of table $table: its name and DuckDB type, in table order
SELECT column_name, data_type
FROM information_schema.columns
WHERE table_name = $table
ORDER BY ordinal_position;
