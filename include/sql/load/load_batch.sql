-- Replace everything one batch owns, inside the caller's transaction.
-- :staging is the batch's staging folder; each file holds one table's rows for the batch.

DELETE FROM troop_counts  WHERE article_id IN (SELECT article_id FROM read_parquet(:staging || '/articles.parquet'));
DELETE FROM date_mentions WHERE article_id IN (SELECT article_id FROM read_parquet(:staging || '/articles.parquet'));
DELETE FROM entities      WHERE article_id IN (SELECT article_id FROM read_parquet(:staging || '/articles.parquet'));
DELETE FROM quotes        WHERE article_id IN (SELECT article_id FROM read_parquet(:staging || '/articles.parquet'));
DELETE FROM articles      WHERE article_id IN (SELECT article_id FROM read_parquet(:staging || '/articles.parquet'));
DELETE FROM quarantine         WHERE batch_id = :batch_id;
DELETE FROM validation_results WHERE batch_id = :batch_id;
DELETE FROM fetch_log          WHERE batch_id = :batch_id;
DELETE FROM runs               WHERE batch_id = :batch_id;

INSERT INTO articles      BY NAME SELECT * FROM read_parquet(:staging || '/articles.parquet');
INSERT INTO troop_counts  BY NAME SELECT * FROM read_parquet(:staging || '/troop_counts.parquet');
INSERT INTO date_mentions BY NAME SELECT * FROM read_parquet(:staging || '/date_mentions.parquet');
INSERT INTO entities      BY NAME SELECT * FROM read_parquet(:staging || '/entities.parquet');
INSERT INTO quotes        BY NAME SELECT * FROM read_parquet(:staging || '/quotes.parquet');
INSERT INTO quarantine         BY NAME SELECT * FROM read_parquet(:staging || '/quarantine.parquet');
INSERT INTO validation_results BY NAME SELECT * FROM read_parquet(:staging || '/validation_results.parquet');
INSERT INTO fetch_log          BY NAME SELECT * FROM read_parquet(:staging || '/fetch_log.parquet');
INSERT INTO runs               BY NAME SELECT * FROM read_parquet(:staging || '/runs.parquet');
