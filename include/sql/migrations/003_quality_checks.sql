-- Data-quality results of the daily checks over the whole warehouse.

-- one row per (check day, check, subject)
CREATE TABLE quality_checks (
    check_date   DATE NOT NULL,
    check_name   VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    observed     DOUBLE,
    threshold    DOUBLE,
    passed       BOOLEAN NOT NULL,
    message      VARCHAR NOT NULL,
    PRIMARY KEY (check_date, check_name, subject)
);
COMMENT ON TABLE quality_checks IS 'Data quality: one row per daily warehouse check and subject (a source, a table or *).';
COMMENT ON COLUMN quality_checks.check_date IS 'Day the checks ran for (the DAG''s logical date).';
COMMENT ON COLUMN quality_checks.check_name IS 'freshness, volume, duplicate_rate, referential_integrity, facts_per_article or quarantine_share.';
COMMENT ON COLUMN quality_checks.subject IS 'What was checked: a source name, a table name, or * for the whole warehouse.';
COMMENT ON COLUMN quality_checks.observed IS 'The measured value (hours, ratio, rows or share, by check).';
COMMENT ON COLUMN quality_checks.threshold IS 'The limit the observed value is held to.';
COMMENT ON COLUMN quality_checks.passed IS 'Whether the observed value is within the threshold.';
COMMENT ON COLUMN quality_checks.message IS 'A sentence saying what was found.';
