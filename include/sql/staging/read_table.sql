-- one row per row of a staged Parquet file ($path)
SELECT * FROM read_parquet($path);
