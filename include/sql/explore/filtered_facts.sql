-- one row per troop-count fact that passes the explorer's filters (a null parameter filters nothing; location '-' means not stated)
SELECT *
FROM explore_facts
WHERE ($actor IS NULL OR actor = $actor)
  AND ($location IS NULL OR location IS NOT DISTINCT FROM nullif($location, '-'))
  AND ($source IS NULL OR source = $source)
  AND ($lang IS NULL OR lang = $lang)
  AND ($kind IS NULL OR kind = $kind)
  AND ($qualifier IS NULL OR qualifier = $qualifier)
  AND ($published_from IS NULL OR published_date >= $published_from)
  AND ($published_to IS NULL OR published_date <= $published_to)
  AND ($level_from IS NULL OR level_date >= $level_from)
  AND ($level_to IS NULL OR level_date <= $level_to)
