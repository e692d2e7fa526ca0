-- The actors reference table is replaced whole: first emptied (in the same transaction as the insert).
DELETE FROM actors;
