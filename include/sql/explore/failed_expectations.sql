-- one row per expectation that failed on one of the latest batches
SELECT v.batch_id, v.suite, v.expectation, v.column_name, v.element_count, v.unexpected_count
FROM validation_results v
WHERE NOT v.success
  AND v.batch_id IN (SELECT batch_id FROM runs ORDER BY batch_id DESC LIMIT $limit)
ORDER BY v.batch_id DESC, v.suite, v.expectation, v.column_name
