-- one row per batch, the latest first: what it loaded and quarantined and how its expectations fared
SELECT r.batch_id, r.source, r.pages_fetched, r.fetch_failures, r.articles_parsed, r.facts_loaded,
       r.records_quarantined,
       count(v.expectation)                        AS checks_run,
       count(v.expectation) FILTER (NOT v.success) AS checks_failed
FROM runs r
LEFT JOIN validation_results v USING (batch_id)
GROUP BY ALL
ORDER BY r.batch_id DESC
LIMIT $limit
