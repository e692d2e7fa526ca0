-- one row per wanted URL (registered as `wanted_urls`) the frontier snapshot ($snapshot) knows:
-- its own row, else the row whose canonical link it is; the latest fetch when several match
WITH f AS (SELECT * FROM read_parquet($snapshot)),
matches AS (
    SELECT w.wanted, 0 AS rank, f.* FROM wanted_urls w JOIN f ON f.url = w.wanted
    UNION ALL
    SELECT w.wanted, 1 AS rank, f.* FROM wanted_urls w
    JOIN f ON f.canonical_url = w.wanted
)
SELECT * EXCLUDE (rank) FROM matches
QUALIFY row_number() OVER (
    PARTITION BY wanted ORDER BY rank, last_fetched_at_utc DESC NULLS LAST
) = 1;
