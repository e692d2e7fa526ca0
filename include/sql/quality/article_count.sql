-- one row: articles in the warehouse; none at all fails, so checks over an empty warehouse never pass silently
SELECT 'article_count' AS check_name, '*' AS subject, count(*)::DOUBLE AS observed,
       1.0::DOUBLE AS threshold, count(*) >= 1 AS passed,
       printf('%d articles in the warehouse', count(*)) AS message
FROM articles
