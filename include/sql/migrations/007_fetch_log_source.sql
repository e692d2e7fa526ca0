-- fetch_log rows gain their source, so source health (views/source_health.sql) can follow a
-- source from run to run, including runs that fetched nothing and batches not loaded yet.

ALTER TABLE fetch_log ADD COLUMN source VARCHAR;
COMMENT ON COLUMN fetch_log.source IS 'Source (sources.yaml name) the batch fetched for.';

-- Rows logged before: a batch id is the run key and the source joined by "__" (ids.make_batch_id).
UPDATE fetch_log SET source = regexp_extract(batch_id, '__(.+)$', 1);
