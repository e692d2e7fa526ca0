-- one row per troop-count fact, joined once with its article and the actor names, for the explorer
CREATE OR REPLACE TABLE explore_facts AS
SELECT row_number() OVER (ORDER BY a.published_at_utc DESC NULLS LAST, t.fact_id) AS fact_no,
       t.fact_id,
       t.article_id,
       t.actor,
       actor_ref.name_en            AS actor_name_en,
       actor_ref.name_ar            AS actor_name_ar,
       t.location,
       place_ref.name_en            AS location_name_en,
       place_ref.name_ar            AS location_name_ar,
       t.count,
       t.count_high,
       t.qualifier,
       t.kind,
       t.as_of,
       a.published_at_utc,
       a.published_at_utc::DATE     AS published_date,
       -- the date the level held at, for filtering and the timeline: as_of's first day, else publication
       -- (by length: YYYY, YYYY-MM, YYYY-MM-DD; a week YYYY-Www fails the cast and falls back)
       coalesce(TRY_CAST(CASE length(t.as_of)
                    WHEN 4 THEN t.as_of || '-01-01'
                    WHEN 7 THEN t.as_of || '-01'
                    WHEN 10 THEN t.as_of
                END AS DATE), a.published_at_utc::DATE) AS level_date,
       a.source,
       a.lang,
       a.title,
       a.canonical_url,
       t.sentence,
       t.char_start,
       t.char_end,
       t.extractor,
       t.extractor_version,
       t.batch_id
FROM troop_counts t
JOIN articles a USING (article_id)
LEFT JOIN actors actor_ref ON actor_ref.code = t.actor
LEFT JOIN actors place_ref ON place_ref.code = t.location
-- newest first on disk: the default page reads the first row groups only
ORDER BY a.published_at_utc DESC NULLS LAST, t.fact_id;
COMMENT ON TABLE explore_facts IS 'Explorer (snapshot only): one row per troop-count fact with its article''s source, language, date, title and URL and the actor and location names.';
COMMENT ON COLUMN explore_facts.fact_no IS 'Position of the fact, newest publication first (1 = newest); a cheap tie-breaker when sorting.';
COMMENT ON COLUMN explore_facts.fact_id IS 'Fact id (troop_counts.fact_id).';
COMMENT ON COLUMN explore_facts.article_id IS 'Article the fact was read from (articles.article_id).';
COMMENT ON COLUMN explore_facts.actor IS 'Whose forces: ISO 3166-1 alpha-3, NATO, UN, COALITION, EU or an armed group''s short English name.';
COMMENT ON COLUMN explore_facts.actor_name_en IS 'English name of the actor (actors reference).';
COMMENT ON COLUMN explore_facts.actor_name_ar IS 'Arabic name of the actor (actors reference).';
COMMENT ON COLUMN explore_facts.location IS 'Where the troops are: ISO 3166-1 alpha-3, or null when not stated.';
COMMENT ON COLUMN explore_facts.location_name_en IS 'English name of the location.';
COMMENT ON COLUMN explore_facts.location_name_ar IS 'Arabic name of the location.';
COMMENT ON COLUMN explore_facts.count IS 'Number of troops (the low end of a range).';
COMMENT ON COLUMN explore_facts.count_high IS 'High end of a range, else null.';
COMMENT ON COLUMN explore_facts.qualifier IS 'exact, approx, at_least or at_most.';
COMMENT ON COLUMN explore_facts.kind IS 'level, increase, decrease or planned_level.';
COMMENT ON COLUMN explore_facts.as_of IS 'When the level held, as the sentence dates it (TIMEX3: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www); null when it gives no date.';
COMMENT ON COLUMN explore_facts.published_at_utc IS 'Publication instant of the article in UTC.';
COMMENT ON COLUMN explore_facts.published_date IS 'Publication day of the article (UTC).';
COMMENT ON COLUMN explore_facts.level_date IS 'First day of as_of when it is a year, month or day, else the publication day: the date the level is plotted at.';
COMMENT ON COLUMN explore_facts.source IS 'Outlet (source name in sources.yaml).';
COMMENT ON COLUMN explore_facts.lang IS 'ISO 639-1 language of the article.';
COMMENT ON COLUMN explore_facts.title IS 'Headline of the article.';
COMMENT ON COLUMN explore_facts.canonical_url IS 'The article''s URL.';
COMMENT ON COLUMN explore_facts.sentence IS 'Evidence: the exact sentence, equal to the article body from char_start to char_end.';
COMMENT ON COLUMN explore_facts.char_start IS 'Start offset of the sentence in the article body (0-based, characters).';
COMMENT ON COLUMN explore_facts.char_end IS 'End offset (exclusive) of the sentence in the article body.';
COMMENT ON COLUMN explore_facts.extractor IS 'Extractor name.';
COMMENT ON COLUMN explore_facts.extractor_version IS 'Extractor version.';
COMMENT ON COLUMN explore_facts.batch_id IS 'Batch that loaded the fact.';
