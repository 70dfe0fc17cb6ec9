import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../adapters/storage/sqlite-migrations.js';
import { openSqliteStorage } from '../../../adapters/storage/sqlite-storage.js';
import { PG_MIGRATIONS } from '../../../adapters/storage/postgres-migrations.js';
import { makeArticle } from '../../helpers/articles.js';
import { kenyaArticle } from './enriched-articles.js';

// What only SQLite has; the behaviour both backends share is in storage-suite.test.ts.
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'newsloom-sqlite-'));
  path = join(dir, 'sub', 'newsloom.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite storage', () => {
  it('creates the database in WAL mode with the schema migrated, as many versions as PostgreSQL has', async () => {
    await (openSqliteStorage(path)).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    expect(MIGRATIONS).toHaveLength(PG_MIGRATIONS.length);
  });

  it('indexes the articles of a version 2 database for search when it migrates it', async () => {
    const db = new Database(path.replace('/sub', ''));
    MIGRATIONS.slice(0, 2).forEach((sql) => db.exec(sql));
    db.pragma('user_version = 2');
    const a = makeArticle();
    db.prepare(`INSERT INTO articles (id, canonical_url, url, title, fetched_at, content_hash, story_id, doc, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(a.id, a.canonicalUrl, a.url, a.title, a.fetchedAt, a.contentHash, a.storyId, JSON.stringify(a), a.fetchedAt, a.fetchedAt);
    db.close();
    const storage = openSqliteStorage(path.replace('/sub', ''));
    expect(storage.info).toMatchObject({ migratedFrom: 2, schemaVersion: MIGRATIONS.length });
    expect(await storage.search('council', { limit: 5 })).toEqual([a]);
    await storage.close();
  });

  it('indexes the enrichment of a version 3 database\'s articles when it migrates it', async () => {
    const file = path.replace('/sub', '');
    const db = new Database(file);
    MIGRATIONS.slice(0, 3).forEach((sql) => db.exec(sql));
    db.pragma('user_version = 3');
    const a = kenyaArticle();
    db.prepare(`INSERT INTO articles (id, canonical_url, url, title, fetched_at, content_hash, story_id, language, doc, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(a.id, a.canonicalUrl, a.url, a.title, a.fetchedAt, a.contentHash, a.storyId, a.language, JSON.stringify(a), a.fetchedAt, a.fetchedAt);
    db.close();
    const storage = openSqliteStorage(file);
    try {
      expect(storage.info).toMatchObject({ migratedFrom: 3, schemaVersion: MIGRATIONS.length });
      for (const q of [{ entity: 'william ruto' }, { country: 'ke' }, { site: 'example.com' }, { entity: 'São Paulo', language: 'en' }]) {
        expect((await storage.listArticles(q, null, 5)).articles, JSON.stringify(q)).toEqual([a]);
      }
    } finally {
      await storage.close();
    }
  });

  it('orders articles stored in the same millisecond by id, descending, across pages', async () => {
    const storage = openSqliteStorage(path);
    try {
      const ids = [];
      for (let i = 0; i < 7; i++) {
        const a = makeArticle({ canonicalUrl: `https://news.example.com/t/${i}` });
        await storage.upsertArticle(a);
        ids.push(a.id);
      }
      const raw = new Database(path);
      raw.prepare("UPDATE articles SET created_at = '2026-12-01T00:00:00.000Z'").run();
      raw.close();
      const seen: string[] = [];
      let cursor = null;
      do {
        const page = await storage.listArticles({}, cursor, 3);
        seen.push(...page.articles.map((a) => a.id));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual([...ids].sort().reverse());
    } finally {
      await storage.close();
    }
  });

  it('removes an article\'s mention rows with it', async () => {
    const storage = openSqliteStorage(path);
    const count = () => {
      const raw = new Database(path, { readonly: true });
      try {
        return (raw.prepare('SELECT COUNT(*) AS n FROM article_mentions').get() as { n: number }).n;
      } finally {
        raw.close();
      }
    };
    try {
      await storage.upsertArticle(kenyaArticle());
      // 2 people, 1 organisation, 6 places, 4 countries, the host and the site name.
      expect(count()).toBe(15);
      await storage.removeStoredBefore(new Date(Date.now() + 60_000).toISOString());
      expect(count()).toBe(0);
    } finally {
      await storage.close();
    }
  });

  it('refuses a database from a newer newsloom, naming it', () => {
    const db = new Database(path.replace('/sub', ''));
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStorage(path.replace('/sub', ''))).toThrow(new RegExp(`newsloom\\.db: schema version 99 is newer than this newsloom knows \\(${MIGRATIONS.length}\\)`));
  });
});

// Found by npm run bench:e2e with two processes on one file: a deferred transaction that read before
// another process committed could not write (SQLITE_BUSY_SNAPSHOT, not waited out by busy_timeout),
// and that code was taken for a permanent fault, so the article was dropped.
describe('SQLite storage with several writer processes', () => {
  it('stores every article from three processes writing the same rows at once, with no failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsloom-sqlite-writers-'));
    try {
      const path = join(dir, 'shared.db');
      await openSqliteStorage(path).close();
      const script = new URL('../../fixtures/scripts/sqlite-writer.ts', import.meta.url).pathname;
      const run = promisify(execFile);
      const outs = await Promise.all(['a', 'b', 'c'].map((tag) => run(process.execPath, ['--import', 'tsx', script, path, '150', tag], { timeout: 120_000 })));
      const failures = outs.flatMap((o) => (JSON.parse(o.stdout) as { failures: string[] }).failures);
      expect(failures).toEqual([]);
      const db = new Database(path, { readonly: true });
      expect((db.prepare('SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n).toBe(150);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
