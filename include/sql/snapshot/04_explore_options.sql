-- one row per (facet, value): the values the explorer's filters offer, with how many facts have each
CREATE OR REPLACE TABLE explore_options AS
SELECT 'actor' AS facet, actor AS value, any_value(actor_name_en) AS name_en, any_value(actor_name_ar) AS name_ar, count(*) AS facts
FROM explore_facts GROUP BY actor
UNION ALL
SELECT 'location', location, any_value(location_name_en), any_value(location_name_ar), count(*)
FROM explore_facts WHERE location IS NOT NULL GROUP BY location
UNION ALL
SELECT 'source', source, NULL, NULL, count(*) FROM explore_facts GROUP BY source
UNION ALL
SELECT 'lang', lang, NULL, NULL, count(*) FROM explore_facts WHERE lang IS NOT NULL GROUP BY lang
ORDER BY facet, value;
COMMENT ON TABLE explore_options IS 'Explorer (snapshot only): one row per filter facet (actor, location, source, lang) and value, with names and fact counts.';
