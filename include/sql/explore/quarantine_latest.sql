-- one row per quarantined record of the latest batches: the expectations it broke and the start of the record
SELECT batch_id, table_name, record_key, failed_expectations, left(record, 400) AS record
FROM quarantine
ORDER BY batch_id DESC, table_name, record_key
LIMIT $limit
