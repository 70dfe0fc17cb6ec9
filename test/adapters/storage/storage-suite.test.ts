import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../adapters/storage/sqlite-migrations.js';
import type { Storage } from '../../../adapters/storage/storage.js';
import { contentHash } from '../../../stages/normalise/normalise-article.js';
import { makeArticle } from '../../helpers/articles.js';
import { collect } from '../../helpers/collect.js';
import { startTestPostgresOrSkip } from '../../helpers/postgres.js';
import { closeAndRemove, openEmpty, postgresBackend, sqliteBackend, type Backend, type EmptyDatabase } from './backends.js';

// The same behaviour from every backend: this suite runs on each one that can start here.
const postgres = await startTestPostgresOrSkip();
const backends: Backend[] = [sqliteBackend, ...(postgres ? [postgresBackend(postgres)] : [])];
afterAll(async () => {
  await postgres?.stop();
});

const nextMillisecond = async (): Promise<string> => {
  const now = new Date().toISOString();
  while (new Date().toISOString() === now) await new Promise((r) => setImmediate(r));
  return new Date().toISOString();
};
const titles = (found: Array<{ title: string }>) => found.map((a) => a.title);

describe.each(backends)('$name storage', (backend) => {
  let db: EmptyDatabase;
  let storage: Storage;

  beforeEach(async () => ({ db, storage } = await openEmpty(backend)));
  afterEach(() => closeAndRemove(db, storage));

  it('creates the schema at the current version on first open, and migrates nothing on the next', async () => {
    expect(storage.info).toMatchObject({ backend: backend.name, migratedFrom: 0, schemaVersion: MIGRATIONS.length });
    await storage.close();
    storage = await db.open();
    expect(storage.info).toMatchObject({ migratedFrom: MIGRATIONS.length, schemaVersion: MIGRATIONS.length });
  });

  it('stores an article once however often it is upserted, with one event', async () => {
    const a = makeArticle();
    expect((await storage.upsertArticle(a)).change).toBe('created');
    expect((await storage.upsertArticle(a)).change).toBe('unchanged');
    expect((await storage.upsertArticle(a)).change).toBe('unchanged');
    expect(await collect(storage.articles())).toHaveLength(1);
    expect(await storage.getArticle(a.id)).toEqual(a);
    expect(await storage.getArticle('no-such-id')).toBeNull();
    expect((await storage.pendingEvents(10)).map((e) => e.type)).toEqual(['article.created']);
  });

  it('makes one row and one event of the same new article upserted by two writers at once', async () => {
    const other = await db.open();
    try {
      const a = makeArticle();
      const changes = await Promise.all([storage.upsertArticle(a), other.upsertArticle(a), storage.upsertArticle(a), other.upsertArticle(a)]);
      expect(changes.map((c) => c.change).sort()).toEqual(['created', 'unchanged', 'unchanged', 'unchanged']);
      expect((await storage.pendingEvents(10)).map((e) => e.type)).toEqual(['article.created']);
    } finally {
      await other.close();
    }
  });

  it('updates an article in place when its text changes, keeping its story', async () => {
    const a = makeArticle();
    await storage.upsertArticle(a);
    const text = `${a.text}\n\nCorrection: the vote was 5 to 4.`;
    const edited = { ...a, text, contentHash: contentHash(text), storyId: 'some-other-story' };
    expect((await storage.upsertArticle(edited)).change).toBe('updated');
    const stored = (await storage.getArticle(a.id))!;
    expect(stored.text).toContain('Correction');
    expect(stored.storyId).toBe(a.storyId);
    expect(stored.modifiedAt).not.toBeNull();
    expect((await storage.pendingEvents(10)).map((e) => e.type)).toEqual(['article.created', 'article.updated']);
  });

  it('keeps each replaced version in revisions, with when it was stored and replaced', async () => {
    const a = makeArticle();
    await storage.upsertArticle(a);
    const v2text = `${a.text}\n\nUpdate: the mayor signed it.`;
    await storage.upsertArticle({ ...a, text: v2text, contentHash: contentHash(v2text) });
    const v3text = `${v2text}\n\nCorrection: on Wednesday.`;
    await storage.upsertArticle({ ...a, title: 'Council approves budget, mayor signs', text: v3text, contentHash: contentHash(v3text) });
    await storage.upsertArticle({ ...a, title: 'Council approves budget, mayor signs', text: v3text, contentHash: contentHash(v3text) });
    const revisions = await storage.revisions(a.id);
    expect(revisions.map((r) => [r.revision, r.article.text])).toEqual([[1, a.text], [2, v2text]]);
    expect(revisions.every((r) => r.storedAt <= r.replacedAt)).toBe(true);
    expect((await storage.getArticle(a.id))!.title).toBe('Council approves budget, mayor signs');
    expect(await collect(storage.articles())).toHaveLength(1);
  });

  it('lists stories with their articles, the first one first', async () => {
    const first = makeArticle();
    const copy = makeArticle({ canonicalUrl: 'https://wire.example.org/copy', siteName: 'Wire', storyId: first.id, duplicateOf: first.id });
    const other = makeArticle({ canonicalUrl: 'https://news.example.com/other', text: 'Something else entirely.' });
    for (const x of [first, copy, other]) await storage.upsertArticle(x);
    expect(await collect(storage.stories())).toEqual([
      { storyId: first.id, articles: [
        { id: first.id, url: first.canonicalUrl, siteName: 'Example News', duplicateOf: null },
        { id: copy.id, url: 'https://wire.example.org/copy', siteName: 'Wire', duplicateOf: first.id },
      ] },
      { storyId: other.id, articles: [{ id: other.id, url: other.canonicalUrl, siteName: 'Example News', duplicateOf: null }] },
    ]);
  });

  it('streams every article and every story whole across many pages', async () => {
    const articles = Array.from({ length: 530 }, (_, i) => makeArticle({ canonicalUrl: `https://news.example.com/p/${i}`, text: `Item ${i}.` }));
    // Pairs share a story: 265 stories, more than one page of them.
    for (const [i, a] of articles.entries()) await storage.upsertArticle(i % 2 ? { ...a, storyId: articles[i - 1]!.id } : a);
    const streamed = await collect(storage.articles());
    expect(streamed.map((a) => a.id).sort()).toEqual(articles.map((a) => a.id).sort());
    const stories = await collect(storage.stories());
    expect(stories).toHaveLength(265);
    expect(stories.every((s) => s.articles.length === 2 && s.articles.some((a) => a.id === s.storyId))).toBe(true);
  });

  it('publishes each outbox event once', async () => {
    await storage.upsertArticle(makeArticle());
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://other.example.org/copy', duplicateOf: 'x', storyId: 'x' }));
    const pending = await storage.pendingEvents(10);
    expect(pending.map((e) => e.type)).toEqual(['article.created', 'article.duplicate']);
    expect(pending[0]).toMatchObject({ articleId: makeArticle().id, url: makeArticle().canonicalUrl, duplicateOf: null });
    await storage.markPublished(pending.map((e) => e.seq));
    expect(await storage.pendingEvents(10)).toEqual([]);
    expect(await storage.stats()).toMatchObject({ articles: 2, stories: 2, duplicates: 1 });
  });

  it('stores new enrichment of the same text in place, without a revision, announced once', async () => {
    const a = makeArticle({ keywords: ['budget'], enrichment: { keywords: { version: '1', ms: 2, error: null } } });
    await storage.upsertArticle(a);
    const reprocessed = { ...a, keywords: ['budget', 'council'], enrichment: { keywords: { version: '2', ms: 3, error: null } }, storyId: 'elsewhere' };
    expect((await storage.upsertArticle(reprocessed)).change).toBe('updated');
    // The same output again, timed differently: a retry, nothing to store.
    expect((await storage.upsertArticle({ ...reprocessed, enrichment: { keywords: { version: '2', ms: 7, error: null } } })).change).toBe('unchanged');
    const stored = (await storage.getArticle(a.id))!;
    expect(stored.keywords).toEqual(['budget', 'council']);
    expect(stored.enrichment.keywords).toEqual({ version: '2', ms: 3, error: null });
    expect(stored.storyId).toBe(a.storyId);
    expect(stored.modifiedAt).toBeNull();
    expect(await storage.revisions(a.id)).toEqual([]);
    expect((await storage.pendingEvents(10)).map((e) => e.type)).toEqual(['article.created', 'article.updated']);
  });

  it('pages through articles by id, filtered by fetch time, feed and stale stage version', async () => {
    const urls = Array.from({ length: 7 }, (_, i) => `https://news.example.com/2026/11/story-${i}`);
    for (const [i, canonicalUrl] of urls.entries()) {
      await storage.upsertArticle(makeArticle({
        canonicalUrl,
        fetchedAt: `2026-11-2${i % 3}T10:00:00.000Z`,
        feed: { url: i % 2 === 0 ? 'https://news.example.com/rss' : 'https://other.example.org/atom' },
        enrichment: i < 3 ? { 'key.words': { version: '2', ms: 1, error: null } } : i < 5 ? { 'key.words': { version: '1', ms: 1, error: null } } : {},
      }));
    }
    const all: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await storage.pageArticles({}, after, 3);
      if (page.length === 0) break;
      all.push(...page.map((a) => a.canonicalUrl));
      after = page.at(-1)!.id;
    }
    expect(all.sort()).toEqual([...urls].sort());
    const ids = async (f: Parameters<Storage['pageArticles']>[0]) =>
      (await storage.pageArticles(f, null, 100)).map((a) => Number(a.canonicalUrl.split('-').pop())).sort();
    expect(await ids({ since: '2026-11-21T00:00:00.000Z' })).toEqual([1, 2, 4, 5]);
    expect(await ids({ feedUrl: 'https://other.example.org/atom' })).toEqual([1, 3, 5]);
    expect(await ids({ staleStage: { name: 'key.words', version: '2' } })).toEqual([3, 4, 5, 6]);
    expect(await ids({ staleStage: { name: 'key.words', version: undefined } })).toHaveLength(7);
    expect(await ids({ staleStage: { name: 'key.words', version: '2' }, since: '2026-11-22T00:00:00.000Z', feedUrl: 'https://other.example.org/atom' })).toEqual([5]);
  });

  it('keeps its rows across a reopen', async () => {
    await storage.upsertArticle(makeArticle());
    await storage.close();
    storage = await db.open();
    expect(await collect(storage.articles())).toHaveLength(1);
  });

  it('fails with a readable, permanent error on a constraint violation', async () => {
    await storage.upsertArticle(makeArticle());
    const clash = makeArticle({ id: 'another-id-0000' });
    const err = await storage.upsertArticle(clash).then(() => null, (e: unknown) => e as Error & { retryable?: boolean });
    expect(err?.message).toMatch(/^store article another-id-0000 \(https:\/\/news\.example\.com\/2026\/11\/council-budget\): .*(UNIQUE|unique)/);
    expect(err?.retryable).toBe(false);
  });

  it('removes the articles stored before a cutoff, with their revisions and words, in batches', async () => {
    const old = Array.from({ length: 5 }, (_, i) => makeArticle({ canonicalUrl: `https://news.example.com/old-${i}`, title: `Old council item ${i}` }));
    for (const a of old) await storage.upsertArticle(a);
    const text = `${old[0]!.text}\n\nUpdate: later.`;
    await storage.upsertArticle({ ...old[0]!, text, contentHash: contentHash(text) });
    // The cutoff a millisecond after the last old write, and the next article a millisecond after it.
    const cutoff = await nextMillisecond();
    await nextMillisecond();
    const kept = makeArticle({ canonicalUrl: 'https://news.example.com/kept', title: 'New council item' });
    await storage.upsertArticle(kept);
    expect(await storage.removeStoredBefore(cutoff, { batchSize: 2 })).toBe(5);
    expect((await collect(storage.articles())).map((a) => a.id)).toEqual([kept.id]);
    expect(await storage.revisions(old[0]!.id)).toEqual([]);
    expect(titles(await storage.search('council', { limit: 10 }))).toEqual(['New council item']);
    expect(await storage.removeStoredBefore(cutoff)).toBe(0);
  });

  describe('full-text search', () => {
    const bridge = makeArticle({ canonicalUrl: 'https://news.example.com/bridge', title: 'Harbour bridge reopens', publishedAt: '2026-11-20T08:00:00.000Z',
      text: 'The bridge over the harbour reopened on Monday after two years of repairs.' });
    const brief = makeArticle({ canonicalUrl: 'https://news.example.com/brief', title: 'City news in brief', publishedAt: '2026-11-24T08:00:00.000Z',
      text: 'Traffic was light all week. Work on the old harbour bridge is finished, officials said.' });
    const budget = makeArticle({ canonicalUrl: 'https://news.example.com/budget', title: 'Council approves budget', publishedAt: null,
      fetchedAt: '2026-11-25T10:00:00.000Z', text: 'The council approved the budget on Tuesday.' });

    beforeEach(async () => {
      for (const a of [bridge, brief, budget]) await storage.upsertArticle(a);
    });

    it('finds articles holding every word, a match in the title first', async () => {
      expect(titles(await storage.search('bridge', { limit: 10 }))).toEqual(['Harbour bridge reopens', 'City news in brief']);
      expect(titles(await storage.search('harbour BRIDGE', { limit: 10 }))).toEqual(['Harbour bridge reopens', 'City news in brief']);
      expect(titles(await storage.search('bridge traffic', { limit: 10 }))).toEqual(['City news in brief']);
      expect(titles(await storage.search('budget', { limit: 10 }))).toEqual(['Council approves budget']);
      expect(await storage.search('bridge', { limit: 10 })).toEqual([bridge, brief]);
    });

    it('matches other forms of an English word', async () => {
      expect(titles(await storage.search('reopening', { limit: 10 }))).toEqual(['Harbour bridge reopens']);
      expect(titles(await storage.search('approve', { limit: 10 }))).toEqual(['Council approves budget']);
    });

    it('honours limit and since (published, else fetched)', async () => {
      expect(titles(await storage.search('bridge', { limit: 1 }))).toEqual(['Harbour bridge reopens']);
      expect(titles(await storage.search('bridge', { limit: 10, since: '2026-11-22T00:00:00.000Z' }))).toEqual(['City news in brief']);
      expect(titles(await storage.search('budget', { limit: 10, since: '2026-11-25T00:00:00.000Z' }))).toEqual(['Council approves budget']);
      expect(await storage.search('budget', { limit: 10, since: '2026-11-26T00:00:00.000Z' })).toEqual([]);
    });

    it('ignores query syntax and punctuation, and finds nothing for no word', async () => {
      expect(titles(await storage.search('"bridge" (harbour*) -:', { limit: 10 }))).toEqual(['Harbour bridge reopens', 'City news in brief']);
      expect(await storage.search('  "*" () ', { limit: 10 })).toEqual([]);
      expect(await storage.search('zeppelin', { limit: 10 })).toEqual([]);
    });

    it('follows updates: a new title or text is found, the old one no longer', async () => {
      const text = 'The ferry service resumes on Monday.';
      await storage.upsertArticle({ ...bridge, title: 'Ferry returns', text, contentHash: contentHash(text) });
      expect(titles(await storage.search('bridge', { limit: 10 }))).toEqual(['City news in brief']);
      expect(titles(await storage.search('ferry', { limit: 10 }))).toEqual(['Ferry returns']);
    });
  });
});
