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
-- the view is made again on every migrate(), and its comments with it
COMMENT ON VIEW facts_per_source_day IS 'One row per (source, publication day): articles and facts of each kind.';
COMMENT ON COLUMN facts_per_source_day.source IS 'Source (sources.yaml name).';
COMMENT ON COLUMN facts_per_source_day.published_date IS 'Publication day (UTC); NULL for articles without a date.';
COMMENT ON COLUMN facts_per_source_day.articles IS 'Articles of the source published that day.';
COMMENT ON COLUMN facts_per_source_day.troop_counts IS 'Troop-count facts in those articles.';
COMMENT ON COLUMN facts_per_source_day.date_mentions IS 'Date-mention facts in those articles.';
COMMENT ON COLUMN facts_per_source_day.entities IS 'Entity mentions in those articles.';
COMMENT ON COLUMN facts_per_source_day.quotes IS 'Quotations in those articles.';
