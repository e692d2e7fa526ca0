-- Story grouping: near-duplicate articles (the same wire story on several outlets) share a story.

-- one row per article: the story it belongs to
CREATE TABLE article_stories (
    article_id  VARCHAR PRIMARY KEY,
    story_id    VARCHAR NOT NULL,
    minhash     UINTEGER[] NOT NULL,
    batch_id    VARCHAR NOT NULL
);
COMMENT ON TABLE article_stories IS 'One row per article: its story, shared by near-duplicate copies (MinHash LSH over word shingles).';
COMMENT ON COLUMN article_stories.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN article_stories.story_id IS 'article_id of the earliest-published copy of the story.';
COMMENT ON COLUMN article_stories.minhash IS 'MinHash signature of the body (64 permutations, affine32, seed 1), to group later copies.';
COMMENT ON COLUMN article_stories.batch_id IS 'Batch that loaded the row.';
