-- one row: share of articles whose body is identical to another article's body
SELECT 'duplicate_rate' AS check_name, '*' AS subject,
       coalesce(1 - count(DISTINCT md5(body)) / nullif(count(*), 0), 0) AS observed,
       $max_duplicate_rate::DOUBLE AS threshold,
       observed <= threshold AS passed,
       printf('%.1f%% of %d articles repeat another article''s body', 100 * observed, count(*)) AS message
FROM articles
