"""Parse stage: an archived HTML page in, one Article out (`parse.article.parse_article`)."""
