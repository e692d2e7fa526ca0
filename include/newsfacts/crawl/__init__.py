"""Crawl stage: sources, discovery, polite fetching, the frontier and the raw WARC archive."""
