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
-- the view is made again on every migrate(), and its comments with it
COMMENT ON VIEW story_troop_counts IS 'One row per (story, actor, location, count): a troop count counted once however many outlets carried the story.';
COMMENT ON COLUMN story_troop_counts.story_id IS 'The story (article_stories): near-duplicate copies of one wire story.';
COMMENT ON COLUMN story_troop_counts.actor IS 'Whose forces: ISO 3166-1 alpha-3, NATO, UN, COALITION, EU or an armed group.';
COMMENT ON COLUMN story_troop_counts.location IS 'Where the troops are (alpha-3), NULL when not stated.';
COMMENT ON COLUMN story_troop_counts.count IS 'The count (a range''s low end).';
COMMENT ON COLUMN story_troop_counts.count_high IS 'High end of a range, else NULL.';
COMMENT ON COLUMN story_troop_counts.kind IS 'level, increase, decrease or planned_level.';
COMMENT ON COLUMN story_troop_counts.first_published_at_utc IS 'Earliest publication time (UTC) of the story''s articles with this count.';
COMMENT ON COLUMN story_troop_counts.sources IS 'Number of distinct sources that carried this count in the story.';
COMMENT ON COLUMN story_troop_counts.source_names IS 'Those sources, sorted.';
