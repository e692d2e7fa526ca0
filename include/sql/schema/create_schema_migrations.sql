-- one row per migration applied (include/sql/migrations/<number>_<name>.sql), kept by migrate()
CREATE TABLE IF NOT EXISTS schema_migrations (
    version        INTEGER PRIMARY KEY,
    name           VARCHAR NOT NULL,
    applied_at_utc TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'One row per migration applied, by migrate().';
COMMENT ON COLUMN schema_migrations.version IS 'The migration''s number (include/sql/migrations/<number>_<name>.sql).';
COMMENT ON COLUMN schema_migrations.name IS 'The migration''s file name without .sql.';
COMMENT ON COLUMN schema_migrations.applied_at_utc IS 'When it was applied (UTC).';
