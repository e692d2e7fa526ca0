-- one row: how many actor codes the reference table holds
SELECT count(*) FROM actors;
