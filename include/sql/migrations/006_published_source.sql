-- Articles gain where their publication date came from, so a guessed date is never taken for
-- one the page states. DuckDB cannot add a column with a CHECK: the articles suite
-- (quality/validate.py) holds the values to parse.published.PUBLISHED_SOURCES instead.

ALTER TABLE articles ADD COLUMN published_source VARCHAR;
COMMENT ON COLUMN articles.published_source IS 'Where published_at_utc came from: json-ld or next-data (structured data), meta (a meta tag), time (a <time> marked as publication), url (a date in the URL path), text (a date in words on the page), htmldate (a guess from the markup, used only when the page states no date); null when no date was found.';

-- Articles loaded before this column existed: the same method, as parse_methods recorded it.
UPDATE articles
SET published_source = CASE json_extract_string(parse_methods, '$.published')
    WHEN 'byline' THEN 'text'
    ELSE json_extract_string(parse_methods, '$.published')
END
WHERE published_at_utc IS NOT NULL OR published_as_written IS NOT NULL;
