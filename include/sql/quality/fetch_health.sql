-- one row per configured source: its newest runs in a row in which every fetch failed, held below $max_failed_runs
SELECT 'fetch_health' AS check_name, e.source AS subject,
       coalesce(h.consecutive_failures, 0)::DOUBLE AS observed,
       $max_failed_runs::DOUBLE AS threshold,
       observed < threshold AS passed,
       CASE WHEN h.source IS NULL
            THEN printf('%s: never fetched', e.source)
            WHEN h.consecutive_failures = 0
            THEN printf('%s: last run answered (%d runs; last success %s)', e.source, h.runs, h.last_success_at_utc)
            ELSE printf('%s: every fetch failed in its last %d runs (%s); last success %s',
                        e.source, h.consecutive_failures,
                        array_to_string(list_transform(map_entries(h.last_run_error_classes),
                                                       lambda x: x.key || ' x' || x.value), ', '),
                        coalesce(h.last_success_at_utc::VARCHAR, 'never'))
       END AS message
FROM expected_sources e
LEFT JOIN source_health h USING (source)
