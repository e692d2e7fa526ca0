-- one row: a migration applied now ($version, $name)
INSERT INTO schema_migrations VALUES ($version, $name, now()::TIMESTAMP);
