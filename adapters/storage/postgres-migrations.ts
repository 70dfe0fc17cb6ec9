import { TEXT_SEARCH_CONFIG_BY_LANGUAGE } from './text-search-config.js';

/**
 * The PostgreSQL schema, version for version the same as sqlite-migrations.ts (a test checks the
 * counts match); `schema_migrations` records the versions run. Append only. Text keys are
 * COLLATE "C" so ids order as bytes, as in SQLite, and keyset pages agree across backends.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE articles (
     id            TEXT COLLATE "C" PRIMARY KEY,
     canonical_url TEXT NOT NULL UNIQUE,
     url           TEXT NOT NULL,
     feed_url      TEXT,
     title         TEXT NOT NULL,
     published_at  TEXT COLLATE "C",
     fetched_at    TEXT COLLATE "C" NOT NULL,
     content_hash  TEXT NOT NULL,
     story_id      TEXT COLLATE "C" NOT NULL,
     duplicate_of  TEXT,
     language      TEXT,
     doc           JSONB NOT NULL,
     created_at    TEXT COLLATE "C" NOT NULL,
     updated_at    TEXT COLLATE "C" NOT NULL
   );
   CREATE INDEX articles_content_hash ON articles (content_hash);
   CREATE INDEX articles_story ON articles (story_id);
   CREATE INDEX articles_published ON articles (published_at);
   CREATE TABLE outbox (
     seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     type         TEXT NOT NULL,
     article_id   TEXT NOT NULL,
     payload      JSONB NOT NULL,
     created_at   TEXT NOT NULL,
     published_at TEXT
   );
   CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;`,
  // v2: earlier versions of updated articles (issue 6).
  `CREATE TABLE revisions (
     article_id   TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
     revision     INTEGER NOT NULL,
     content_hash TEXT NOT NULL,
     title        TEXT NOT NULL,
     doc          JSONB NOT NULL,
     stored_at    TEXT NOT NULL,
     replaced_at  TEXT NOT NULL,
     PRIMARY KEY (article_id, revision)
   );`,
  // v3: full-text search over title and text (issue 8), stemmed with the text search configuration
  // of the article's language (text-search-config.ts; 'simple' when PostgreSQL has none), the title
  // weighted A and the text B; and an index to page through articles in order.
  `ALTER TABLE articles ADD COLUMN ts_config REGCONFIG NOT NULL DEFAULT 'simple';
   ALTER TABLE articles ADD COLUMN fts TSVECTOR GENERATED ALWAYS AS (
     setweight(to_tsvector(ts_config, title), 'A') || setweight(to_tsvector(ts_config, COALESCE(doc->>'text', '')), 'B')
   ) STORED;
   UPDATE articles SET ts_config = CASE split_part(lower(language), '-', 1)
     ${Object.entries(TEXT_SEARCH_CONFIG_BY_LANGUAGE).map(([code, config]) => `WHEN '${code}' THEN '${config}'::regconfig`).join(' ')}
     ELSE 'simple'::regconfig END;
   CREATE INDEX articles_fts ON articles USING GIN (fts);
   CREATE INDEX articles_created ON articles (created_at, id);`,
  // v4: enrichment made queryable (issue 8), as in sqlite-migrations.ts v4; existing rows are filled
  // in by backfillMentionsPostgres in the same transaction.
  `CREATE TABLE article_mentions (
     article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
     kind       TEXT COLLATE "C" NOT NULL,
     key        TEXT COLLATE "C" NOT NULL,
     created_at TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (article_id, kind, key)
   );
   CREATE INDEX article_mentions_key ON article_mentions (kind, key, created_at, article_id);
   CREATE INDEX articles_feed ON articles (feed_url, created_at, id);
   CREATE INDEX articles_language ON articles (language, created_at, id);
   CREATE INDEX articles_duplicates ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;`,
  // v5: whether each feed was last announced failing (feed.failing / feed.recovered, issue 8), so
  // each transition is written to the outbox once however many workers see it.
  `CREATE TABLE feed_health (
     feed_url   TEXT PRIMARY KEY,
     failing    BOOLEAN NOT NULL,
     changed_at TEXT NOT NULL
   );`,
  // v6: the ledger of accepted items (issue 9), as in sqlite-migrations.ts v6.
  `CREATE TABLE accepted_items (
     item_key    TEXT COLLATE "C" PRIMARY KEY,
     seen_key    TEXT NOT NULL,
     feed_url    TEXT NOT NULL,
     payload     JSONB NOT NULL,
     state       TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'skipped', 'failed')),
     reason      TEXT,
     accepted_at TEXT COLLATE "C" NOT NULL,
     updated_at  TEXT COLLATE "C" NOT NULL,
     requeues    INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX accepted_items_pending ON accepted_items (updated_at) WHERE state = 'pending';
   CREATE INDEX accepted_items_settled ON accepted_items (updated_at) WHERE state <> 'pending';`,
];
