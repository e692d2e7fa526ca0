-- one row when the warehouse holds the run row of batch $batch_id, else none
SELECT 1 FROM runs WHERE batch_id = $batch_id;
