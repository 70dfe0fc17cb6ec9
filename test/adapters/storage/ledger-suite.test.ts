import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcceptedItem } from '../../../adapters/storage/ledger.js';
import type { Storage } from '../../../adapters/storage/storage.js';
import { makeArticle } from '../../helpers/articles.js';
import { startTestPostgresOrSkip } from '../../helpers/postgres.js';
import { closeAndRemove, openEmpty, postgresBackend, sqliteBackend, type Backend, type EmptyDatabase } from './backends.js';

// The ledger of accepted items (adapters/storage/ledger.ts), on every backend.
const postgres = await startTestPostgresOrSkip();
const backends: Backend[] = [sqliteBackend, ...(postgres ? [postgresBackend(postgres)] : [])];
afterAll(async () => {
  await postgres?.stop();
});

const FEED = 'https://news.example.com/rss';
const OTHER_FEED = 'https://other.example.org/atom';
const item = (n: number, over: Partial<AcceptedItem> = {}): AcceptedItem => {
  const url = `https://news.example.com/2026/12/story-${n}`;
  return { itemKey: url, seenKey: `guid-${n}`, feedUrl: FEED, payload: { feed: { url: FEED }, url, guid: `guid-${n}`, discoveredAt: '2026-12-07T10:00:00.000Z' }, ...over };
};
const soon = () => new Date(Date.now() + 60_000).toISOString();

describe.each(backends)('$name ledger of accepted items', (backend) => {
  let db: EmptyDatabase;
  let storage: Storage;

  beforeEach(async () => ({ db, storage } = await openEmpty(backend)));
  afterEach(() => closeAndRemove(db, storage));

  it('records new items as pending with their fetch payload, and knows them on the next poll', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    expect(await storage.acceptItems([item(1), item(2)])).toEqual(['new', 'new']);
    expect(await storage.acceptItems([item(2), item(3)])).toEqual(['pending', 'new']);
    expect(await storage.ledgerCounts()).toEqual({ pending: 3, stored: 0, skipped: 0, failed: 0 });
    const row = await storage.ledgerItem(item(1).itemKey);
    expect(row).toMatchObject({ itemKey: item(1).itemKey, seenKey: 'guid-1', feedUrl: FEED, payload: item(1).payload, state: 'pending', reason: null, requeues: 0 });
    expect((await storage.stalePending(soon(), 10)).map((r) => r.itemKey).sort()).toEqual([1, 2, 3].map((n) => item(n).itemKey));
    expect(await storage.stalePending(before, 10)).toEqual([]);
    expect(await storage.stalePending(soon(), 2)).toHaveLength(2);
  });

  it('stores a hostile feed item whose payload holds NUL and unpaired surrogates, as U+FFFD and nothing', async () => {
    const hostile = item(9);
    const url = 'https://news.example.com/2026/12/story-9';
    const payload = { feed: { url: FEED }, url, guid: 'guid-9', discoveredAt: '2026-12-07T10:00:00.000Z', hints: { title: 'Lone \ud800 high \udfff low \u0000 nul', categories: ['a\u0000b'] } };
    expect(await storage.acceptItems([{ ...hostile, payload }])).toEqual(['new']);
    const row = await storage.ledgerItem(hostile.itemKey);
    expect(row?.payload).toMatchObject({ url, hints: { title: 'Lone \uFFFD high \uFFFD low  nul', categories: ['ab'] } });
  });

  it('marks an item stored in the transaction that stores its article, and not when that transaction fails', async () => {
    const a = makeArticle({ canonicalUrl: 'https://news.example.com/2026/12/story-1' });
    await storage.acceptItems([item(1), item(2)]);
    await storage.upsertArticle(a, { itemKey: item(1).itemKey });
    expect(await storage.ledgerItem(item(1).itemKey)).toMatchObject({ state: 'stored', reason: null });
    // Same canonical URL under another id: the unique constraint rolls the whole write back.
    const clash = makeArticle({ id: 'another-id-0000', canonicalUrl: a.canonicalUrl });
    await expect(storage.upsertArticle(clash, { itemKey: item(2).itemKey })).rejects.toThrow(/UNIQUE|unique/);
    expect(await storage.ledgerItem(item(2).itemKey)).toMatchObject({ state: 'pending' });
    // An unchanged article stores nothing new, but its item is settled all the same.
    await storage.acceptItems([item(3)]);
    await storage.upsertArticle(a, { itemKey: item(3).itemKey });
    expect(await storage.ledgerItem(item(3).itemKey)).toMatchObject({ state: 'stored' });
    expect(await storage.ledgerCounts()).toEqual({ pending: 1, stored: 2, skipped: 0, failed: 0 });
  });

  it('answers what it knew of settled items, and takes one its feed lists again under a new seen key', async () => {
    await storage.acceptItems([item(1), item(2), item(3)]);
    await storage.upsertArticle(makeArticle({ canonicalUrl: item(1).itemKey }), { itemKey: item(1).itemKey });
    await storage.settleItem(item(2).itemKey, 'skipped', 'not-an-article: no article body');
    await storage.settleItem(item(3).itemKey, 'failed', 'NL_HTTP_STATUS: GET https://news.example.com/2026/12/story-3 answered 404');
    expect(await storage.acceptItems([item(1), item(2), item(3)])).toEqual(['stored', 'skipped', 'failed']);
    // Another feed linking the same page is not a new item.
    expect(await storage.acceptItems([item(1, { feedUrl: OTHER_FEED, seenKey: 'other-guid' })])).toEqual(['stored']);
    const republished = item(1, { seenKey: 'guid-1-v2', payload: { ...(item(1).payload as object), guid: 'guid-1-v2' } });
    expect(await storage.acceptItems([republished])).toEqual(['republished']);
    expect(await storage.ledgerItem(item(1).itemKey)).toMatchObject({ state: 'pending', seenKey: 'guid-1-v2', payload: republished.payload, feedUrl: FEED });
    expect(await storage.ledgerItem(item(3).itemKey)).toMatchObject({ state: 'failed', reason: 'NL_HTTP_STATUS: GET https://news.example.com/2026/12/story-3 answered 404' });
  });

  it('settles only what is not stored: a stored item stays stored, a failed one may still be stored', async () => {
    await storage.acceptItems([item(1), item(2)]);
    await storage.upsertArticle(makeArticle({ canonicalUrl: item(1).itemKey }), { itemKey: item(1).itemKey });
    await storage.settleItem(item(1).itemKey, 'failed', 'NL_LATE: a stray job');
    expect(await storage.ledgerItem(item(1).itemKey)).toMatchObject({ state: 'stored', reason: null });
    await storage.settleItem(item(2).itemKey, 'failed', 'NL_HTTP_STATUS: answered 500');
    await storage.upsertArticle(makeArticle({ canonicalUrl: item(2).itemKey }), { itemKey: item(2).itemKey });
    expect(await storage.ledgerItem(item(2).itemKey)).toMatchObject({ state: 'stored', reason: null });
    await storage.settleItem('https://news.example.com/never-accepted', 'skipped', 'empty: nothing');
    expect(await storage.ledgerItem('https://news.example.com/never-accepted')).toBeNull();
  });

  it('counts a requeue of items still pending only, and restarts the clock of requeued and in-flight items', async () => {
    await storage.acceptItems([item(1), item(2), item(3)]);
    await storage.upsertArticle(makeArticle({ canonicalUrl: item(3).itemKey }), { itemKey: item(3).itemKey });
    // A clock reading after every write so far, so "older than it" holds for them all.
    const last = (await storage.ledgerItem(item(3).itemKey))!.updatedAt;
    while (new Date().toISOString() <= last) await new Promise((r) => setImmediate(r));
    const from = new Date().toISOString();
    expect(await storage.noteRequeued([item(1).itemKey, item(3).itemKey])).toEqual([item(1).itemKey]);
    expect(await storage.noteRequeued([item(1).itemKey])).toEqual([item(1).itemKey]);
    expect(await storage.ledgerItem(item(1).itemKey)).toMatchObject({ requeues: 2, state: 'pending' });
    expect(await storage.ledgerItem(item(3).itemKey)).toMatchObject({ requeues: 0, state: 'stored' });
    expect((await storage.stalePending(from, 10)).map((r) => r.itemKey)).toEqual([item(2).itemKey]);
    await storage.notePending([item(2).itemKey]);
    expect(await storage.stalePending(from, 10)).toEqual([]);
  });

  it('removes settled rows older than a cutoff and keeps pending ones', async () => {
    await storage.acceptItems([item(1), item(2), item(3)]);
    await storage.settleItem(item(1).itemKey, 'skipped', 'empty: nothing');
    await storage.settleItem(item(2).itemKey, 'failed', 'NL_HTTP_STATUS: answered 404');
    expect(await storage.removeSettledBefore(new Date(Date.now() - 60_000).toISOString())).toBe(0);
    expect(await storage.removeSettledBefore(soon(), { batchSize: 1 })).toBe(2);
    expect(await storage.ledgerCounts()).toEqual({ pending: 1, stored: 0, skipped: 0, failed: 0 });
  });

  it('records an item once when two processes accept it at once', async () => {
    const other = await db.open();
    try {
      const items = Array.from({ length: 20 }, (_, i) => item(i));
      const answers = await Promise.all([storage, other, storage, other].map((s, k) => s.acceptItems(k % 2 ? [...items].reverse() : items)));
      const fresh = answers.flat().filter((a) => a === 'new');
      expect(fresh).toHaveLength(20);
      expect(answers.flat().filter((a) => a !== 'new' && a !== 'pending')).toEqual([]);
      expect(await storage.ledgerCounts()).toMatchObject({ pending: 20 });
    } finally {
      await other.close();
    }
  });
});
