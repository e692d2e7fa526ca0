-- one row: how many facts pass the filters
SELECT count(*) FROM ({filtered}) AS f
