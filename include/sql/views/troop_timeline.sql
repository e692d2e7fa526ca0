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
