-- one row per (story, actor, location, count): a troop count counted once however many outlets carried the story
CREATE OR REPLACE VIEW story_troop_counts AS
SELECT s.story_id, t.actor, t.location, t.count, t.count_high, t.kind,
       min(a.published_at_utc)        AS first_published_at_utc,
       count(DISTINCT a.source)       AS sources,
       list(DISTINCT a.source ORDER BY a.source) AS source_names
FROM troop_counts t
JOIN articles a USING (article_id)
JOIN article_stories s USING (article_id)
GROUP BY s.story_id, t.actor, t.location, t.count, t.count_high, t.kind;
