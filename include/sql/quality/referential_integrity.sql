-- one row per fact table: facts whose article is missing (must be none)
WITH orphans AS (
    SELECT 'troop_counts' AS subject, count(*) AS n FROM troop_counts WHERE article_id NOT IN (SELECT article_id FROM articles)
    UNION ALL SELECT 'date_mentions', count(*) FROM date_mentions WHERE article_id NOT IN (SELECT article_id FROM articles)
    UNION ALL SELECT 'entities', count(*) FROM entities WHERE article_id NOT IN (SELECT article_id FROM articles)
    UNION ALL SELECT 'quotes', count(*) FROM quotes WHERE article_id NOT IN (SELECT article_id FROM articles)
    UNION ALL SELECT 'troop_counts.actor', count(*) FROM troop_counts WHERE actor NOT IN (SELECT code FROM actors) AND (SELECT count(*) FROM actors) > 0
)
SELECT 'referential_integrity' AS check_name, subject, n::DOUBLE AS observed, 0.0 AS threshold,
       n = 0 AS passed,
       printf('%d rows of %s point at nothing', n, subject) AS message
FROM orphans
