-- one row: when the snapshot being read was published and what it holds
SELECT published_at_utc, troop_facts, articles, latest_batch_id FROM snapshot_info
