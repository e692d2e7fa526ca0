-- one row per source: facts of every kind (the fact registry's tables, $fact_tables) per article, held to a minimum
WITH facts AS (
    SELECT article_id, count(*) AS facts
    FROM query_table($fact_tables::VARCHAR[], true)
    GROUP BY article_id
)
SELECT 'facts_per_article' AS check_name, a.source AS subject,
       coalesce(sum(f.facts), 0) / count(*) AS observed,
       $min_facts_per_article::DOUBLE AS threshold,
       observed >= threshold AS passed,
       printf('%s: %.2f facts per article (%s) over %d articles', a.source, observed,
              array_to_string($fact_tables::VARCHAR[], ', '), count(*)) AS message
FROM articles a
LEFT JOIN facts f USING (article_id)
GROUP BY a.source
