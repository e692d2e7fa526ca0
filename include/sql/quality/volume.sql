-- one row per source: articles fetched in the day before $as_of against its trailing-week daily mean
WITH daily AS (
    SELECT source,
           count(*) FILTER (WHERE fetched_at_utc >  $as_of::TIMESTAMP - INTERVAL 1 DAY
                              AND fetched_at_utc <= $as_of::TIMESTAMP) AS last_day,
           count(*) FILTER (WHERE fetched_at_utc >  $as_of::TIMESTAMP - INTERVAL 8 DAY
                              AND fetched_at_utc <= $as_of::TIMESTAMP - INTERVAL 1 DAY) / 7.0 AS week_mean
    FROM articles
    GROUP BY source
)
SELECT 'volume' AS check_name, source AS subject,
       CASE WHEN week_mean = 0 THEN NULL ELSE last_day / week_mean END AS observed,
       $min_volume_ratio::DOUBLE AS threshold,
       week_mean = 0 OR observed >= threshold AS passed,
       printf('%s: %d articles in the last day against a trailing-week mean of %.1f', source, last_day, week_mean) AS message
FROM daily
