-- one row per staged record: the registered `frame`, cast column by column to its warehouse
-- table's types ({columns}, built from the migrated schema), written to Parquet at $path
COPY (SELECT {columns} FROM frame) TO $path (FORMAT parquet);
