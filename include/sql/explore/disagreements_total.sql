-- one row: how many (story, actor, location) disagreements there are
SELECT count(*) FROM explore_disagreements WHERE ($actor IS NULL OR actor = $actor)
