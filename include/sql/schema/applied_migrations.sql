-- one row per migration already applied: its number
SELECT version FROM schema_migrations;
