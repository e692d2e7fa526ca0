-- one row per fact on one page of the filtered troop counts, in the order asked for: ids only (the columns come after, by id)
SELECT fact_id
FROM ({filtered}) AS f
ORDER BY {order}
LIMIT $limit OFFSET $offset
