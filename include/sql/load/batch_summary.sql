-- one row: the counts a loaded batch recorded in runs
SELECT pages_fetched, pages_unchanged, articles_parsed, facts_loaded, records_quarantined, failures_by_reason
FROM runs
WHERE batch_id = ?
