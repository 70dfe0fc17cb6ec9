import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Article } from '../../stages/article.js';
import { enrichmentKey, planWrite } from '../../stages/store/plan-write.js';
import { NewsloomError } from '../../lib/errors.js';
import type { OutboxEvent, Storage, StoryRow } from './storage.js';
import { MIGRATIONS } from './sqlite-migrations.js';

/** Opens (creating and migrating) the SQLite database: WAL, so readers never block the writer. */
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
  migrate(db);

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
  const upsert = db.transaction((article: Article) => {
    const row = selectExisting.get(article.id);
    const prev = row ? Article.parse(JSON.parse(row.doc)) : null;
    const existing = row && prev ? { contentHash: row.content_hash, title: row.title, enrichmentKey: enrichmentKey(prev) } : null;
    const plan = planWrite(existing, article);
    if (plan.change === 'unchanged') return { change: plan.change };
    const now = new Date().toISOString();
    let stored = article;
    if (plan.change === 'updated' && prev) {
      // An update keeps the story the article was first filed under; only a new text is a modification.
      stored = { ...article, storyId: prev.storyId, duplicateOf: prev.duplicateOf, modifiedAt: plan.revision ? (article.modifiedAt ?? now) : article.modifiedAt };
    }
    const params = {
      id: stored.id, canonicalUrl: stored.canonicalUrl, url: stored.url, feedUrl: stored.feed?.url ?? null,
      title: stored.title, publishedAt: stored.publishedAt, fetchedAt: stored.fetchedAt, contentHash: stored.contentHash,
      storyId: stored.storyId, duplicateOf: stored.duplicateOf, language: stored.language, doc: JSON.stringify(stored), now,
    };
    // The version being replaced is kept, with when it was stored and when it was replaced.
    if (plan.revision) keepRevision.run({ id: stored.id, now });
    (plan.change === 'created' ? insert : update).run(params);
    const event = { type: plan.event, articleId: stored.id, url: stored.canonicalUrl, storyId: stored.storyId, duplicateOf: stored.duplicateOf, at: now };
    addEvent.run(plan.event, stored.id, JSON.stringify(event), now);
    return { change: plan.change };
  });

  return {
    upsertArticle(article) {
      try {
        return upsert(article);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'SQLITE_ERROR';
        // Busy or full may pass (another writer, space freed); a constraint error will not.
        const retryable = code === 'SQLITE_BUSY' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code === 'SQLITE_LOCKED';
        throw new NewsloomError(`store article ${article.id} (${article.canonicalUrl}): ${(err as Error).message}`, code, retryable, { cause: err });
      }
    },
    getArticle(id) {
      const row = selectDoc.get(id);
      return row ? Article.parse(JSON.parse(row.doc)) : null;
    },
    revisions(id) {
      return selectRevisions.all(id).map((r) => ({
        revision: r.revision, contentHash: r.content_hash, title: r.title, article: Article.parse(JSON.parse(r.doc)),
        storedAt: r.stored_at, replacedAt: r.replaced_at,
      }));
    },
    *stories() {
      const rows = db
        .prepare<[], { story_id: string; id: string; url: string; doc: string; duplicate_of: string | null }>(
          `SELECT a.story_id, a.id, a.canonical_url AS url, a.doc, a.duplicate_of FROM articles a
           JOIN (SELECT story_id, MIN(created_at) AS first FROM articles GROUP BY story_id) s ON s.story_id = a.story_id
           ORDER BY s.first, a.story_id, a.created_at, a.id`)
        .iterate();
      let current: StoryRow | null = null;
      for (const r of rows) {
        if (current && current.storyId !== r.story_id) {
          yield current;
          current = null;
        }
        current ??= { storyId: r.story_id, articles: [] };
        const siteName = (JSON.parse(r.doc) as { siteName?: string | null }).siteName ?? null;
        current.articles.push({ id: r.id, url: r.url, siteName, duplicateOf: r.duplicate_of });
      }
      if (current) yield current;
    },
    pageArticles(filter, afterId, limit) {
      const stage = filter.staleStage;
      const rows = selectPage.all({
        after: afterId ?? '', since: filter.since ?? null, feed: filter.feedUrl ?? null,
        // A JSON path with the name quoted, so names with dots or dashes are one key.
        path: stage && stage.version !== undefined ? `$.enrichment."${stage.name.replace(/"/g, '')}".version` : null,
        version: stage?.version ?? null, limit,
      });
      return rows.map((r) => Article.parse(JSON.parse(r.doc)));
    },
    *articles() {
      const rows = db.prepare<[], { doc: string }>('SELECT doc FROM articles ORDER BY created_at, id').iterate();
      for (const row of rows) yield Article.parse(JSON.parse(row.doc));
    },
    stats() {
      const r = db.prepare<[], { articles: number; stories: number; duplicates: number }>(
        'SELECT COUNT(*) AS articles, COUNT(DISTINCT story_id) AS stories, COUNT(duplicate_of) AS duplicates FROM articles').get();
      return r ?? { articles: 0, stories: 0, duplicates: 0 };
    },
    pendingEvents(limit) {
      return selectPending.all(limit).map((r) => ({ ...(JSON.parse(r.payload) as Omit<OutboxEvent, 'seq'>), seq: r.seq }));
    },
    markPublished(seqs) {
      const now = new Date().toISOString();
      db.transaction(() => seqs.forEach((seq) => markOne.run(now, seq)))();
    },
    close() {
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
