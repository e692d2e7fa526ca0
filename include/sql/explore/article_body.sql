-- one row: the body of an article, which fact offsets refer to
SELECT body FROM articles WHERE article_id = $article_id
