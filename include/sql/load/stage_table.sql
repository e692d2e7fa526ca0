-- The batch's rows for one table, as a view over its staging Parquet file.
CREATE OR REPLACE TEMP VIEW staged_{table} AS SELECT * FROM read_parquet(:staging || '/{table}.parquet');
