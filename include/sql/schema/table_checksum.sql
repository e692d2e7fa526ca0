-- one row: the table's row count and an order-independent hash of its rows, to compare warehouses
SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM {table} t;
