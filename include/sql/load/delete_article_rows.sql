-- Make {table} hold exactly the staged rows for the batch's articles, writing only what differs:
-- rows of these articles that are not staged identically go (then insert_article_rows.sql adds
-- the staged rows not present), so an identical reload deletes and inserts nothing.
DELETE FROM {table}
WHERE article_id IN (SELECT article_id FROM staged_articles)
  AND {key} NOT IN (
      SELECT s.{key}
      FROM staged_{table} s
      JOIN {table} current ON current.{key} = s.{key}
      WHERE current IS NOT DISTINCT FROM s
  );
