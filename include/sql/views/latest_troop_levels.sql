-- one row per (actor, location): the most recent reported troop level, its date, the outlets that report it and their spread
-- spread_between_sources compares outlets, never one outlet with itself: NULL when a single
-- outlet reports the pair, else how far apart the latest reports of the outlets are: the
-- highest low end minus the lowest high end (a range "2,000 to 3,000" spans its ends), 0 when
-- they all overlap. The width of the latest range itself is latest_count_high - latest_count.
CREATE OR REPLACE VIEW latest_troop_levels AS
WITH levels AS (
    SELECT t.actor, t.location, t.count, coalesce(t.count_high, t.count) AS count_high,
           t.qualifier, a.source, a.published_at_utc, t.sentence, a.canonical_url
    FROM troop_counts t
    JOIN articles a USING (article_id)
    WHERE t.kind IN ('level', 'planned_level')
),
-- the latest report of each outlet for the pair
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
-- the view is made again on every migrate(), and its comments with it
COMMENT ON VIEW latest_troop_levels IS 'One row per (actor, location): the latest reported troop level and how far the outlets reporting it are apart.';
COMMENT ON COLUMN latest_troop_levels.actor IS 'Whose forces: ISO 3166-1 alpha-3, NATO, UN, COALITION, EU or an armed group.';
COMMENT ON COLUMN latest_troop_levels.location IS 'Where the troops are (alpha-3), NULL when not stated or across several countries.';
COMMENT ON COLUMN latest_troop_levels.latest_published_at_utc IS 'Publication time (UTC) of the latest article reporting a level.';
COMMENT ON COLUMN latest_troop_levels.latest_count IS 'The latest level reported (the low end of a range).';
COMMENT ON COLUMN latest_troop_levels.latest_count_high IS 'High end of the latest level when it is a range, else latest_count.';
COMMENT ON COLUMN latest_troop_levels.latest_qualifier IS 'exact, approx, at_least or at_most, as the latest report states it.';
COMMENT ON COLUMN latest_troop_levels.latest_source IS 'Source (sources.yaml name) of the latest report.';
COMMENT ON COLUMN latest_troop_levels.latest_sentence IS 'The evidence sentence of the latest report.';
COMMENT ON COLUMN latest_troop_levels.latest_url IS 'Canonical URL of the article of the latest report.';
COMMENT ON COLUMN latest_troop_levels.sources IS 'Every source that reported a level for the pair, sorted.';
COMMENT ON COLUMN latest_troop_levels.spread_between_sources IS 'NULL with one source, else highest low end minus lowest high end of each source''s latest report, 0 when they overlap.';
