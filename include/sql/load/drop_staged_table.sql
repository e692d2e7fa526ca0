-- The batch's staged rows of one table are not needed once the load committed or rolled back.
DROP TABLE IF EXISTS staged_{table};
