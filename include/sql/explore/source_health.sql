-- the source_health view as it is (another module defines it): one row per source
SELECT * FROM source_health LIMIT 500
