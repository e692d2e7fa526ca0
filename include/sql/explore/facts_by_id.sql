-- one row per fact whose id is in $fact_ids: what the troop-counts table shows of it
SELECT fact_id, actor, actor_name_en, actor_name_ar, location, location_name_en, location_name_ar,
       count, count_high, qualifier, kind, as_of, level_date, published_date, source, lang, title, sentence
FROM explore_facts
WHERE fact_id IN (SELECT unnest($fact_ids))
