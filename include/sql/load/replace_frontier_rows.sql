-- The batch's frontier rows replace older ones URL by URL: a row is written when it is new or
-- records a later fetch than the warehouse holds, so loading an old batch again (reprocessing)
-- never rolls the frontier back, and an identical reload writes nothing.
INSERT OR REPLACE INTO frontier BY NAME
SELECT s.* REPLACE (
    least(s.first_seen_at_utc, coalesce(f.first_seen_at_utc, s.first_seen_at_utc))
        AS first_seen_at_utc
)
FROM staged_frontier s
LEFT JOIN frontier f ON f.url = s.url
WHERE f.url IS NULL
   OR (s.last_fetched_at_utc IS NOT NULL
       AND (f.last_fetched_at_utc IS NULL OR s.last_fetched_at_utc >= f.last_fetched_at_utc)
       AND f IS DISTINCT FROM s);
