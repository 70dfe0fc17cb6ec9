import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleQuery, ListCursor, Storage } from '../../../adapters/storage/storage.js';
import type { Article } from '../../../stages/article.js';
import { makeArticle } from '../../helpers/articles.js';
import { startTestPostgresOrSkip } from '../../helpers/postgres.js';
import { closeAndRemove, openEmpty, postgresBackend, sqliteBackend, type Backend, type EmptyDatabase } from './backends.js';
import { kenyaArticle, LYON_ENRICHMENT } from './enriched-articles.js';

// Listing, filters and counts of the query API, the same on every backend that can start here.
const postgres = await startTestPostgresOrSkip();
const backends: Backend[] = [sqliteBackend, ...(postgres ? [postgresBackend(postgres)] : [])];
afterAll(async () => {
  await postgres?.stop();
});

const numbered = (n: number, over: Partial<Article> = {}) => makeArticle({
  canonicalUrl: `https://news.example.com/2026/12/item-${n}`, title: `Item ${n}`, text: `Item ${n} of the day.`,
  language: n % 3 === 0 ? 'fr' : 'en', feed: { url: n % 2 === 0 ? 'https://even.example/rss' : 'https://odd.example/rss' },
  fetchedAt: `2026-12-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z`, ...over,
});
const n = (a: Article) => Number(a.title.split(' ').pop());
/** Waits for the clock to pass the current millisecond, so the next write is stored strictly later (same-millisecond ties order by id). */
const nextMillisecond = async (): Promise<void> => {
  const now = Date.now();
  while (Date.now() === now) await new Promise((r) => setImmediate(r));
};

describe.each(backends)('$name storage queries', (backend) => {
  let db: EmptyDatabase;
  let storage: Storage;

  beforeEach(async () => ({ db, storage } = await openEmpty(backend)));
  afterEach(() => closeAndRemove(db, storage));

  /** Every page of `query`, `limit` at a time; `between` runs after each page. */
  async function storeInOrder(articles: Article[]): Promise<void> {
    for (const a of articles) {
      await nextMillisecond();
      await storage.upsertArticle(a);
    }
  }

  async function pages(query: ArticleQuery, limit: number, between?: () => Promise<void>): Promise<Article[][]> {
    const out: Article[][] = [];
    let cursor: ListCursor | null = null;
    do {
      const page = await storage.listArticles(query, cursor, limit);
      out.push(page.articles);
      cursor = page.next;
      await between?.();
    } while (cursor);
    return out;
  }

  it('lists the newest stored first and pages without a skip or a repeat while articles are stored and updated', async () => {
    await storeInOrder(Array.from({ length: 10 }, (_, i) => numbered(i)));
    let next = 100;
    const seen = (await pages({}, 3, async () => {
      await storeInOrder([numbered(next++)]);
      // An update keeps the article's place: it was first stored long ago.
      const old = numbered(2);
      await storage.upsertArticle({ ...old, text: `${old.text} Updated ${next}.`, contentHash: `h${next}` });
    })).flat();
    expect(seen.map(n)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const fresh = (await storage.listArticles({}, null, 3)).articles.map(n);
    expect(fresh).toEqual([next - 1, next - 2, next - 3]);
  });

  it('applies every filter in the query, so each page but the last is full', async () => {
    await storeInOrder(Array.from({ length: 30 }, (_, i) => numbered(i)));
    const fr = await pages({ language: 'fr' }, 3);
    expect(fr.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(fr.flat().map(n)).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
    const ids = async (q: ArticleQuery) => (await pages(q, 4)).flat().map(n);
    expect(await ids({ feedUrl: 'https://even.example/rss', language: 'fr' })).toEqual([24, 18, 12, 6, 0]);
    expect(await ids({ since: '2026-12-25T00:00:00.000Z' })).toEqual([27, 26, 25, 24]);
    expect(await ids({ since: '2026-12-02T00:00:00.000Z', until: '2026-12-04T00:00:00.000Z' })).toEqual([29, 2, 1]);
    expect(await ids({ storyId: numbered(7).id })).toEqual([7]);
    expect(await ids({ language: 'de' })).toEqual([]);
  });

  it('filters by site: the host without www., or the site name, in any case', async () => {
    await storage.upsertArticle(kenyaArticle('https://www.example.com/kenya', { siteName: 'Example News' }));
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://wire.example.org/a', siteName: 'Wire Ünïon', title: 'Wire' }));
    const titles = async (site: string) => (await storage.listArticles({ site }, null, 10)).articles.map((a) => a.title);
    expect(await titles('example.com')).toEqual(['Kenya seeks new loans']);
    expect(await titles('WWW.Example.com')).toEqual(['Kenya seeks new loans']);
    expect(await titles('example news')).toEqual(['Kenya seeks new loans']);
    expect(await titles('WIRE ÜNÏON')).toEqual(['Wire']);
    expect(await titles('wire.example.org')).toEqual(['Wire']);
    expect(await titles('example.org')).toEqual([]);
  });

  it('finds articles by an entity named in their enrichment, in any case, and by country code', async () => {
    const kenya = kenyaArticle();
    const lyon = makeArticle({ canonicalUrl: 'https://lemonde.example.fr/lyon', language: 'fr', title: 'Lyon', text: 'Élisabeth Borne à Lyon.', ...LYON_ENRICHMENT });
    const plain = makeArticle({ canonicalUrl: 'https://news.example.com/plain', title: 'Plain' });
    for (const a of [kenya, lyon, plain]) await storage.upsertArticle(a);
    const titles = async (q: ArticleQuery) => (await storage.listArticles(q, null, 10)).articles.map((a) => a.title);
    expect(await titles({ entity: 'William Ruto' })).toEqual(['Kenya seeks new loans']);
    expect(await titles({ entity: 'keir  starmer' })).toEqual(['Kenya seeks new loans']);
    expect(await titles({ entity: 'WORLD BANK' })).toEqual(['Kenya seeks new loans']);
    expect(await titles({ entity: 'são paulo' })).toEqual(['Kenya seeks new loans']);
    expect(await titles({ entity: 'ÉLISABETH BORNE' })).toEqual(['Lyon']);
    expect(await titles({ entity: 'Starmer' })).toEqual([]);
    // misc entities (nationalities) are not people, organisations or places.
    expect(await titles({ entity: 'Kenyan' })).toEqual([]);
    expect(await titles({ country: 'gb' })).toEqual(['Kenya seeks new loans']);
    expect(await titles({ country: 'FR' })).toEqual(['Lyon']);
    expect(await titles({ country: 'US' })).toEqual([]);
    expect(await titles({ country: 'KE', entity: 'Nairobi', language: 'en', site: 'example.com' })).toEqual(['Kenya seeks new loans']);
    expect(await titles({ country: 'KE', language: 'fr' })).toEqual([]);
  });

  it('keeps the mentions in step with updates and removes them with the article', async () => {
    const a = kenyaArticle();
    await storage.upsertArticle(a);
    await storage.upsertArticle({ ...a, ...LYON_ENRICHMENT, enrichment: { entities: { version: '2', ms: 1, error: null }, places: { version: '2', ms: 1, error: null } } });
    expect((await storage.listArticles({ entity: 'William Ruto' }, null, 10)).articles).toEqual([]);
    expect((await storage.listArticles({ country: 'KE' }, null, 10)).articles).toEqual([]);
    expect((await storage.listArticles({ entity: 'Lyon' }, null, 10)).articles.map((x) => x.id)).toEqual([a.id]);
    expect(await storage.removeStoredBefore(new Date(Date.now() + 60_000).toISOString())).toBe(1);
    expect((await storage.listArticles({ entity: 'Lyon' }, null, 10)).articles).toEqual([]);
    // Stored again after removal: indexed afresh, nothing left over from before.
    await storage.upsertArticle(a);
    expect((await storage.listArticles({ entity: 'Lyon' }, null, 10)).articles).toEqual([]);
    expect((await storage.listArticles({ country: 'KE' }, null, 10)).articles.map((x) => x.id)).toEqual([a.id]);
  });

  it('searches with the same filters applied in the query', async () => {
    for (let i = 0; i < 12; i++) await storage.upsertArticle(numbered(i, { text: `The harbour item ${i}.` }));
    await storage.upsertArticle(kenyaArticle('https://www.example.com/kenya', { text: `The harbour too. ${kenyaArticle().text}` }));
    const found = await storage.search('harbour', { limit: 3, filter: { language: 'fr', feedUrl: 'https://odd.example/rss' } });
    expect(found.map(n).sort((x, y) => x - y)).toEqual([3, 9]);
    expect((await storage.search('harbour', { limit: 10, filter: { country: 'ke' } })).map((a) => a.title)).toEqual(['Kenya seeks new loans']);
    expect(await storage.search('harbour', { limit: 5, filter: { language: 'en' } })).toHaveLength(5);
  });

  it('answers a story\'s articles, the first one first, with how many it has', async () => {
    const first = numbered(1);
    await storeInOrder([first, ...[2, 3].map((i) => numbered(i, { storyId: first.id, duplicateOf: first.id }))]);
    expect(await storage.storyArticles(first.id, 10)).toEqual({ total: 3, articles: [first, expect.objectContaining({ title: 'Item 2' }), expect.objectContaining({ title: 'Item 3' })] });
    expect((await storage.storyArticles(first.id, 2)).articles.map(n)).toEqual([1, 2]);
    expect(await storage.storyArticles('no-such-story', 10)).toEqual({ total: 0, articles: [] });
  });

  it('counts articles, stories, duplicates, recent ones, per language and per feed', async () => {
    expect(await storage.stats()).toEqual({ articles: 0, stories: 0, duplicates: 0, storedLastHour: 0, storedLastDay: 0, languages: [], feeds: [] });
    for (let i = 0; i < 6; i++) await storage.upsertArticle(numbered(i, i === 5 ? { language: null, feed: null, storyId: numbered(4).id, duplicateOf: numbered(4).id } : {}));
    expect(await storage.stats()).toEqual({
      articles: 6, stories: 5, duplicates: 1, storedLastHour: 6, storedLastDay: 6,
      languages: [{ language: 'en', articles: 3 }, { language: 'fr', articles: 2 }, { language: null, articles: 1 }],
      feeds: [{ feedUrl: 'https://even.example/rss', articles: 3 }, { feedUrl: 'https://odd.example/rss', articles: 2 }, { feedUrl: null, articles: 1 }],
    });
  });
});
