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
];
