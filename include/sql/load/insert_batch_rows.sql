-- one row per staged operations or data-quality row of the batch (after delete_batch_rows.sql)
INSERT INTO {table} BY NAME SELECT * FROM staged_{table};
