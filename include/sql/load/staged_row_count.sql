-- one row: how many rows the batch staged for one table
SELECT count(*) FROM staged_{table};
