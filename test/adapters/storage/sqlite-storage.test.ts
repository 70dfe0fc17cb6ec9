import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../adapters/storage/sqlite-migrations.js';
import { openSqliteStorage } from '../../../adapters/storage/sqlite-storage.js';
import { PG_MIGRATIONS } from '../../../adapters/storage/postgres-migrations.js';
import { makeArticle } from '../../helpers/articles.js';

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
    expect(db.pragma('user_version', { simple: true })).toBe(3);
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
    expect(storage.info).toMatchObject({ migratedFrom: 2, schemaVersion: 3 });
    expect(await storage.search('council', { limit: 5 })).toEqual([a]);
    await storage.close();
  });

  it('refuses a database from a newer newsloom, naming it', () => {
    const db = new Database(path.replace('/sub', ''));
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStorage(path.replace('/sub', ''))).toThrow(/newsloom\.db: schema version 99 is newer than this newsloom knows \(3\)/);
  });
});
