-- one row per article already grouped into a story, except the batch's own articles ($batch_articles)
SELECT s.article_id, s.story_id, strftime(a.published_at_utc, '%Y-%m-%dT%H:%M:%S') AS published, s.minhash
FROM article_stories s
JOIN articles a USING (article_id)
WHERE s.article_id NOT IN (SELECT unnest($batch_articles::VARCHAR[]))
