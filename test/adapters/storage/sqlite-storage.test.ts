import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../adapters/storage/sqlite-storage.js';
import type { Storage } from '../../../adapters/storage/storage.js';
import { contentHash } from '../../../stages/normalise/normalise-article.js';
import { makeArticle } from '../../helpers/articles.js';

let dir: string;
let path: string;
let storage: Storage;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'newsloom-sqlite-'));
  path = join(dir, 'sub', 'newsloom.db');
  storage = openSqliteStorage(path);
});
afterEach(() => {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite storage', () => {
  it('creates the database in WAL mode with the schema migrated', () => {
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('stores an article once however often it is upserted, with one event', () => {
    const a = makeArticle();
    expect(storage.upsertArticle(a).change).toBe('created');
    expect(storage.upsertArticle(a).change).toBe('unchanged');
    expect(storage.upsertArticle(a).change).toBe('unchanged');
    expect([...storage.articles()]).toHaveLength(1);
    expect(storage.getArticle(a.id)).toEqual(a);
    const events = storage.pendingEvents(10);
    expect(events.map((e) => e.type)).toEqual(['article.created']);
  });

  it('updates an article in place when its text changes, keeping its story', () => {
    const a = makeArticle();
    storage.upsertArticle(a);
    const text = `${a.text}\n\nCorrection: the vote was 5 to 4.`;
    const edited = { ...a, text, contentHash: contentHash(text), storyId: 'some-other-story' };
    expect(storage.upsertArticle(edited).change).toBe('updated');
    const stored = storage.getArticle(a.id)!;
    expect(stored.text).toContain('Correction');
    expect(stored.storyId).toBe(a.storyId);
    expect(stored.modifiedAt).not.toBeNull();
    expect(storage.pendingEvents(10).map((e) => e.type)).toEqual(['article.created', 'article.updated']);
  });

  it('publishes each outbox event once', () => {
    storage.upsertArticle(makeArticle());
    storage.upsertArticle(makeArticle({ canonicalUrl: 'https://other.example.org/copy', duplicateOf: 'x', storyId: 'x' }));
    const pending = storage.pendingEvents(10);
    expect(pending.map((e) => e.type)).toEqual(['article.created', 'article.duplicate']);
    storage.markPublished(pending.map((e) => e.seq));
    expect(storage.pendingEvents(10)).toEqual([]);
    expect(storage.stats()).toEqual({ articles: 2, stories: 2, duplicates: 1 });
  });

  it('keeps its rows across a reopen', () => {
    storage.upsertArticle(makeArticle());
    storage.close();
    storage = openSqliteStorage(path);
    expect([...storage.articles()]).toHaveLength(1);
  });

  it('fails with a readable, permanent error on a constraint violation', () => {
    storage.upsertArticle(makeArticle());
    const clash = makeArticle({ id: 'another-id-0000' });
    expect(() => storage.upsertArticle(clash)).toThrow(/store article another-id-0000 \(https:\/\/news\.example\.com\/2026\/11\/council-budget\): UNIQUE constraint failed/);
    try {
      storage.upsertArticle(clash);
    } catch (err) {
      expect((err as { retryable?: boolean }).retryable).toBe(false);
    }
  });
});
