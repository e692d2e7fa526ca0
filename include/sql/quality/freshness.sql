-- one row per configured source: hours since its newest fetched article, held to its expected window
-- (expected_sources is the sources file, registered by quality/checks.py: a source that never
-- brought an article fails here rather than going unchecked)
SELECT 'freshness' AS check_name, e.source AS subject,
       -- null, not 0, when the source has no article (greatest() would skip the null)
       CASE WHEN max(a.fetched_at_utc) IS NOT NULL
            THEN greatest(0, date_diff('minute', max(a.fetched_at_utc), $as_of::TIMESTAMP) / 60.0)
       END AS observed,
       e.max_age_hours AS threshold,
       coalesce(observed <= threshold, false) AS passed,
       CASE WHEN observed IS NULL
            THEN printf('%s: no article in the warehouse (expected one every %.0f hours)', e.source, e.max_age_hours)
            ELSE printf('newest article of %s was fetched %.1f hours before %s', e.source, observed, $as_of)
       END AS message
FROM expected_sources e
LEFT JOIN articles a ON a.source = e.source AND a.fetched_at_utc <= $as_of::TIMESTAMP
GROUP BY e.source, e.max_age_hours
