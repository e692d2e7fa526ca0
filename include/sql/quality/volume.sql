-- one row per configured source: articles fetched in the day before $as_of against its trailing-week daily mean
-- (a source with no week behind it yet passes on what it brought; freshness catches one that brought nothing)
WITH daily AS (
    SELECT e.source,
           count(a.article_id) FILTER (WHERE a.fetched_at_utc >  $as_of::TIMESTAMP - INTERVAL 1 DAY
                                         AND a.fetched_at_utc <= $as_of::TIMESTAMP) AS last_day,
           count(a.article_id) FILTER (WHERE a.fetched_at_utc >  $as_of::TIMESTAMP - INTERVAL 8 DAY
                                         AND a.fetched_at_utc <= $as_of::TIMESTAMP - INTERVAL 1 DAY) / 7.0 AS week_mean
    FROM expected_sources e
    LEFT JOIN articles a ON a.source = e.source
    GROUP BY e.source
)
SELECT 'volume' AS check_name, source AS subject,
       CASE WHEN week_mean = 0 THEN NULL ELSE last_day / week_mean END AS observed,
       $min_volume_ratio::DOUBLE AS threshold,
       week_mean = 0 OR observed >= threshold AS passed,
       printf('%s: %d articles in the last day against a trailing-week mean of %.1f', source, last_day, week_mean) AS message
FROM daily
