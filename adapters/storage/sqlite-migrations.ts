/** Schema versions in order; `PRAGMA user_version` records how many have run. Append only. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE articles (
     id            TEXT PRIMARY KEY,
     canonical_url TEXT NOT NULL UNIQUE,
     url           TEXT NOT NULL,
     feed_url      TEXT,
     title         TEXT NOT NULL,
     published_at  TEXT,
     fetched_at    TEXT NOT NULL,
     content_hash  TEXT NOT NULL,
     story_id      TEXT NOT NULL,
     duplicate_of  TEXT,
     language      TEXT,
     doc           TEXT NOT NULL,
     created_at    TEXT NOT NULL,
     updated_at    TEXT NOT NULL
   );
   CREATE INDEX articles_content_hash ON articles (content_hash);
   CREATE INDEX articles_story ON articles (story_id);
   CREATE INDEX articles_published ON articles (published_at);
   CREATE TABLE outbox (
     seq          INTEGER PRIMARY KEY AUTOINCREMENT,
     type         TEXT NOT NULL,
     article_id   TEXT NOT NULL,
     payload      TEXT NOT NULL,
     created_at   TEXT NOT NULL,
     published_at TEXT
   );
   CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;`,
  // v2: earlier versions of updated articles (issue 6).
  `CREATE TABLE revisions (
     article_id   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
     revision     INTEGER NOT NULL,
     content_hash TEXT NOT NULL,
     title        TEXT NOT NULL,
     doc          TEXT NOT NULL,
     stored_at    TEXT NOT NULL,
     replaced_at  TEXT NOT NULL,
     PRIMARY KEY (article_id, revision)
   );`,
  // v3: full-text search over title and text (issue 8), and an index to page through articles in order. An external-content FTS5 table over a
  // virtual column, kept in step by triggers, so the text is stored once. The porter stemmer is
  // English-only; other languages match on whole words. VACUUM may renumber the rowids FTS5 keys on
  // (articles has no INTEGER PRIMARY KEY): after one, run INSERT INTO articles_fts(articles_fts) VALUES ('rebuild').
  `ALTER TABLE articles ADD COLUMN text TEXT GENERATED ALWAYS AS (json_extract(doc, '$.text')) VIRTUAL;
   CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid',
     tokenize='porter unicode61 remove_diacritics 2');
   CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
     INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
   END;
   CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
     INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
   END;
   CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, doc ON articles BEGIN
     INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
     INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
   END;
   INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
   CREATE INDEX articles_created ON articles (created_at, id);`,
  // v4: enrichment made queryable (issue 8): the people, organisations, places and countries an
  // article mentions, and its site, one row each (kinds in article-mentions.ts), rewritten with every
  // upsert and removed with the article. The article's created_at is copied in, so a filter reads
  // its matches newest first straight from article_mentions_key, however common the value.
  // Existing rows are filled in by backfillMentionsSqlite right after this step, in its
  // transaction. Feed and language indexes serve newest-first pages, and with the duplicates one,
  // GET /api/stats: each count reads an index, never the documents.
  `CREATE TABLE article_mentions (
     article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
     kind       TEXT NOT NULL,
     key        TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (article_id, kind, key)
   ) WITHOUT ROWID;
   CREATE INDEX article_mentions_key ON article_mentions (kind, key, created_at, article_id);
   CREATE INDEX articles_feed ON articles (feed_url, created_at, id);
   CREATE INDEX articles_language ON articles (language, created_at, id);
   CREATE INDEX articles_duplicates ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;`,
  // v5: whether each feed was last announced failing (feed.failing / feed.recovered, issue 8), so
  // each transition is written to the outbox once however many workers see it.
  `CREATE TABLE feed_health (
     feed_url   TEXT PRIMARY KEY,
     failing    INTEGER NOT NULL,
     changed_at TEXT NOT NULL
   );`,
  // v6: the ledger of accepted items (issue 9, ledger.ts): pending before the fetch job is enqueued,
  // stored in the article's transaction, skipped or failed with the reason; a reconciler enqueues
  // again the pending ones left without a job (Redis restarted empty). payload is the fetch job's JSON.
  `CREATE TABLE accepted_items (
     item_key    TEXT PRIMARY KEY,
     seen_key    TEXT NOT NULL,
     feed_url    TEXT NOT NULL,
     payload     TEXT NOT NULL,
     state       TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'skipped', 'failed')),
     reason      TEXT,
     accepted_at TEXT NOT NULL,
     updated_at  TEXT NOT NULL,
     requeues    INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX accepted_items_pending ON accepted_items (updated_at) WHERE state = 'pending';
   CREATE INDEX accepted_items_settled ON accepted_items (updated_at) WHERE state <> 'pending';`,
];

/** The schema version that creates article_mentions: existing articles are indexed after its SQL runs. */
export const MENTIONS_VERSION = 4;
