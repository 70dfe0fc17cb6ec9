import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Article } from '../../stages/article.js';
import { NewsloomError } from '../../lib/errors.js';
import { listArticlesSql, Params, queryConditions } from './article-query-sql.js';
import { decideWrite } from './decide-write.js';
import { backfillMentionsSqlite, sqliteMentionWriter } from './mention-writers.js';
import { readStories, STORY_PAGE, type StoryPageRow } from './group-stories.js';
import { readPages } from './read-pages.js';
import { searchWords } from './search-words.js';
import { sqliteOutbox } from './sqlite-outbox.js';
import { sqliteError, sqliteLedger, sqliteMarkStored } from './sqlite-ledger.js';
import type { EventBody, Storage, StorageInfo, StorageStats } from './storage.js';
import { MENTIONS_VERSION, MIGRATIONS } from './sqlite-migrations.js';
import { removeInBatches } from './remove-in-batches.js';

const PAGE = 500;

/**
 * Opens (creating and migrating) the SQLite database: WAL, so readers never block the writer.
 * better-sqlite3 is synchronous; each call runs to completion inside its promise, so a
 * transaction never interleaves with another call.
 */
export function openSqliteStorage(path: string): Storage {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new NewsloomError(`open SQLite database ${path}: ${(err as Error).message}`, 'NL_STORAGE_OPEN', false, { cause: err });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Several processes may write one file; wait for the lock instead of failing (SQLITE_BUSY).
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  const info: StorageInfo = { backend: 'sqlite', location: path, ...migrateSqlite(db) };

  const selectExisting = db.prepare<[string], { content_hash: string; title: string; doc: string }>('SELECT content_hash, title, doc FROM articles WHERE id = ?');
  const insert = db.prepare(`INSERT INTO articles (id, canonical_url, url, feed_url, title, published_at, fetched_at,
      content_hash, story_id, duplicate_of, language, doc, created_at, updated_at)
    VALUES (@id, @canonicalUrl, @url, @feedUrl, @title, @publishedAt, @fetchedAt, @contentHash, @storyId, @duplicateOf,
      @language, @doc, @now, @now)`);
  const update = db.prepare(`UPDATE articles SET url = @url, title = @title, published_at = @publishedAt,
      fetched_at = @fetchedAt, content_hash = @contentHash, language = @language, doc = @doc, updated_at = @now WHERE id = @id`);
  const addEvent = db.prepare('INSERT INTO outbox (type, article_id, payload, created_at) VALUES (?, ?, ?, ?)');
  const selectDoc = db.prepare<[string], { doc: string }>('SELECT doc FROM articles WHERE id = ?');
  const selectPending = db.prepare<[number], { seq: number; payload: string }>('SELECT seq, payload FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?');
  const markOne = db.prepare('UPDATE outbox SET published_at = ? WHERE seq = ?');
  const keepRevision = db.prepare(`INSERT INTO revisions (article_id, revision, content_hash, title, doc, stored_at, replaced_at)
    SELECT id, COALESCE((SELECT MAX(revision) FROM revisions WHERE article_id = @id), 0) + 1, content_hash, title, doc, updated_at, @now
    FROM articles WHERE id = @id`);
  const selectRevisions = db.prepare<[string], { revision: number; content_hash: string; title: string; doc: string; stored_at: string; replaced_at: string }>(
    'SELECT revision, content_hash, title, doc, stored_at, replaced_at FROM revisions WHERE article_id = ? ORDER BY revision');
  const selectPage = db.prepare<[{ after: string; since: string | null; feed: string | null; path: string | null; version: string | null; limit: number }], { doc: string }>(
    `SELECT doc FROM articles WHERE id > @after
       AND (@since IS NULL OR fetched_at >= @since)
       AND (@feed IS NULL OR feed_url = @feed)
       AND (@path IS NULL OR json_extract(doc, @path) IS NOT @version)
     ORDER BY id LIMIT @limit`);
  const selectArticles = db.prepare<[string, string, number], { doc: string; created_at: string; id: string }>(
    'SELECT doc, created_at, id FROM articles WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?');
  const selectStories = db.prepare<[string, string, number], StoryPageRow>(
    `WITH s AS (SELECT story_id, MIN(created_at) AS first FROM articles GROUP BY story_id
                HAVING (MIN(created_at), story_id) > (?, ?) ORDER BY first, story_id LIMIT ?)
     SELECT s.first, a.story_id, a.id, a.canonical_url AS url, json_extract(a.doc, '$.siteName') AS site_name, a.duplicate_of
     FROM s JOIN articles a ON a.story_id = s.story_id ORDER BY s.first, s.story_id, a.created_at, a.id`);
  // Statements built for the filters a request gives (article-query-sql.ts), prepared once per shape.
  const built = new Map<string, Database.Statement>();
  const prepared = (sql: string) => built.get(sql) ?? built.set(sql, db.prepare(sql)).get(sql)!;
  const selectStats = db.prepare<[], { articles: number; stories: number; duplicates: number }>(
    `SELECT (SELECT COUNT(*) FROM articles) AS articles, (SELECT COUNT(DISTINCT story_id) FROM articles) AS stories,
       (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates`);
  const countStoredSince = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM articles WHERE created_at >= ?');
  const countLanguages = db.prepare<[], { language: string | null; articles: number }>(
    'SELECT language, COUNT(*) AS articles FROM articles GROUP BY language ORDER BY articles DESC, language');
  const countFeeds = db.prepare<[], { feedUrl: string | null; articles: number }>(
    'SELECT feed_url AS feedUrl, COUNT(*) AS articles FROM articles GROUP BY feed_url ORDER BY articles DESC, feed_url');
  const selectStory = db.prepare<[string, number], { doc: string }>('SELECT doc FROM articles WHERE story_id = ? ORDER BY created_at, id LIMIT ?');
  const countStory = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM articles WHERE story_id = ?');
  const writeMentions = sqliteMentionWriter(db);
  const markStored = sqliteMarkStored(db);

  const upsert = db.transaction((article: Article, itemKey: string | undefined) => {
    const row = selectExisting.get(article.id);
    const now = new Date().toISOString();
    // The item is settled with its article: committed together or not at all.
    if (itemKey !== undefined) markStored(itemKey, now);
    const write = decideWrite(row ? { contentHash: row.content_hash, title: row.title, doc: JSON.parse(row.doc) as Article } : null, article, now);
    if (!write) return { change: 'unchanged' as const };
    const { plan, stored, event } = write;
    const params = {
      id: stored.id, canonicalUrl: stored.canonicalUrl, url: stored.url, feedUrl: stored.feed?.url ?? null,
      title: stored.title, publishedAt: stored.publishedAt, fetchedAt: stored.fetchedAt, contentHash: stored.contentHash,
      storyId: stored.storyId, duplicateOf: stored.duplicateOf, language: stored.language, doc: JSON.stringify(stored), now,
    };
    // The version being replaced is kept, with when it was stored and when it was replaced.
    if (plan.revision) keepRevision.run({ id: stored.id, now });
    (plan.change === 'created' ? insert : update).run(params);
    writeMentions(stored, plan.change === 'updated');
    addEvent.run(event.type, stored.id, JSON.stringify(event), now);
    return { change: plan.change };
  });
  // Revisions and mentions go with their article (ON DELETE CASCADE), its words with it (articles_fts_delete).
  const removeBatch = db.prepare<[string, number]>(
    'DELETE FROM articles WHERE rowid IN (SELECT rowid FROM articles WHERE created_at < ? ORDER BY created_at LIMIT ?)');
  const markAll = db.transaction((seqs: number[], now: string) => seqs.forEach((seq) => markOne.run(now, seq))).immediate;

  return {
    info,
    ...sqliteOutbox(db),
    ...sqliteLedger(db),
    async upsertArticle(article, { itemKey } = {}) {
      try {
        // BEGIN IMMEDIATE: the write lock is taken before the read, so with several processes on one
        // file a reader can never find its snapshot stale when it comes to write (SQLITE_BUSY_SNAPSHOT,
        // which busy_timeout does not wait out); busy_timeout queues writers instead.
        return upsert.immediate(article, itemKey);
      } catch (err) {
        throw sqliteError(`store article ${article.id} (${article.canonicalUrl})`, err);
      }
    },
    async getArticle(id) {
      const row = selectDoc.get(id);
      return row ? Article.parse(JSON.parse(row.doc)) : null;
    },
    async revisions(id) {
      return selectRevisions.all(id).map((r) => ({
        revision: r.revision, contentHash: r.content_hash, title: r.title, article: Article.parse(JSON.parse(r.doc)),
        storedAt: r.stored_at, replacedAt: r.replaced_at,
      }));
    },
    stories() {
      return readStories(async (first, storyId) => selectStories.all(first, storyId, STORY_PAGE));
    },
    async pageArticles(filter, afterId, limit) {
      const stage = filter.staleStage;
      const rows = selectPage.all({
        after: afterId ?? '', since: filter.since ?? null, feed: filter.feedUrl ?? null,
        // A JSON path with the name quoted, so names with dots or dashes are one key.
        path: stage && stage.version !== undefined ? `$.enrichment."${stage.name.replace(/"/g, '')}".version` : null,
        version: stage?.version ?? null, limit,
      });
      return rows.map((r) => Article.parse(JSON.parse(r.doc)));
    },
    async listArticles(query, cursor, limit) {
      const { sql, values } = listArticlesSql('sqlite', query, cursor, limit + 1);
      const rows = prepared(sql).all(...values) as Array<{ doc: string; created_at: string; id: string }>;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { articles: page.map((r) => Article.parse(JSON.parse(r.doc))), next: rows.length > limit && last ? { createdAt: last.created_at, id: last.id } : null };
    },
    async storyArticles(storyId, limit) {
      return { total: countStory.get(storyId)?.n ?? 0, articles: selectStory.all(storyId, limit).map((r) => Article.parse(JSON.parse(r.doc))) };
    },
    async *articles() {
      const rows = readPages<{ doc: string; created_at: string; id: string }>(async (last) => selectArticles.all(last?.created_at ?? '', last?.id ?? '', PAGE), PAGE);
      for await (const row of rows) yield Article.parse(JSON.parse(row.doc));
    },
    async search(query, { limit, since, filter = {} }) {
      const words = searchWords(query);
      if (words.length === 0 || limit < 1) return [];
      const p = new Params('sqlite');
      const where = [`articles_fts MATCH ${p.add(words.map((w) => `"${w}"`).join(' '))}`, ...queryConditions(filter, p)];
      if (since !== undefined) where.push(`COALESCE(a.published_at, a.fetched_at) >= ${p.add(since)}`);
      // bm25 is lower for a better match; a word in the title weighs ten in the text.
      const sql = `SELECT a.doc FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE ${where.join(' AND ')}
        ORDER BY bm25(articles_fts, 10.0, 1.0), a.published_at DESC, a.id LIMIT ${p.add(limit)}`;
      return (prepared(sql).all(...p.values) as Array<{ doc: string }>).map((r) => Article.parse(JSON.parse(r.doc)));
    },
    removeStoredBefore(cutoff, { batchSize = 500 } = {}) {
      return removeInBatches((n) => removeBatch.run(cutoff, n).changes, batchSize);
    },
    async stats(): Promise<StorageStats> {
      const now = Date.now();
      return {
        ...(selectStats.get() ?? { articles: 0, stories: 0, duplicates: 0 }),
        storedLastHour: countStoredSince.get(new Date(now - 3_600_000).toISOString())?.n ?? 0,
        storedLastDay: countStoredSince.get(new Date(now - 86_400_000).toISOString())?.n ?? 0,
        languages: countLanguages.all(),
        feeds: countFeeds.all(),
      };
    },
    async pendingEvents(limit) {
      return selectPending.all(limit).map((r) => ({ ...(JSON.parse(r.payload) as EventBody), seq: r.seq }));
    },
    async markPublished(seqs) {
      markAll(seqs, new Date().toISOString());
    },
    async close() {
      db.close();
    },
  };
}

/** Runs the migrations not yet run, each in its own transaction; `PRAGMA user_version` counts them. */
export function migrateSqlite(db: Database.Database): { migratedFrom: number; schemaVersion: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > MIGRATIONS.length) {
    throw new NewsloomError(`SQLite database ${db.name}: schema version ${from} is newer than this newsloom knows (${MIGRATIONS.length}); upgrade newsloom`, 'NL_STORAGE_SCHEMA', false);
  }
  // BEGIN IMMEDIATE and the version read again inside: two processes starting at once run each step once.
  const step = db.transaction(() => {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v >= MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[v]!);
    if (v + 1 === MENTIONS_VERSION) backfillMentionsSqlite(db);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate()) { /* one version per transaction */ }
  return { migratedFrom: from, schemaVersion: MIGRATIONS.length };
}
