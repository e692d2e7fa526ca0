-- one row per (story, actor, location) on one page of outlet disagreements, newest story first
SELECT story_id, actor, actor_name_en, actor_name_ar, location, location_name_en, location_name_ar,
       sources, min_count, max_count, spread, reports, urls, latest_published_at_utc
FROM explore_disagreements
WHERE ($actor IS NULL OR actor = $actor)
ORDER BY latest_published_at_utc DESC NULLS LAST, story_id, actor, location
LIMIT $limit OFFSET $offset
