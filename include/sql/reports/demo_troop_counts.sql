-- one row per troop-count fact, with the start of its evidence sentence
SELECT a.source, t.actor, t.location, t.count, t.count_high, t.qualifier, t.kind,
       left(t.sentence, 60) AS sentence
FROM troop_counts t JOIN articles a USING (article_id)
ORDER BY a.source, a.published_at_utc, t.char_start;
