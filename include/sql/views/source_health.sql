-- one row per source that has been fetched: its runs, last success, consecutive failed runs, errors
-- A run is one batch of the source; it succeeded when any request (feed, sitemap or page) got an
-- answer (2xx, or 304 unchanged) and failed when every request failed.
CREATE OR REPLACE VIEW source_health AS
WITH source_runs AS (
    SELECT source,
           batch_id,
           min(fetched_at_utc) AS run_at_utc,
           count(*) AS requests,
           max(fetched_at_utc) FILTER (WHERE error_class IS NULL AND status BETWEEN 200 AND 399)
               AS answered_at_utc
    FROM fetch_log
    WHERE source IS NOT NULL
    GROUP BY source, batch_id
),
ranked AS (
    SELECT *,
           row_number() OVER newest_first AS recency,
           -- runs that succeeded, from the newest run down to this one
           count(answered_at_utc) OVER (newest_first ROWS UNBOUNDED PRECEDING) AS successes_since
    FROM source_runs
    WINDOW newest_first AS (PARTITION BY source ORDER BY run_at_utc DESC, batch_id DESC)
),
last_run_errors AS (
    SELECT r.source,
           map_from_entries(list((f.error_class, f.n) ORDER BY f.error_class)) AS errors
    FROM ranked r
    JOIN (
        SELECT batch_id, error_class, count(*) AS n
        FROM fetch_log
        WHERE error_class IS NOT NULL
        GROUP BY batch_id, error_class
    ) f USING (batch_id)
    WHERE r.recency = 1
    GROUP BY r.source
)
SELECT r.source,
       count(*) AS runs,
       max(r.run_at_utc) AS last_run_at_utc,
       max(r.answered_at_utc) AS last_success_at_utc,
       count(*) FILTER (WHERE r.successes_since = 0) AS consecutive_failures,
       coalesce(any_value(e.errors), MAP {}) AS last_run_error_classes,
       (SELECT max(a.fetched_at_utc) FROM articles a WHERE a.source = r.source)
           AS last_article_fetched_at_utc
FROM ranked r
LEFT JOIN last_run_errors e USING (source)
GROUP BY r.source;
COMMENT ON VIEW source_health IS 'Operations: one row per source that has been fetched, with its last success and its current run of failures.';
COMMENT ON COLUMN source_health.source IS 'Source (sources.yaml name).';
COMMENT ON COLUMN source_health.runs IS 'Batches fetched for the source (crawls and runs) that fetch_log holds.';
COMMENT ON COLUMN source_health.last_run_at_utc IS 'When the newest batch started fetching.';
COMMENT ON COLUMN source_health.last_success_at_utc IS 'Last request of the source that got an answer (2xx, or 304 unchanged); null when none ever did.';
COMMENT ON COLUMN source_health.consecutive_failures IS 'Newest batches in a row in which every request failed (0 when the newest batch got an answer).';
COMMENT ON COLUMN source_health.last_run_error_classes IS 'Error class -> requests that failed with it in the newest batch (fetch_log.error_class); empty when none failed.';
COMMENT ON COLUMN source_health.last_article_fetched_at_utc IS 'When the newest article of the source in the warehouse was fetched; null when it has none.';
