-- Make {table} hold exactly the staged rows for the batch's articles, writing only what differs:
-- rows of these articles that are no longer extracted go, new or changed rows are upserted, and
-- identical rows are left alone, so an identical reload writes nothing.
DELETE FROM {table}
WHERE article_id IN (SELECT article_id FROM staged_articles)
  AND {key} NOT IN (SELECT {key} FROM staged_{table});

INSERT OR REPLACE INTO {table} BY NAME
SELECT s.*
FROM staged_{table} s
LEFT JOIN {table} current ON current.{key} = s.{key}
WHERE current.{key} IS NULL OR current IS DISTINCT FROM s;
