-- one row per (actor and location, source, month) for the pairs with the most level reports: the median level reported
WITH pairs AS (
    SELECT actor, location, count(*) AS facts
    FROM explore_facts
    WHERE kind IN ('level', 'planned_level')
    GROUP BY actor, location
    ORDER BY facts DESC, actor, location
    LIMIT $pairs
)
SELECT f.actor || ' in ' || coalesce(f.location, '(not stated)') AS pair,
       f.source,
       date_trunc('month', f.level_date)::DATE AS month,
       median(f.count)::BIGINT AS count,
       count(*) AS facts
FROM explore_facts f
JOIN pairs p ON p.actor = f.actor AND p.location IS NOT DISTINCT FROM f.location
WHERE f.kind IN ('level', 'planned_level')
GROUP BY ALL
ORDER BY pair, source, month
