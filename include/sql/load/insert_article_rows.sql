-- one row per staged row of the batch's articles not already in {table} (after delete_article_rows.sql)
INSERT INTO {table} BY NAME
SELECT s.*
FROM staged_{table} s
ANTI JOIN {table} current ON current.{key} = s.{key};
