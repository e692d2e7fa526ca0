-- one row per fact that passes the filters, every column of the codebook, newest first
COPY (SELECT * EXCLUDE (fact_no) FROM ({filtered}) AS f ORDER BY fact_no) TO '{path}' (FORMAT {format})
