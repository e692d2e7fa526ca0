-- The crawl frontier: every article URL discovery has found, and what its last fetch found.

-- one row per article URL (as discovery normalized it)
CREATE TABLE frontier (
    url                    VARCHAR PRIMARY KEY,
    source                 VARCHAR NOT NULL,
    canonical_url          VARCHAR,
    final_url              VARCHAR,
    first_seen_at_utc      TIMESTAMP NOT NULL,
    listed_lastmod         VARCHAR,
    last_fetched_at_utc    TIMESTAMP,
    last_status            INTEGER,
    last_error_class       VARCHAR,
    etag                   VARCHAR,
    last_modified          VARCHAR,
    content_hash           VARCHAR,
    content_changed_at_utc TIMESTAMP,
    batch_id               VARCHAR NOT NULL
);
COMMENT ON TABLE frontier IS 'Crawl frontier: one row per article URL discovered, with its last fetch; decides what the next run fetches.';
COMMENT ON COLUMN frontier.url IS 'Article URL as discovery found and normalized it (the key).';
COMMENT ON COLUMN frontier.source IS 'Source (sources.yaml name) that last listed the URL.';
COMMENT ON COLUMN frontier.canonical_url IS 'The page''s canonical link, normalized, when it names another URL; a URL equal to it is not fetched twice.';
COMMENT ON COLUMN frontier.final_url IS 'URL of the last response after redirects.';
COMMENT ON COLUMN frontier.first_seen_at_utc IS 'When discovery first listed the URL.';
COMMENT ON COLUMN frontier.listed_lastmod IS 'Date the feed or sitemap gave the URL (lastmod, publication date), as written; a later one means the page changed.';
COMMENT ON COLUMN frontier.last_fetched_at_utc IS 'When the URL was last requested; null when listed but not fetched yet (over the run''s page budget).';
COMMENT ON COLUMN frontier.last_status IS 'HTTP status of the last response (304 when unchanged); null when no response came.';
COMMENT ON COLUMN frontier.last_error_class IS 'Why the last fetch failed (fetch_log.error_class), null when it succeeded.';
COMMENT ON COLUMN frontier.etag IS 'ETag of the last good response, sent back as If-None-Match.';
COMMENT ON COLUMN frontier.last_modified IS 'Last-Modified of the last good response, sent back as If-Modified-Since.';
COMMENT ON COLUMN frontier.content_hash IS 'SHA-256 (hex) of the last body received; a 200 with the same hash counts as unchanged.';
COMMENT ON COLUMN frontier.content_changed_at_utc IS 'When a fetch last brought a body different from the one before.';
COMMENT ON COLUMN frontier.batch_id IS 'Batch (run key and source) that wrote this row.';
