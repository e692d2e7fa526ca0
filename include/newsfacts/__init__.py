"""newsfacts: news articles to traceable facts."""
