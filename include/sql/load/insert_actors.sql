-- one row per actor code, from the staged reference Parquet file ($path)
INSERT INTO actors BY NAME SELECT * FROM read_parquet($path);
