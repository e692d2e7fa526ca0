-- Operations and data-quality rows belong to one batch: replace them whole.
DELETE FROM {table} WHERE batch_id = :batch_id;
INSERT INTO {table} BY NAME SELECT * FROM staged_{table};
