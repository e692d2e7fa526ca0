-- one row per (run day, source): the share of records validation sent to quarantine
SELECT left(run_key, 10) AS day, source,
       sum(records_quarantined) AS quarantined,
       sum(facts_loaded + records_quarantined) AS records,
       coalesce(sum(records_quarantined) / nullif(sum(facts_loaded + records_quarantined), 0), 0) AS share
FROM runs
GROUP BY ALL
ORDER BY day, source
