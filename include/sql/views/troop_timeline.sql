-- one row per (actor, location, publication day, source): the troop level each outlet reported that day
CREATE OR REPLACE VIEW troop_timeline AS
SELECT t.actor,
       t.location,
       a.published_at_utc::DATE        AS published_date,
       a.source,
       t.kind,
       min(t.count)                    AS count,
       max(coalesce(t.count_high, t.count)) AS count_high,
       any_value(t.qualifier)          AS qualifier,
       count(*)                        AS facts,
       list(DISTINCT a.canonical_url)  AS urls
FROM troop_counts t
JOIN articles a USING (article_id)
GROUP BY t.actor, t.location, published_date, a.source, t.kind;
