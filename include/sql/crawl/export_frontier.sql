-- one row per frontier URL, in URL order, written to the fetch tasks' Parquet snapshot ($path)
COPY (SELECT * FROM frontier ORDER BY url) TO $path (FORMAT parquet);
