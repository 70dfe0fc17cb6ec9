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
    expect(db.pragma('user_version', { simple: true })).toBe(2);
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

  it('keeps each replaced version in revisions, with when it was stored and replaced', () => {
    const a = makeArticle();
    storage.upsertArticle(a);
    const v2text = `${a.text}\n\nUpdate: the mayor signed it.`;
    storage.upsertArticle({ ...a, text: v2text, contentHash: contentHash(v2text) });
    const v3text = `${v2text}\n\nCorrection: on Wednesday.`;
    storage.upsertArticle({ ...a, title: 'Council approves budget, mayor signs', text: v3text, contentHash: contentHash(v3text) });
    storage.upsertArticle({ ...a, title: 'Council approves budget, mayor signs', text: v3text, contentHash: contentHash(v3text) });
    const revisions = storage.revisions(a.id);
    expect(revisions.map((r) => [r.revision, r.article.text])).toEqual([[1, a.text], [2, v2text]]);
    expect(revisions.every((r) => r.storedAt <= r.replacedAt)).toBe(true);
    expect(storage.getArticle(a.id)!.title).toBe('Council approves budget, mayor signs');
    expect([...storage.articles()]).toHaveLength(1);
  });

  it('lists stories with their articles, the first one first', () => {
    const first = makeArticle();
    const copy = makeArticle({ canonicalUrl: 'https://wire.example.org/copy', siteName: 'Wire', storyId: first.id, duplicateOf: first.id });
    const other = makeArticle({ canonicalUrl: 'https://news.example.com/other', text: 'Something else entirely.' });
    for (const x of [first, copy, other]) storage.upsertArticle(x);
    const stories = [...storage.stories()];
    expect(stories).toEqual([
      { storyId: first.id, articles: [
        { id: first.id, url: first.canonicalUrl, siteName: 'Example News', duplicateOf: null },
        { id: copy.id, url: 'https://wire.example.org/copy', siteName: 'Wire', duplicateOf: first.id },
      ] },
      { storyId: other.id, articles: [{ id: other.id, url: other.canonicalUrl, siteName: 'Example News', duplicateOf: null }] },
    ]);
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

  it('stores new enrichment of the same text in place, without a revision, announced once', () => {
    const a = makeArticle({ keywords: ['budget'], enrichment: { keywords: { version: '1', ms: 2, error: null } } });
    storage.upsertArticle(a);
    const reprocessed = { ...a, keywords: ['budget', 'council'], enrichment: { keywords: { version: '2', ms: 3, error: null } }, storyId: 'elsewhere' };
    expect(storage.upsertArticle(reprocessed).change).toBe('updated');
    // The same output again, timed differently: a retry, nothing to store.
    expect(storage.upsertArticle({ ...reprocessed, enrichment: { keywords: { version: '2', ms: 7, error: null } } }).change).toBe('unchanged');
    const stored = storage.getArticle(a.id)!;
    expect(stored.keywords).toEqual(['budget', 'council']);
    expect(stored.enrichment.keywords).toEqual({ version: '2', ms: 3, error: null });
    expect(stored.storyId).toBe(a.storyId);
    expect(stored.modifiedAt).toBeNull();
    expect(storage.revisions(a.id)).toEqual([]);
    expect(storage.pendingEvents(10).map((e) => e.type)).toEqual(['article.created', 'article.updated']);
  });

  it('pages through articles by id, filtered by fetch time, feed and stale stage version', () => {
    const urls = Array.from({ length: 7 }, (_, i) => `https://news.example.com/2026/11/story-${i}`);
    urls.forEach((canonicalUrl, i) => storage.upsertArticle(makeArticle({
      canonicalUrl,
      fetchedAt: `2026-11-2${i % 3}T10:00:00.000Z`,
      feed: { url: i % 2 === 0 ? 'https://news.example.com/rss' : 'https://other.example.org/atom' },
      enrichment: i < 3 ? { 'key.words': { version: '2', ms: 1, error: null } } : i < 5 ? { 'key.words': { version: '1', ms: 1, error: null } } : {},
    })));
    const all: string[] = [];
    for (let after: string | null = null; ;) {
      const page = storage.pageArticles({}, after, 3);
      if (page.length === 0) break;
      all.push(...page.map((a) => a.canonicalUrl));
      after = page.at(-1)!.id;
    }
    expect(all.sort()).toEqual([...urls].sort());
    const ids = (f: Parameters<Storage['pageArticles']>[0]) => storage.pageArticles(f, null, 100).map((a) => Number(a.canonicalUrl.split('-').pop())).sort();
    expect(ids({ since: '2026-11-21T00:00:00.000Z' })).toEqual([1, 2, 4, 5]);
    expect(ids({ feedUrl: 'https://other.example.org/atom' })).toEqual([1, 3, 5]);
    expect(ids({ staleStage: { name: 'key.words', version: '2' } })).toEqual([3, 4, 5, 6]);
    expect(ids({ staleStage: { name: 'key.words', version: undefined } })).toHaveLength(7);
    expect(ids({ staleStage: { name: 'key.words', version: '2' }, since: '2026-11-22T00:00:00.000Z', feedUrl: 'https://other.example.org/atom' })).toEqual([5]);
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
