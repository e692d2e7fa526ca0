-- one row: when this snapshot was published and what it holds
CREATE OR REPLACE TABLE snapshot_info (
    published_at_utc TIMESTAMP NOT NULL,
    troop_facts      BIGINT NOT NULL,
    articles         BIGINT NOT NULL,
    latest_batch_id  VARCHAR
);
COMMENT ON TABLE snapshot_info IS 'Snapshot only: when the loader published it, its fact and article counts and the latest batch loaded.';
INSERT INTO snapshot_info
SELECT $published_at::TIMESTAMP, (SELECT count(*) FROM explore_facts), (SELECT count(*) FROM articles),
       (SELECT max(batch_id) FROM runs);
