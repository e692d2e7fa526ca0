-- Make {table} hold exactly the staged rows for the batch's articles, writing only what differs:
-- rows of these articles that are not staged identically go, then staged rows not present are
-- inserted, so an identical reload deletes and inserts nothing.
DELETE FROM {table}
WHERE article_id IN (SELECT article_id FROM staged_articles)
  AND {key} NOT IN (
      SELECT s.{key}
      FROM staged_{table} s
      JOIN {table} current ON current.{key} = s.{key}
      WHERE current IS NOT DISTINCT FROM s
  );

INSERT INTO {table} BY NAME
SELECT s.*
FROM staged_{table} s
ANTI JOIN {table} current ON current.{key} = s.{key};
