-- one row per (actor, location, date the level held, source, kind): the troop level each outlet reported for that date
CREATE OR REPLACE VIEW troop_timeline AS
SELECT t.actor,
       t.location,
       a.published_at_utc::DATE        AS published_date,
       -- the date the sentence gives for the level ("in 2017"), else the publication day
       coalesce(t.as_of, strftime(a.published_at_utc::DATE, '%Y-%m-%d')) AS as_of,
       a.source,
       t.kind,
       min(t.count)                    AS count,
       max(coalesce(t.count_high, t.count)) AS count_high,
       any_value(t.qualifier)          AS qualifier,
       count(*)                        AS facts,
       list(DISTINCT a.canonical_url)  AS urls
FROM troop_counts t
JOIN articles a USING (article_id)
GROUP BY t.actor, t.location, published_date, coalesce(t.as_of, strftime(a.published_at_utc::DATE, '%Y-%m-%d')), a.source, t.kind;
-- the view is made again on every migrate(), and its comments with it
COMMENT ON VIEW troop_timeline IS 'One row per (actor, location, publication day, as_of, source, kind): how each outlet''s reported level moved.';
COMMENT ON COLUMN troop_timeline.actor IS 'Whose forces: ISO 3166-1 alpha-3, NATO, UN, COALITION, EU or an armed group.';
COMMENT ON COLUMN troop_timeline.location IS 'Where the troops are (alpha-3), NULL when not stated.';
COMMENT ON COLUMN troop_timeline.published_date IS 'Publication day (UTC) of the reporting articles.';
COMMENT ON COLUMN troop_timeline.as_of IS 'The date the sentence gives for the level ("in 2017"), else the publication day, as TIMEX3.';
COMMENT ON COLUMN troop_timeline.source IS 'Source (sources.yaml name) that reported it.';
COMMENT ON COLUMN troop_timeline.kind IS 'level, increase, decrease or planned_level.';
COMMENT ON COLUMN troop_timeline.count IS 'Lowest count reported that day (a range''s low end).';
COMMENT ON COLUMN troop_timeline.count_high IS 'Highest count reported that day (a range''s high end).';
COMMENT ON COLUMN troop_timeline.qualifier IS 'One of the qualifiers reported that day (exact, approx, at_least, at_most).';
COMMENT ON COLUMN troop_timeline.facts IS 'Number of troop-count facts behind the row.';
COMMENT ON COLUMN troop_timeline.urls IS 'Canonical URLs of the articles behind the row.';
