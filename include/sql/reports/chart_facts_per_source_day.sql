-- one row per (source, publication day) in the last $days days with data: facts of every kind loaded
SELECT source, published_date AS day,
       troop_counts + date_mentions + entities + quotes AS facts
FROM facts_per_source_day
WHERE published_date > (SELECT max(published_date) FROM facts_per_source_day) - $days
ORDER BY source, day
