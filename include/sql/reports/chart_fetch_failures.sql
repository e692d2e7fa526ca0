-- one row per (source, error class): requests that failed, over every batch in the warehouse
SELECT r.source, f.error_class, count(*) AS failures
FROM fetch_log f
JOIN runs r USING (batch_id)
WHERE f.error_class IS NOT NULL
GROUP BY ALL
ORDER BY r.source, f.error_class
