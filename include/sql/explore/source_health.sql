-- the source_health view (include/sql/views/source_health.sql): one row per fetched source
SELECT * FROM source_health LIMIT 500
