-- one row: troop counts whose actor is not in the reference data (must be none, once it is loaded);
-- facts whose article is missing are checked per fact table (per_fact_table/orphan_facts.sql)
WITH orphans AS (
    SELECT 'troop_counts.actor' AS subject, count(*) AS n FROM troop_counts WHERE actor NOT IN (SELECT code FROM actors) AND (SELECT count(*) FROM actors) > 0
)
SELECT 'referential_integrity' AS check_name, subject, n::DOUBLE AS observed, 0.0 AS threshold,
       n = 0 AS passed,
       printf('%d rows of %s point at nothing', n, subject) AS message
FROM orphans
