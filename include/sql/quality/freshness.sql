-- one row per source: hours since its newest fetched article, held to $max_age_hours
SELECT 'freshness' AS check_name, source AS subject,
       greatest(0, date_diff('minute', max(fetched_at_utc), $as_of::TIMESTAMP) / 60.0) AS observed,
       $max_age_hours::DOUBLE AS threshold,
       observed <= threshold AS passed,
       printf('newest article of %s was fetched %.1f hours before %s', source, observed, $as_of) AS message
FROM articles
GROUP BY source
