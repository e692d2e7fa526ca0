-- one row per fact that passes the filters, every column of the codebook, newest first
COPY (SELECT * FROM ({filtered}) AS f ORDER BY published_at_utc DESC NULLS LAST, fact_id) TO '{path}' (FORMAT {format})
