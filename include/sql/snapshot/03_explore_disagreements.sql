-- one row per (story, actor, location) with outlets disagreeing: outlet_disagreements computed once per snapshot
CREATE OR REPLACE TABLE explore_disagreements AS
SELECT d.*,
       actor_ref.name_en AS actor_name_en,
       actor_ref.name_ar AS actor_name_ar,
       place_ref.name_en AS location_name_en,
       place_ref.name_ar AS location_name_ar,
       (SELECT max(a.published_at_utc) FROM article_stories s JOIN articles a USING (article_id)
         WHERE s.story_id = d.story_id) AS latest_published_at_utc
FROM outlet_disagreements d
LEFT JOIN actors actor_ref ON actor_ref.code = d.actor
LEFT JOIN actors place_ref ON place_ref.code = d.location
ORDER BY latest_published_at_utc DESC NULLS LAST, d.story_id, d.actor, d.location;
COMMENT ON TABLE explore_disagreements IS 'Explorer (snapshot only): outlet_disagreements with actor and location names and the story''s latest publication time.';
