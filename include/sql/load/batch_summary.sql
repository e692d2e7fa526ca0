-- one row: the counts a loaded batch ($batch_id) recorded in runs
SELECT pages_fetched, pages_unchanged, articles_parsed, facts_loaded, records_quarantined, failures_by_reason
FROM runs
WHERE batch_id = $batch_id
