-- one row per migration applied (include/sql/migrations/<number>_<name>.sql), kept by migrate()
CREATE TABLE IF NOT EXISTS schema_migrations (
    version        INTEGER PRIMARY KEY,
    name           VARCHAR NOT NULL,
    applied_at_utc TIMESTAMP NOT NULL
);
