"""The store's tables, in SQLite's own words: the layout (kept in `user_version`), and the
SQL that says which articles are in the inbox. Only the store imports it."""

from __future__ import annotations

# The store's layout, kept in SQLite's user_version: a store from a newer release is refused
# rather than misread.
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    date TEXT NOT NULL,
    date_source TEXT NOT NULL,
    title TEXT, byline TEXT, outlet TEXT, url TEXT,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'news'  -- news | opinion | analysis (schema 2)
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL,          -- ingested | duplicate | rejected
    article_id TEXT,
    reason TEXT,
    updated_at TEXT NOT NULL
);
-- LIVE looks up an article's files for every article it reads: without this index, a
-- month of 50,000 articles took minutes to read back (docs/benchmarks.md).
CREATE INDEX IF NOT EXISTS files_article ON files(article_id);
CREATE TABLE IF NOT EXISTS embeddings (
    article_id TEXT NOT NULL,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, model)
);
CREATE TABLE IF NOT EXISTS summaries (
    key TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    model TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS compressions (
    key TEXT PRIMARY KEY,          -- a sentence and the settings that shape its compression
    payload TEXT NOT NULL,         -- its deletion plan and the model's candidates (JSON)
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS groupings (
    key TEXT PRIMARY KEY,          -- a set of articles and the settings that group them
    payload TEXT NOT NULL,         -- their stories: members, headline, section (JSON)
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS briefings (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    files TEXT NOT NULL,
    stories INTEGER NOT NULL,
    articles INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hidden (
    article_id TEXT NOT NULL,      -- an article of a story the reader hid (briefing hide)
    story_id TEXT NOT NULL,        -- the story's id when it was hidden
    headline TEXT NOT NULL,
    hidden_at TEXT NOT NULL,
    PRIMARY KEY (article_id, story_id)
);
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY,          -- an item's page, fetched once whatever happened
    feed TEXT NOT NULL,
    file TEXT,                     -- the inbox file written, if any
    error TEXT,
    fetched_at TEXT NOT NULL
);
"""

# Values per `IN (...)` query: well under SQLite's limit on a statement's parameters.
CHUNK = 500

# The inbox is the truth: an article is in new briefings while an inbox file holds its text.
# An edited file's row points at its new article, a deleted file's row is gone, so the old
# article drops out (it stays stored, for the briefings already written that cite it).
LIVE = (
    "EXISTS (SELECT 1 FROM files f WHERE f.article_id = articles.id "
    "AND f.status IN ('ingested', 'duplicate'))"
)
