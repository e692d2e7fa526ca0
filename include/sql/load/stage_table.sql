-- The batch's rows for one table, read from its staging Parquet file ($path) into a temp table
-- (a view cannot take a prepared parameter); dropped by drop_staged_table.sql after the load.
CREATE OR REPLACE TEMP TABLE staged_{table} AS SELECT * FROM read_parquet($path);
