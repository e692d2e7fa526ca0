-- one row per column of every table: its table, name and DuckDB type, in table order
SELECT table_name, column_name, data_type
FROM information_schema.columns
ORDER BY table_name, ordinal_position;
