import pg from 'pg';
import { Article } from '../../stages/article.js';
import { NewsloomError } from '../../lib/errors.js';
import { listArticlesSql, Params, queryConditions } from './article-query-sql.js';
import { decideWrite } from './decide-write.js';
import { writeMentionsPostgres } from './mention-writers.js';
import { inTransaction } from './pg-transaction.js';
import { readStories, STORY_PAGE, type StoryPageRow } from './group-stories.js';
import { readPages } from './read-pages.js';
import { migratePostgres } from './migrate-postgres.js';
import { searchWords } from './search-words.js';
import { postgresOutbox } from './postgres-outbox.js';
import { isRetryablePg, postgresLedger, postgresMarkStored } from './postgres-ledger.js';
import type { ArticleQuery, EventBody, Storage, StorageInfo, StorageStats } from './storage.js';
import { TEXT_SEARCH_CONFIGS, textSearchConfig } from './text-search-config.js';

const PAGE = 500;

/** Thrown inside an upsert that planned a new row and found one committed meanwhile: the transaction is run again. */
class LostInsertRace extends Error {}

export interface PostgresOptions {
  /** Connections in the pool. */
  poolSize?: number;
}

/**
 * Opens a pool to PostgreSQL and runs the migrations not yet run. Upserts lock the row
 * (SELECT … FOR UPDATE) and write with INSERT … ON CONFLICT, the outbox event in the same
 * transaction, so any number of store workers on any number of machines may write at once.
 */
export async function openPostgresStorage(url: string, opts: PostgresOptions = {}): Promise<Storage> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  let migrated: { migratedFrom: number; schemaVersion: number };
  let available: Set<string>;
  try {
    migrated = await migratePostgres(pool);
    const configs = await pool.query<{ cfgname: string }>('SELECT cfgname FROM pg_ts_config WHERE cfgname = ANY($1)', [TEXT_SEARCH_CONFIGS]);
    available = new Set(configs.rows.map((r) => r.cfgname));
  } catch (err) {
    await pool.end().catch(() => {});
    if (err instanceof NewsloomError) throw err;
    // Down or starting up may pass (a store job retries); a wrong password or database will not.
    throw new NewsloomError(`open PostgreSQL database ${location}: ${(err as Error).message}`, 'NL_STORAGE_OPEN', isRetryablePg(err), { cause: err });
  }
  const info: StorageInfo = { backend: 'postgres', location, ...migrated };
  const configs = [...available, 'simple'];

  async function upsertOnce(client: pg.PoolClient, article: Article, itemKey: string | undefined) {
    const { rows } = await client.query<{ content_hash: string; title: string; doc: Article }>(
      'SELECT content_hash, title, doc FROM articles WHERE id = $1 FOR UPDATE', [article.id]);
    const row = rows[0];
    const now = new Date().toISOString();
    // The item is settled with its article: committed together or not at all.
    if (itemKey !== undefined) await postgresMarkStored(client, itemKey, now);
    const write = decideWrite(row ? { contentHash: row.content_hash, title: row.title, doc: row.doc } : null, article, now);
    if (!write) return { change: 'unchanged' as const };
    const { plan, stored, event } = write;
    // The version being replaced is kept, with when it was stored and when it was replaced.
    if (plan.revision) {
      await client.query(`INSERT INTO revisions (article_id, revision, content_hash, title, doc, stored_at, replaced_at)
        SELECT id, COALESCE((SELECT MAX(revision) FROM revisions WHERE article_id = $1), 0) + 1, content_hash, title, doc, updated_at, $2
        FROM articles WHERE id = $1`, [stored.id, now]);
    }
    const written = await client.query<{ inserted: boolean }>(
      `INSERT INTO articles (id, canonical_url, url, feed_url, title, published_at, fetched_at, content_hash, story_id,
         duplicate_of, language, ts_config, doc, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, title = EXCLUDED.title, published_at = EXCLUDED.published_at,
         fetched_at = EXCLUDED.fetched_at, content_hash = EXCLUDED.content_hash, language = EXCLUDED.language,
         ts_config = EXCLUDED.ts_config, doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS inserted`,
      [stored.id, stored.canonicalUrl, stored.url, stored.feed?.url ?? null, stored.title, stored.publishedAt, stored.fetchedAt,
        stored.contentHash, stored.storyId, stored.duplicateOf, stored.language, textSearchConfig(stored.language, available),
        JSON.stringify(stored), now]);
    // Planned as new but another writer committed it first: run again, now as an update.
    if (plan.change === 'created' && !written.rows[0]?.inserted) throw new LostInsertRace();
    await writeMentionsPostgres(client, stored, plan.change === 'updated');
    await client.query('INSERT INTO outbox (type, article_id, payload, created_at) VALUES ($1, $2, $3, $4)',
      [event.type, stored.id, JSON.stringify(event), now]);
    return { change: plan.change };
  }

  const docs = (rows: Array<{ doc: unknown }>) => rows.map((r) => Article.parse(r.doc));

  return {
    info,
    ...postgresOutbox(pool),
    ...postgresLedger(pool),
    async upsertArticle(article, { itemKey } = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inTransaction(pool, (client) => upsertOnce(client, article, itemKey));
        } catch (err) {
          if (err instanceof LostInsertRace && attempt < 3) continue;
          throw storeError(article, err);
        }
      }
    },
    async getArticle(id) {
      const { rows } = await pool.query<{ doc: unknown }>('SELECT doc FROM articles WHERE id = $1', [id]);
      return rows[0] ? Article.parse(rows[0].doc) : null;
    },
    async revisions(id) {
      const { rows } = await pool.query<{ revision: number; content_hash: string; title: string; doc: unknown; stored_at: string; replaced_at: string }>(
        'SELECT revision, content_hash, title, doc, stored_at, replaced_at FROM revisions WHERE article_id = $1 ORDER BY revision', [id]);
      return rows.map((r) => ({
        revision: r.revision, contentHash: r.content_hash, title: r.title, article: Article.parse(r.doc), storedAt: r.stored_at, replacedAt: r.replaced_at,
      }));
    },
    stories() {
      return readStories(async (first, storyId) => (await pool.query<StoryPageRow>(
        `WITH s AS (SELECT story_id, MIN(created_at) AS first FROM articles GROUP BY story_id
                    HAVING (MIN(created_at), story_id) > ($1, $2) ORDER BY first, story_id LIMIT $3)
         SELECT s.first, a.story_id, a.id, a.canonical_url AS url, a.doc->>'siteName' AS site_name, a.duplicate_of
         FROM s JOIN articles a ON a.story_id = s.story_id ORDER BY s.first, s.story_id, a.created_at, a.id`,
        [first, storyId, STORY_PAGE])).rows);
    },
    async pageArticles(filter, afterId, limit) {
      const stage = filter.staleStage;
      const { rows } = await pool.query<{ doc: unknown }>(
        `SELECT doc FROM articles WHERE id > $1
           AND ($2::text IS NULL OR fetched_at >= $2)
           AND ($3::text IS NULL OR feed_url = $3)
           AND ($4::text IS NULL OR doc->'enrichment'->$4->>'version' IS DISTINCT FROM $5::text)
         ORDER BY id LIMIT $6`,
        [afterId ?? '', filter.since ?? null, filter.feedUrl ?? null,
          stage && stage.version !== undefined ? stage.name : null, stage?.version ?? null, limit]);
      return docs(rows);
    },
    async listArticles(query, cursor, limit) {
      const { sql, values } = listArticlesSql('postgres', query, cursor, limit + 1);
      const { rows } = await pool.query<{ doc: unknown; created_at: string; id: string }>(sql, values);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { articles: docs(page), next: rows.length > limit && last ? { createdAt: last.created_at, id: last.id } : null };
    },
    async storyArticles(storyId, limit) {
      const [count, page] = await Promise.all([
        pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM articles WHERE story_id = $1', [storyId]),
        pool.query<{ doc: unknown }>('SELECT doc FROM articles WHERE story_id = $1 ORDER BY created_at, id LIMIT $2', [storyId, limit]),
      ]);
      return { total: count.rows[0]?.n ?? 0, articles: docs(page.rows) };
    },
    async *articles() {
      type Row = { doc: unknown; created_at: string; id: string };
      const page = async (last: Row | null): Promise<Row[]> => (await pool.query<Row>(
        'SELECT doc, created_at, id FROM articles WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3',
        [last?.created_at ?? '', last?.id ?? '', PAGE])).rows;
      for await (const row of readPages(page, PAGE)) yield Article.parse(row.doc);
    },
    async search(query, { limit, since, filter = {} }) {
      const words = searchWords(query);
      if (words.length === 0 || limit < 1) return [];
      const { sql, values } = searchSql(configs, words.join(' '), since, filter, limit);
      const { rows } = await pool.query<{ doc: unknown }>(sql, values);
      return docs(rows);
    },
    async removeStoredBefore(cutoff, { batchSize = 500 } = {}) {
      let removed = 0;
      for (;;) {
        // SKIP LOCKED: a row an upsert holds is left for the next run instead of waited for.
        // Revisions and mentions go with their article (ON DELETE CASCADE).
        const { rowCount } = await pool.query(
          `DELETE FROM articles WHERE id IN (
             SELECT id FROM articles WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`, [cutoff, batchSize]);
        removed += rowCount ?? 0;
        if ((rowCount ?? 0) < batchSize) return removed;
      }
    },
    async stats(): Promise<StorageStats> {
      const now = Date.now();
      const [totals, recent, languages, feeds] = await Promise.all([
        pool.query<{ articles: number; stories: number; duplicates: number }>(
          `SELECT (SELECT COUNT(*) FROM articles)::int AS articles, (SELECT COUNT(DISTINCT story_id) FROM articles)::int AS stories,
             (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL)::int AS duplicates`),
        pool.query<{ hour: number; day: number }>(
          'SELECT COUNT(*) FILTER (WHERE created_at >= $1)::int AS hour, COUNT(*)::int AS day FROM articles WHERE created_at >= $2',
          [new Date(now - 3_600_000).toISOString(), new Date(now - 86_400_000).toISOString()]),
        pool.query<{ language: string | null; articles: number }>(
          'SELECT language, COUNT(*)::int AS articles FROM articles GROUP BY language ORDER BY articles DESC, language COLLATE "C"'),
        pool.query<{ feedUrl: string | null; articles: number }>(
          'SELECT feed_url AS "feedUrl", COUNT(*)::int AS articles FROM articles GROUP BY feed_url ORDER BY articles DESC, feed_url COLLATE "C"'),
      ]);
      return {
        ...(totals.rows[0] ?? { articles: 0, stories: 0, duplicates: 0 }),
        storedLastHour: recent.rows[0]?.hour ?? 0, storedLastDay: recent.rows[0]?.day ?? 0,
        languages: languages.rows, feeds: feeds.rows,
      };
    },
    async pendingEvents(limit) {
      const { rows } = await pool.query<{ seq: string; payload: EventBody }>(
        'SELECT seq, payload FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1', [limit]);
      return rows.map((r) => ({ ...r.payload, seq: Number(r.seq) }));
    },
    async markPublished(seqs) {
      if (seqs.length === 0) return;
      await pool.query('UPDATE outbox SET published_at = $1 WHERE seq = ANY($2::bigint[])', [new Date().toISOString(), seqs]);
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * A search in which each article is matched with its own language's stemming. The GIN index is
 * searched once for the words as stemmed by any configuration in use here (an OR of them), then
 * each candidate is checked against the query as stemmed by its own configuration. Ranked like
 * SQLite's bm25 weights: a word in the title (A) weighs ten in the text (B).
 */
function searchSql(configs: string[], words: string, since: string | undefined, filter: ArticleQuery, limit: number): { sql: string; values: unknown[] } {
  const p = new Params('postgres');
  const $words = p.add(words);
  const any = configs.map((c) => `plainto_tsquery('${c}', ${$words})`).join(' || ');
  const where = [`a.fts @@ (${any})`, `a.fts @@ plainto_tsquery(a.ts_config, ${$words})`, ...queryConditions(filter, p)];
  if (since !== undefined) where.push(`COALESCE(a.published_at, a.fetched_at) >= ${p.add(since)}`);
  const sql = `SELECT doc FROM (
      SELECT a.doc, a.published_at, a.id, ts_rank('{0.1, 0.1, 0.1, 1.0}', a.fts, plainto_tsquery(a.ts_config, ${$words})) AS rank
      FROM articles a WHERE ${where.join(' AND ')}
    ) s ORDER BY rank DESC, published_at DESC NULLS LAST, id LIMIT ${p.add(limit)}`;
  return { sql, values: p.values };
}

function storeError(article: Article, err: unknown): NewsloomError {
  const code = (err as { code?: string }).code ?? '';
  const retryable = isRetryablePg(err);
  return new NewsloomError(`store article ${article.id} (${article.canonicalUrl}): ${(err as Error).message}`,
    /^[0-9A-Z]{5}$/.test(code) ? `PG_${code}` : code || 'PG_ERROR', retryable, { cause: err });
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
