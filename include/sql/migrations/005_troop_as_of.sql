-- Troop counts gain the date their level held at, where the count's clause gives one.

ALTER TABLE troop_counts ADD COLUMN as_of VARCHAR;
COMMENT ON COLUMN troop_counts.as_of IS 'When the level held, where the clause of the count dates it ("had dropped to 8,300 in 2017"): a TIMEX3 value (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www) resolved against the publication date; null when the clause gives no date (the level is then as of publication).';
