-- one row per fact on one page of the filtered troop counts, in the order asked for
SELECT fact_id, actor, actor_name_en, actor_name_ar, location, location_name_en, location_name_ar,
       count, count_high, qualifier, kind, as_of, level_date, published_date, source, lang, title, sentence
FROM ({filtered}) AS f
ORDER BY {order}
LIMIT $limit OFFSET $offset
