-- one row per (source, publication day): articles and facts of each kind
CREATE OR REPLACE VIEW facts_per_source_day AS
SELECT a.source,
       a.published_at_utc::DATE AS published_date,
       count(*) AS articles,
       sum((SELECT count(*) FROM troop_counts t WHERE t.article_id = a.article_id)) AS troop_counts,
       sum((SELECT count(*) FROM date_mentions d WHERE d.article_id = a.article_id)) AS date_mentions,
       sum((SELECT count(*) FROM entities e WHERE e.article_id = a.article_id)) AS entities,
       sum((SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id)) AS quotes
FROM articles a
GROUP BY a.source, published_date;
