-- one row per batch: what was fetched, parsed, loaded and quarantined, and the checks that failed
SELECT r.batch_id, r.pages_fetched, r.pages_unchanged, r.fetch_failures, r.articles_parsed,
       r.parse_failures, r.facts_loaded, r.records_quarantined,
       (SELECT count(*) FROM validation_results v WHERE v.batch_id = r.batch_id) AS checks_run,
       (SELECT count(*) FROM validation_results v WHERE v.batch_id = r.batch_id AND NOT v.success) AS checks_failed
FROM runs r ORDER BY r.batch_id;
