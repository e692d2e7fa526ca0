-- an index on the fact id: the fact page is a point lookup
CREATE UNIQUE INDEX explore_facts_fact_id ON explore_facts (fact_id);
