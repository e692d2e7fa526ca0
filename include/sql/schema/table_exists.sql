-- one row: whether the warehouse has a table named $table yet
SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = $table;
