import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedEventBody, Storage } from '../../../adapters/storage/storage.js';
import { makeArticle } from '../../helpers/articles.js';
import { startTestPostgresOrSkip } from '../../helpers/postgres.js';
import { closeAndRemove, openEmpty, postgresBackend, sqliteBackend, type Backend, type EmptyDatabase } from './backends.js';

// The event outbox beyond an article's own event (feed health, reading in order, replay), on every backend.
const postgres = await startTestPostgresOrSkip();
const backends: Backend[] = [sqliteBackend, ...(postgres ? [postgresBackend(postgres)] : [])];
afterAll(async () => {
  await postgres?.stop();
});

const FEED = 'https://news.example.com/rss';
const feedEvent = (type: FeedEventBody['type'], at = new Date().toISOString()): FeedEventBody =>
  ({ type, feedUrl: FEED, feedName: 'Example', error: type === 'feed.failing' ? 'NL_HTTP_STATUS: answered 500' : null, consecutiveFailures: 3, at });

describe.each(backends)('$name outbox', (backend) => {
  let db: EmptyDatabase;
  let storage: Storage;

  beforeEach(async () => ({ db, storage } = await openEmpty(backend)));
  afterEach(() => closeAndRemove(db, storage));

  it('records a feed going failing once when two writers announce it at once', async () => {
    const other = await db.open();
    try {
      const results = await Promise.all([storage, other, storage, other].map((s) => s.recordFeedEvent(feedEvent('feed.failing'))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const recovered = await Promise.all([other, storage, other].map((s) => s.recordFeedEvent(feedEvent('feed.recovered'))));
      expect(recovered.filter((r) => r !== null)).toHaveLength(1);
      expect((await storage.pendingEvents(10)).map((e) => e.type)).toEqual(['feed.failing', 'feed.recovered']);
    } finally {
      await other.close();
    }
  });

  it('announces no recovery of a feed never announced failing, and alternates after', async () => {
    expect(await storage.recordFeedEvent(feedEvent('feed.recovered'))).toBeNull();
    const failing = await storage.recordFeedEvent(feedEvent('feed.failing'));
    expect(failing).toMatchObject({ type: 'feed.failing', feedUrl: FEED, feedName: 'Example', consecutiveFailures: 3 });
    expect(await storage.recordFeedEvent(feedEvent('feed.failing'))).toBeNull();
    expect(await storage.recordFeedEvent(feedEvent('feed.recovered'))).toMatchObject({ type: 'feed.recovered', error: null });
    expect(await storage.recordFeedEvent(feedEvent('feed.failing'))).not.toBeNull();
    expect((await storage.eventsAfter(0, 10)).map((e) => e.type)).toEqual(['feed.failing', 'feed.recovered', 'feed.failing']);
  });

  it('reads every stored event after a seq in order, published or not, from a date on', async () => {
    expect(await storage.lastEventSeq()).toBe(0);
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/a' }));
    await storage.recordFeedEvent(feedEvent('feed.failing', '2026-12-01T00:00:00.000Z'));
    const later = new Date(Date.now() + 1000).toISOString();
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/b' }));
    await storage.recordFeedEvent(feedEvent('feed.recovered', '2099-01-01T00:00:00.000Z'));
    const all = await storage.eventsAfter(0, 10);
    expect(all.map((e) => e.type)).toEqual(['article.created', 'feed.failing', 'article.created', 'feed.recovered']);
    const seqs = all.map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(await storage.lastEventSeq()).toBe(seqs[3]);
    await storage.markPublished(seqs.slice(0, 2));
    expect(await storage.eventsAfter(seqs[0]!, 2)).toEqual(all.slice(1, 3));
    // `since` goes by when the event was written.
    expect((await storage.eventsAfter(0, 10, { since: later })).map((e) => e.type)).toEqual(['feed.recovered']);
    expect((await storage.eventsAfter(0, 10, { since: '2026-12-01T00:00:00.000Z' })).map((e) => e.seq)).toEqual(seqs);
  });
});
