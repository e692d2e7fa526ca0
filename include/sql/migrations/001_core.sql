-- Core warehouse: articles and their facts, reference actors, operations, data quality.

-- one row per article, keyed by its canonical URL
CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,
    canonical_url     VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    title             VARCHAR,
    published_at_utc  TIMESTAMP,
    published_as_written VARCHAR,
    lang              VARCHAR,
    authors           VARCHAR[],
    body              VARCHAR NOT NULL,
    body_chars        INTEGER NOT NULL CHECK (body_chars >= 0),
    parse_methods     VARCHAR,
    warc_file         VARCHAR NOT NULL,
    warc_offset       BIGINT NOT NULL,
    fetched_at_utc    TIMESTAMP NOT NULL,
    batch_id          VARCHAR NOT NULL
);
COMMENT ON TABLE articles IS 'One row per article (canonical URL); the body that fact offsets refer to.';
COMMENT ON COLUMN articles.article_id IS 'First 32 hex digits of SHA-256 of the canonical URL.';
COMMENT ON COLUMN articles.canonical_url IS 'The page''s canonical link, else its fetched URL, normalized.';
COMMENT ON COLUMN articles.url IS 'The URL discovery found and fetch requested.';
COMMENT ON COLUMN articles.source IS 'Name of the source in sources.yaml.';
COMMENT ON COLUMN articles.title IS 'Headline as published.';
COMMENT ON COLUMN articles.published_at_utc IS 'Publication instant in UTC (midnight when only a date is known).';
COMMENT ON COLUMN articles.published_as_written IS 'Publication date/time as the page gives it (ISO 8601, with its offset).';
COMMENT ON COLUMN articles.lang IS 'ISO 639-1 language of the body.';
COMMENT ON COLUMN articles.authors IS 'Bylines, in page order.';
COMMENT ON COLUMN articles.body IS 'Clean body text: paragraphs separated by blank lines.';
COMMENT ON COLUMN articles.body_chars IS 'Length of body in characters.';
COMMENT ON COLUMN articles.parse_methods IS 'JSON: which method found each field (json-ld, meta, trafilatura, htmldate).';
COMMENT ON COLUMN articles.warc_file IS 'Raw archive file holding the response this article was parsed from.';
COMMENT ON COLUMN articles.warc_offset IS 'Byte offset of the response record in warc_file.';
COMMENT ON COLUMN articles.fetched_at_utc IS 'When the page was fetched.';
COMMENT ON COLUMN articles.batch_id IS 'Batch (run key and source) that last loaded this article.';

-- one row per troop-count fact
CREATE TABLE troop_counts (
    fact_id           VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    actor             VARCHAR NOT NULL,
    location          VARCHAR,
    count             BIGINT NOT NULL CHECK (count BETWEEN 1 AND 5000000),
    count_high        BIGINT CHECK (count_high IS NULL OR count_high >= count),
    qualifier         VARCHAR NOT NULL CHECK (qualifier IN ('exact', 'approx', 'at_least', 'at_most')),
    kind              VARCHAR NOT NULL CHECK (kind IN ('level', 'increase', 'decrease', 'planned_level')),
    sentence          VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    extractor         VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    batch_id          VARCHAR NOT NULL
);
COMMENT ON TABLE troop_counts IS 'One row per troop-count fact, with the sentence that states it.';
COMMENT ON COLUMN troop_counts.fact_id IS 'SHA-256 prefix of article, evidence span and values.';
COMMENT ON COLUMN troop_counts.article_id IS 'Article the fact was read from (articles.article_id).';
COMMENT ON COLUMN troop_counts.actor IS 'Whose forces: ISO 3166-1 alpha-3, NATO, UN, COALITION, EU or an armed group''s short English name.';
COMMENT ON COLUMN troop_counts.location IS 'Where they are: ISO 3166-1 alpha-3, or null when not stated.';
COMMENT ON COLUMN troop_counts.count IS 'Number of troops (the low end of a range).';
COMMENT ON COLUMN troop_counts.count_high IS 'High end of a range, else null.';
COMMENT ON COLUMN troop_counts.qualifier IS 'exact, approx, at_least or at_most.';
COMMENT ON COLUMN troop_counts.kind IS 'level, increase, decrease or planned_level.';
COMMENT ON COLUMN troop_counts.sentence IS 'Evidence: the exact sentence, equal to articles.body[char_start:char_end].';
COMMENT ON COLUMN troop_counts.char_start IS 'Start offset of the sentence in articles.body (0-based, characters).';
COMMENT ON COLUMN troop_counts.char_end IS 'End offset (exclusive) of the sentence in articles.body.';
COMMENT ON COLUMN troop_counts.extractor IS 'Extractor name.';
COMMENT ON COLUMN troop_counts.extractor_version IS 'Extractor version.';
COMMENT ON COLUMN troop_counts.batch_id IS 'Batch that loaded the fact.';

-- one row per date mention
CREATE TABLE date_mentions (
    fact_id           VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    value             VARCHAR NOT NULL,
    mod               VARCHAR CHECK (mod IS NULL OR mod IN ('START', 'MID', 'END')),
    text              VARCHAR NOT NULL,
    calendar          VARCHAR NOT NULL CHECK (calendar IN ('gregorian', 'hijri')),
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    extractor         VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    batch_id          VARCHAR NOT NULL
);
COMMENT ON TABLE date_mentions IS 'One row per date mention, resolved against the article''s publication date.';
COMMENT ON COLUMN date_mentions.fact_id IS 'SHA-256 prefix of article, span and value.';
COMMENT ON COLUMN date_mentions.article_id IS 'Article the mention was read from.';
COMMENT ON COLUMN date_mentions.value IS 'TIMEX3-style value: YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www.';
COMMENT ON COLUMN date_mentions.mod IS 'START, MID or END for early/mid/late, else null.';
COMMENT ON COLUMN date_mentions.text IS 'The mention as written, equal to articles.body[char_start:char_end].';
COMMENT ON COLUMN date_mentions.calendar IS 'Calendar the text was written in (hijri dates are converted).';
COMMENT ON COLUMN date_mentions.char_start IS 'Start offset in articles.body.';
COMMENT ON COLUMN date_mentions.char_end IS 'End offset (exclusive) in articles.body.';
COMMENT ON COLUMN date_mentions.extractor IS 'Extractor name.';
COMMENT ON COLUMN date_mentions.extractor_version IS 'Extractor version.';
COMMENT ON COLUMN date_mentions.batch_id IS 'Batch that loaded the mention.';

-- one row per named-entity mention
CREATE TABLE entities (
    fact_id           VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('person', 'organization', 'location')),
    text              VARCHAR NOT NULL,
    canonical         VARCHAR,
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    extractor         VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    batch_id          VARCHAR NOT NULL
);
COMMENT ON TABLE entities IS 'One row per mention of a person, organization or location.';
COMMENT ON COLUMN entities.fact_id IS 'SHA-256 prefix of article, span and kind.';
COMMENT ON COLUMN entities.article_id IS 'Article the mention was read from.';
COMMENT ON COLUMN entities.kind IS 'person, organization or location.';
COMMENT ON COLUMN entities.text IS 'The mention as written.';
COMMENT ON COLUMN entities.canonical IS 'Canonical name (for example a full name for a surname alone).';
COMMENT ON COLUMN entities.char_start IS 'Start offset in articles.body.';
COMMENT ON COLUMN entities.char_end IS 'End offset (exclusive) in articles.body.';
COMMENT ON COLUMN entities.extractor IS 'Extractor name.';
COMMENT ON COLUMN entities.extractor_version IS 'Extractor version.';
COMMENT ON COLUMN entities.batch_id IS 'Batch that loaded the mention.';

-- one row per quotation
CREATE TABLE quotes (
    fact_id           VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    speaker           VARCHAR,
    text              VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    extractor         VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    batch_id          VARCHAR NOT NULL
);
COMMENT ON TABLE quotes IS 'One row per quotation with the speaker it is attributed to.';
COMMENT ON COLUMN quotes.fact_id IS 'SHA-256 prefix of article and span.';
COMMENT ON COLUMN quotes.article_id IS 'Article the quote was read from.';
COMMENT ON COLUMN quotes.speaker IS 'Who said it, as named in the article; null when unattributed.';
COMMENT ON COLUMN quotes.text IS 'The quoted words.';
COMMENT ON COLUMN quotes.char_start IS 'Start offset in articles.body.';
COMMENT ON COLUMN quotes.char_end IS 'End offset (exclusive) in articles.body.';
COMMENT ON COLUMN quotes.extractor IS 'Extractor name.';
COMMENT ON COLUMN quotes.extractor_version IS 'Extractor version.';
COMMENT ON COLUMN quotes.batch_id IS 'Batch that loaded the quote.';

-- one row per actor code (country, multinational force or armed group)
CREATE TABLE actors (
    code          VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL CHECK (kind IN ('country', 'multinational', 'group')),
    name_en       VARCHAR NOT NULL,
    name_ar       VARCHAR,
    adjectives_en VARCHAR[],
    adjectives_ar VARCHAR[]
);
COMMENT ON TABLE actors IS 'Reference: countries (CLDR via Babel), multinational forces and armed groups.';
COMMENT ON COLUMN actors.code IS 'ISO 3166-1 alpha-3, NATO, UN, COALITION, EU, or an armed group''s short name.';
COMMENT ON COLUMN actors.kind IS 'country, multinational or group.';
COMMENT ON COLUMN actors.name_en IS 'English name.';
COMMENT ON COLUMN actors.name_ar IS 'Arabic name.';
COMMENT ON COLUMN actors.adjectives_en IS 'English adjectives recognised for this actor.';
COMMENT ON COLUMN actors.adjectives_ar IS 'Arabic adjectives recognised for this actor.';

-- one row per URL fetched in a batch
CREATE TABLE fetch_log (
    batch_id        VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    final_url       VARCHAR,
    status          INTEGER,
    error_class     VARCHAR,
    error           VARCHAR,
    attempts        INTEGER NOT NULL,
    bytes           BIGINT NOT NULL,
    elapsed_ms      INTEGER NOT NULL,
    fetched_at_utc  TIMESTAMP NOT NULL,
    PRIMARY KEY (batch_id, url)
);
COMMENT ON TABLE fetch_log IS 'Operations: one row per URL requested in a batch (feeds, sitemaps and pages).';
COMMENT ON COLUMN fetch_log.batch_id IS 'Batch (run key and source).';
COMMENT ON COLUMN fetch_log.url IS 'URL requested.';
COMMENT ON COLUMN fetch_log.final_url IS 'URL after redirects.';
COMMENT ON COLUMN fetch_log.status IS 'HTTP status, null when no response arrived.';
COMMENT ON COLUMN fetch_log.error_class IS 'Why it failed (HTTP503, ConnectionError, RobotsDisallowed, ...), null on success.';
COMMENT ON COLUMN fetch_log.error IS 'Error message.';
COMMENT ON COLUMN fetch_log.attempts IS 'Attempts made, retries included.';
COMMENT ON COLUMN fetch_log.bytes IS 'Body bytes received.';
COMMENT ON COLUMN fetch_log.elapsed_ms IS 'Wall time of the request, retries included.';
COMMENT ON COLUMN fetch_log.fetched_at_utc IS 'When the request started.';

-- one row per batch loaded
CREATE TABLE runs (
    batch_id            VARCHAR PRIMARY KEY,
    run_key             VARCHAR NOT NULL,
    source              VARCHAR NOT NULL,
    pages_fetched       INTEGER NOT NULL,
    pages_unchanged     INTEGER NOT NULL,
    fetch_failures      INTEGER NOT NULL,
    articles_parsed     INTEGER NOT NULL,
    parse_failures      INTEGER NOT NULL,
    facts_loaded        INTEGER NOT NULL,
    records_quarantined INTEGER NOT NULL,
    failures_by_reason  VARCHAR NOT NULL,
    extractor_version   VARCHAR NOT NULL
);
COMMENT ON TABLE runs IS 'Operations: one row per batch (run key and source) loaded, with its counts.';
COMMENT ON COLUMN runs.batch_id IS 'Batch id: run key and source.';
COMMENT ON COLUMN runs.run_key IS 'The data interval (Airflow logical date) or the run key given to newsfacts run.';
COMMENT ON COLUMN runs.source IS 'Source name.';
COMMENT ON COLUMN runs.pages_fetched IS 'Article pages fetched with a 2xx response.';
COMMENT ON COLUMN runs.pages_unchanged IS 'Article pages answered 304 Not Modified.';
COMMENT ON COLUMN runs.fetch_failures IS 'Requests that failed.';
COMMENT ON COLUMN runs.articles_parsed IS 'Pages parsed into articles.';
COMMENT ON COLUMN runs.parse_failures IS 'Pages that could not be parsed.';
COMMENT ON COLUMN runs.facts_loaded IS 'Fact rows loaded (all kinds).';
COMMENT ON COLUMN runs.records_quarantined IS 'Records that failed validation and went to quarantine.';
COMMENT ON COLUMN runs.failures_by_reason IS 'JSON object: failure reason to count.';
COMMENT ON COLUMN runs.extractor_version IS 'Extractor version used for this batch.';

-- one row per expectation evaluated on a batch
CREATE TABLE validation_results (
    batch_id         VARCHAR NOT NULL,
    suite            VARCHAR NOT NULL,
    expectation      VARCHAR NOT NULL,
    column_name      VARCHAR NOT NULL,
    success          BOOLEAN NOT NULL,
    element_count    BIGINT,
    unexpected_count BIGINT,
    PRIMARY KEY (batch_id, suite, expectation, column_name)
);
COMMENT ON TABLE validation_results IS 'Data quality: one row per Great Expectations expectation evaluated on a batch.';
COMMENT ON COLUMN validation_results.batch_id IS 'Batch validated.';
COMMENT ON COLUMN validation_results.suite IS 'Expectation suite (one per table).';
COMMENT ON COLUMN validation_results.expectation IS 'Expectation type.';
COMMENT ON COLUMN validation_results.column_name IS 'Column checked, or * for table-level expectations.';
COMMENT ON COLUMN validation_results.success IS 'Whether the expectation held for the whole batch.';
COMMENT ON COLUMN validation_results.element_count IS 'Rows evaluated.';
COMMENT ON COLUMN validation_results.unexpected_count IS 'Rows that broke the expectation.';

-- one row per record held back by validation
CREATE TABLE quarantine (
    batch_id            VARCHAR NOT NULL,
    table_name          VARCHAR NOT NULL,
    record_key          VARCHAR NOT NULL,
    record              VARCHAR NOT NULL,
    failed_expectations VARCHAR[] NOT NULL,
    PRIMARY KEY (batch_id, table_name, record_key)
);
COMMENT ON TABLE quarantine IS 'Data quality: one row per record that failed validation; kept, not loaded.';
COMMENT ON COLUMN quarantine.batch_id IS 'Batch that saw the record.';
COMMENT ON COLUMN quarantine.table_name IS 'Table the record was meant for.';
COMMENT ON COLUMN quarantine.record_key IS 'The record''s key (fact_id or article_id).';
COMMENT ON COLUMN quarantine.record IS 'The whole record as JSON.';
COMMENT ON COLUMN quarantine.failed_expectations IS 'Expectations it broke, as type(column).';
