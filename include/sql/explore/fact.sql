-- one row: a troop-count fact with its article's title, outlet, date, language and URL
SELECT * FROM explore_facts WHERE fact_id = $fact_id
