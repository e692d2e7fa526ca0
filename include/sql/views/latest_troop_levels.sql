-- one row per (actor, location): the most recent reported troop level, its date, and the outlets reporting it
CREATE OR REPLACE VIEW latest_troop_levels AS
WITH levels AS (
    SELECT t.actor, t.location, t.count, t.count_high, t.qualifier, a.source,
           a.published_at_utc, t.sentence, a.canonical_url
    FROM troop_counts t
    JOIN articles a USING (article_id)
    WHERE t.kind IN ('level', 'planned_level')
),
latest AS (
    SELECT actor, location, max(published_at_utc) AS latest_published_at_utc
    FROM levels
    GROUP BY actor, location
)
SELECT l.actor,
       l.location,
       l.latest_published_at_utc,
       arg_max(v.count, v.published_at_utc)        AS latest_count,
       list(DISTINCT v.source ORDER BY v.source)   AS sources,
       min(v.count)                                AS min_count,
       max(coalesce(v.count_high, v.count))        AS max_count,
       max(coalesce(v.count_high, v.count)) - min(v.count) AS spread,
       arg_max(v.sentence, v.published_at_utc)     AS latest_sentence,
       arg_max(v.canonical_url, v.published_at_utc) AS latest_url
FROM latest l
JOIN levels v ON v.actor = l.actor AND v.location IS NOT DISTINCT FROM l.location
GROUP BY l.actor, l.location, l.latest_published_at_utc;
