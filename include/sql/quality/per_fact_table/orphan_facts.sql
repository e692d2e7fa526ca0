-- one row for one fact table ({table}, run once per fact kind): facts whose article is missing (must be none)
SELECT 'referential_integrity' AS check_name, '{table}' AS subject, count(*)::DOUBLE AS observed,
       0.0 AS threshold, count(*) = 0 AS passed,
       printf('%d rows of %s point at nothing', count(*), '{table}') AS message
FROM {table}
WHERE article_id NOT IN (SELECT article_id FROM articles)
