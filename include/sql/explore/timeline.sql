-- one row per (level date, source, kind) for one actor and location ('-' for not stated): the counts outlets reported
SELECT level_date, source, kind,
       min(count)                      AS count,
       max(coalesce(count_high, count)) AS count_high,
       count(*)                        AS facts,
       min(fact_id)                    AS first_fact_id
FROM explore_facts
WHERE actor = $actor AND location IS NOT DISTINCT FROM nullif($location, '-')
GROUP BY level_date, source, kind
ORDER BY level_date, source, kind
