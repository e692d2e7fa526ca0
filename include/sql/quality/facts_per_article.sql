-- one row per source: date mentions per article (every news article dates something), held to a minimum
SELECT 'facts_per_article' AS check_name, a.source AS subject,
       count(d.fact_id) / count(DISTINCT a.article_id) AS observed,
       $min_facts_per_article::DOUBLE AS threshold,
       observed >= threshold AS passed,
       printf('%s: %.2f date mentions per article over %d articles', a.source, observed, count(DISTINCT a.article_id)) AS message
FROM articles a
LEFT JOIN date_mentions d USING (article_id)
GROUP BY a.source
