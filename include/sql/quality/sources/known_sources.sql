-- one row per source the warehouse has seen (articles or fetches), for checks run without a sources file
SELECT source FROM articles
UNION
SELECT source FROM fetch_log WHERE source IS NOT NULL
ORDER BY source
