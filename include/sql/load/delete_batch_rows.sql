-- Operations and data-quality rows belong to one batch ($batch_id) and are replaced whole: first deleted.
DELETE FROM {table} WHERE batch_id = $batch_id;
