import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../../adapters/storage/postgres-storage.js';
import { PG_MIGRATIONS } from '../../../adapters/storage/postgres-migrations.js';
import { freePort } from '../../../adapters/redis/spawn-redis.js';
import { makeArticle } from '../../helpers/articles.js';
import type { Article } from '../../../stages/article.js';
import { kenyaArticle } from './enriched-articles.js';
import { startTestPostgresOrSkip } from '../../helpers/postgres.js';

// What only PostgreSQL has; the behaviour both backends share is in storage-suite.test.ts.
const server = await startTestPostgresOrSkip();
afterAll(async () => {
  await server?.stop();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A database migrated only to `version`, holding `a` as an English article row of that schema. */
async function databaseAtVersion(url: string, version: number, a: Article): Promise<void> {
  await query(url, 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const [i, sql] of PG_MIGRATIONS.slice(0, version).entries()) {
    await query(url, sql);
    await query(url, 'INSERT INTO schema_migrations VALUES ($1, $2)', [i + 1, a.fetchedAt]);
  }
  await query(url, `INSERT INTO articles (id, canonical_url, url, title, fetched_at, content_hash, story_id, language, doc, created_at, updated_at)
    VALUES ($1, $2, $2, $3, $4, $5, $1, 'en', $6, $4, $4)`, [a.id, a.canonicalUrl, a.title, a.fetchedAt, a.contentHash, JSON.stringify(a)]);
}

describe.skipIf(!server)('PostgreSQL storage', () => {
  it('records each schema version run in schema_migrations, once when many processes start together', async () => {
    const url = await server!.createDatabase();
    const opened = await Promise.all(Array.from({ length: 4 }, () => openPostgresStorage(url, { poolSize: 2 })));
    expect(opened.map((s) => s.info.migratedFrom).filter((v) => v === 0)).toHaveLength(1);
    await Promise.all(opened.map((s) => s.close()));
    const rows = await query<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_sql, i) => i + 1));
  });

  it('stems each article with its language\'s text search configuration', async () => {
    const url = await server!.createDatabase();
    const storage = await openPostgresStorage(url, { poolSize: 2 });
    try {
      const de = makeArticle({ canonicalUrl: 'https://zeitung.example.de/bruecken', language: 'de', title: 'Die Brücken der Stadt',
        text: 'Alle Brücken wurden gesperrt.' });
      const xx = makeArticle({ canonicalUrl: 'https://news.example.com/xx', language: 'xx', title: 'Zyx', text: 'Qwerty asdf.' });
      await storage.upsertArticle(de);
      await storage.upsertArticle(xx);
      const configs = await query<{ id: string; ts_config: string }>(url, 'SELECT id, ts_config::text FROM articles ORDER BY id');
      expect(Object.fromEntries(configs.map((r) => [r.id, r.ts_config]))).toEqual({ [de.id]: 'german', [xx.id]: 'simple' });
      // "Brücke" and "Brücken" share the German stem.
      expect(await storage.search('Brücke', { limit: 5 })).toEqual([de]);
      expect(await storage.search('qwerty', { limit: 5 })).toEqual([xx]);
    } finally {
      await storage.close();
    }
  });

  it('gives the rows of a version 2 database their language\'s configuration when it migrates it', async () => {
    const url = await server!.createDatabase();
    const a = makeArticle({ language: 'en' });
    await databaseAtVersion(url, 2, a);
    const storage = await openPostgresStorage(url, { poolSize: 2 });
    try {
      expect(storage.info).toMatchObject({ migratedFrom: 2, schemaVersion: PG_MIGRATIONS.length });
      expect(await storage.search('approving', { limit: 5 })).toEqual([a]);
    } finally {
      await storage.close();
    }
  });

  it('indexes the enrichment of a version 3 database\'s articles when it migrates it, and removes the rows with the article', async () => {
    const url = await server!.createDatabase();
    const a = kenyaArticle();
    await databaseAtVersion(url, 3, a);
    const storage = await openPostgresStorage(url, { poolSize: 2 });
    try {
      expect(storage.info).toMatchObject({ migratedFrom: 3, schemaVersion: PG_MIGRATIONS.length });
      for (const q of [{ entity: 'william ruto' }, { country: 'ke' }, { site: 'example.com' }, { entity: 'SÃO PAULO', language: 'en' }]) {
        expect((await storage.listArticles(q, null, 5)).articles, JSON.stringify(q)).toEqual([a]);
      }
      // 2 people, 1 organisation, 6 places, 4 countries, the host and the site name.
      expect(await query(url, 'SELECT COUNT(*)::int AS n FROM article_mentions')).toEqual([{ n: 15 }]);
      await storage.removeStoredBefore(new Date(Date.now() + 60_000).toISOString());
      expect(await query(url, 'SELECT COUNT(*)::int AS n FROM article_mentions')).toEqual([{ n: 0 }]);
    } finally {
      await storage.close();
    }
  });

  it('orders articles stored in the same millisecond by id, descending, across pages', async () => {
    const url = await server!.createDatabase();
    const storage = await openPostgresStorage(url, { poolSize: 2 });
    try {
      const ids = [];
      for (let i = 0; i < 7; i++) {
        const a = makeArticle({ canonicalUrl: `https://news.example.com/t/${i}` });
        await storage.upsertArticle(a);
        ids.push(a.id);
      }
      await query(url, "UPDATE articles SET created_at = '2026-12-01T00:00:00.000Z'");
      const seen: string[] = [];
      let cursor = null;
      do {
        const page = await storage.listArticles({}, cursor, 3);
        seen.push(...page.articles.map((x) => x.id));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual([...ids].sort().reverse());
    } finally {
      await storage.close();
    }
  });

  it('fails to open with the URL, its password hidden, and the reason', async () => {
    const url = `postgres://newsloom:s3cret@127.0.0.1:${await freePort()}/newsloom`;
    const err = await openPostgresStorage(url).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/^open PostgreSQL database postgres:\/\/newsloom:\*\*\*@127\.0\.0\.1:\d+\/newsloom: .*ECONNREFUSED/);
    expect(err?.message).not.toContain('s3cret');
    expect(err).toMatchObject({ code: 'NL_STORAGE_OPEN', retryable: true });
  });

  it('fails to open a database that does not exist, permanently', async () => {
    const err = await openPostgresStorage(server!.url('nosuchdb')).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/nosuchdb: database "nosuchdb" does not exist/);
    expect(err).toMatchObject({ code: 'NL_STORAGE_OPEN', retryable: false });
  });
});
