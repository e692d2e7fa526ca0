-- one row per date mention
SELECT a.source, left(a.title, 40) AS article, d.text, d.value, d.mod
FROM date_mentions d JOIN articles a USING (article_id)
ORDER BY a.source, a.published_at_utc, d.char_start;
