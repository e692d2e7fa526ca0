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
