-- one row per value a filter offers: facet, value, names and fact count
SELECT facet, value, name_en, name_ar, facts FROM explore_options ORDER BY facet, value
