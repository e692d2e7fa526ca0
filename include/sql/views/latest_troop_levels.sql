-- one row per (actor, location): the most recent reported troop level, its date, the outlets that report it and their spread
-- spread_between_sources compares outlets, never one outlet with itself: NULL when a single
-- outlet reports the pair; else how far apart the outlets' latest reports are, the highest
-- low end minus the lowest high end (a range "2,000 to 3,000" spans its ends), 0 when they
-- all overlap. The width of one outlet's range is latest_count_high - latest_count.
CREATE OR REPLACE VIEW latest_troop_levels AS
WITH levels AS (
    SELECT t.actor, t.location, t.count, coalesce(t.count_high, t.count) AS count_high,
           t.qualifier, a.source, a.published_at_utc, t.sentence, a.canonical_url
    FROM troop_counts t
    JOIN articles a USING (article_id)
    WHERE t.kind IN ('level', 'planned_level')
),
-- each outlet's own latest report for the pair
per_source AS (
    SELECT actor, location, source,
           arg_max(count, published_at_utc)      AS count,
           arg_max(count_high, published_at_utc) AS count_high,
           max(published_at_utc)                 AS published_at_utc
    FROM levels
    GROUP BY actor, location, source
)
SELECT l.actor,
       l.location,
       max(l.published_at_utc)                                      AS latest_published_at_utc,
       arg_max(l.count, l.published_at_utc)                         AS latest_count,
       arg_max(l.count_high, l.published_at_utc)                    AS latest_count_high,
       arg_max(l.qualifier, l.published_at_utc)                     AS latest_qualifier,
       arg_max(l.source, l.published_at_utc)                        AS latest_source,
       arg_max(l.sentence, l.published_at_utc)                      AS latest_sentence,
       arg_max(l.canonical_url, l.published_at_utc)                 AS latest_url,
       (SELECT list(DISTINCT p.source ORDER BY p.source) FROM per_source p
         WHERE p.actor = l.actor AND p.location IS NOT DISTINCT FROM l.location) AS sources,
       (SELECT CASE WHEN count(*) >= 2 THEN greatest(0, max(p.count) - min(p.count_high)) END
          FROM per_source p
         WHERE p.actor = l.actor AND p.location IS NOT DISTINCT FROM l.location) AS spread_between_sources
FROM levels l
GROUP BY l.actor, l.location;
