-- one row per article: what landed
SELECT source, lang, published_at_utc::DATE AS published, left(title, 70) AS title, body_chars
FROM articles ORDER BY source, published_at_utc, title;
