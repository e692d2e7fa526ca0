-- one row per (story, actor, location) reported by two or more outlets with different troop counts
CREATE OR REPLACE VIEW outlet_disagreements AS
SELECT s.story_id,
       t.actor,
       t.location,
       count(DISTINCT a.source)                                  AS sources,
       min(t.count)                                              AS min_count,
       max(coalesce(t.count_high, t.count))                      AS max_count,
       max(coalesce(t.count_high, t.count)) - min(t.count)       AS spread,
       list(DISTINCT a.source || ': ' || t.count::VARCHAR ORDER BY a.source || ': ' || t.count::VARCHAR) AS reports,
       list(DISTINCT a.canonical_url)                            AS urls
FROM troop_counts t
JOIN articles a USING (article_id)
JOIN article_stories s USING (article_id)
GROUP BY s.story_id, t.actor, t.location
HAVING count(DISTINCT a.source) >= 2 AND min(t.count) <> max(coalesce(t.count_high, t.count));
-- the view is made again on every migrate(), and its comments with it
COMMENT ON VIEW outlet_disagreements IS 'One row per (story, actor, location) that two or more outlets report with different counts.';
COMMENT ON COLUMN outlet_disagreements.story_id IS 'The story (article_stories): near-duplicate copies of one wire story.';
COMMENT ON COLUMN outlet_disagreements.actor IS 'Whose forces: ISO 3166-1 alpha-3, NATO, UN, COALITION, EU or an armed group.';
COMMENT ON COLUMN outlet_disagreements.location IS 'Where the troops are (alpha-3), NULL when not stated.';
COMMENT ON COLUMN outlet_disagreements.sources IS 'Number of distinct sources reporting the pair in the story.';
COMMENT ON COLUMN outlet_disagreements.min_count IS 'Lowest count reported (a range''s low end).';
COMMENT ON COLUMN outlet_disagreements.max_count IS 'Highest count reported (a range''s high end).';
COMMENT ON COLUMN outlet_disagreements.spread IS 'max_count minus min_count.';
COMMENT ON COLUMN outlet_disagreements.reports IS 'Each source with a count it reported, as ''source: count''.';
COMMENT ON COLUMN outlet_disagreements.urls IS 'Canonical URLs of the articles in the story that report the pair.';
