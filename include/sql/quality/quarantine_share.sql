-- one row per source: share of validated records that went to quarantine
SELECT 'quarantine_share' AS check_name, source AS subject,
       sum(records_quarantined) / nullif(sum(records_quarantined) + sum(facts_loaded) + sum(articles_parsed), 0) AS observed,
       $max_quarantine_share::DOUBLE AS threshold,
       coalesce(observed, 0) <= threshold AS passed,
       printf('%s: %d records quarantined', source, sum(records_quarantined)) AS message
FROM runs
GROUP BY source
