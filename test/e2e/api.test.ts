import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/redis/spawn-redis.js';
import { redisFeedStateStore } from '../../adapters/redis/feed-state-store.js';
import { openSqliteStorage } from '../../adapters/storage/sqlite-storage.js';
import type { Storage } from '../../adapters/storage/storage.js';
import { parseConfig } from '../../config/load.js';
import { startDashboard, type Dashboard } from '../../dashboard/dashboard.js';
import { openApiDocument } from '../../dashboard/openapi.js';
import { createLogger } from '../../lib/log.js';
import { Metrics } from '../../lib/metrics.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import type { Article } from '../../stages/article.js';
import { postgresBackend, sqliteBackend, type Backend, type EmptyDatabase } from '../adapters/storage/backends.js';
import { kenyaArticle, LYON_ENRICHMENT } from '../adapters/storage/enriched-articles.js';
import { contractErrors } from '../helpers/article-contract.js';
import { makeArticle } from '../helpers/articles.js';
import { startTestPostgresOrSkip } from '../helpers/postgres.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { openApiErrors } from './api-openapi-check.js';

// The query API over each backend that can start here (PostgreSQL skips with one line when it cannot).
const postgres = await startTestPostgresOrSkip();
const backends: Backend[] = [sqliteBackend, ...(postgres ? [postgresBackend(postgres)] : [])];

let server: TestRedis;
let redis: Redis;
let queues: Queues;
let dir: string;
const prefix = testPrefix();
const log = createLogger('error');

type Page = { articles: Article[]; nextCursor: string | null };
type Deps = Parameters<typeof startDashboard>[0];

function deps(storage: Storage, over: Partial<Deps> = {}): Deps {
  return {
    host: '127.0.0.1', port: 0, queues, redis, metrics: new Metrics(), feedState: redisFeedStateStore(redis, prefix), log,
    storage: async () => storage, ...over,
  };
}

async function getFrom(base: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`);
  const text = await res.text();
  const body = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (path.startsWith('/api/') || path === '/healthz' || path === '/readyz') expect(openApiErrors(path, res.status, body), `${path} ${res.status}`).toEqual([]);
  return { status: res.status, body };
}

/** Waits for the clock to pass the current millisecond, so each write is stored strictly later than the one before. */
async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((r) => setImmediate(r));
}

function numbered(n: number, over: Partial<Article> = {}): Article {
  return makeArticle({
    canonicalUrl: `https://news.example.com/2026/11/story-${n}`,
    title: `Story ${n} about the harbour`,
    text: `Story ${n}: the harbour was busy.`,
    fetchedAt: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z`,
    language: n % 3 === 0 ? 'fr' : 'en',
    feed: { url: n % 2 === 0 ? 'https://even.example/rss' : 'https://odd.example/rss' },
    ...over,
  });
}
const n = (a: Article) => Number(/Story (\d+)/.exec(a.title)?.[1] ?? -1);

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  queues = createQueues(redis, parseConfig({ redis: { prefix } }, 'test'));
  dir = mkdtempSync(join(tmpdir(), 'newsloom-api-'));
});
afterAll(async () => {
  if (queues) await closeQueues(queues);
  await redis?.quit();
  await server?.stop();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the OpenAPI check of answers', () => {
  it('rejects an answer its schema does not allow, and a status the document does not list', () => {
    expect(openApiErrors('/api/articles', 200, { articles: [{ id: 'only-an-id' }], nextCursor: null }).join('\n')).toMatch(/must have required property 'canonicalUrl'/);
    expect(openApiErrors('/api/stats', 200, { at: 'now', articles: -1 })).not.toEqual([]);
    expect(openApiErrors('/api/stories/x', 418, {})).toEqual(['/api/stories/{id} documents no 418 answer']);
    expect(openApiErrors('/api/articles', 401, { error: 'GET /api/articles: expected the api.token' })).toEqual([]);
  });
});

describe('health endpoints', () => {
  it('answers /healthz and /readyz, keeps /health, and names Redis or storage when one is unreachable', async () => {
    const storage = openSqliteStorage(join(dir, 'health.sqlite'));
    const closed = openSqliteStorage(join(dir, 'closed.sqlite'));
    await closed.close();
    const deadRedis = new Redis({ port: await freePort(), host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    deadRedis.on('error', () => {});
    const ok = await startDashboard(deps(storage));
    const a = await startDashboard(deps(closed));
    const b = await startDashboard(deps(storage, { redis: deadRedis }));
    try {
      expect(await getFrom(ok.url, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await getFrom(ok.url, '/readyz')).toEqual({ status: 200, body: { status: 'ok', redis: 'ok', storage: 'ok', workers: 'none in this process' } });
      expect((await fetch(`${ok.url}/health`)).status).toBe(200);
      const byStorage = await getFrom(a.url, '/readyz');
      expect(byStorage).toMatchObject({ status: 503, body: { status: 'unavailable', redis: 'ok', storage: expect.stringMatching(/^unreachable: /) } });
      const broken = await fetch(`${a.url}/api/articles`);
      expect(broken.status).toBe(500);
      expect(await broken.json()).toEqual({ error: expect.stringMatching(/^GET \/api\/articles: /) });
      const byRedis = await getFrom(b.url, '/readyz');
      expect(byRedis).toMatchObject({ status: 503, body: { status: 'unavailable', redis: expect.stringMatching(/^unreachable: /), storage: 'ok' } });
      expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
      // A stage worker that stopped (closed, or its Redis connection gave up) makes the process not ready.
      let fetchRunning = true;
      const c = await startDashboard({ ...deps(storage), workers: () => [{ name: 'fetch', isRunning: () => fetchRunning }, { name: 'store', isRunning: () => true }] });
      try {
        expect(await getFrom(c.url, '/readyz')).toMatchObject({ status: 200, body: { workers: 'ok' } });
        fetchRunning = false;
        expect(await getFrom(c.url, '/readyz')).toMatchObject({ status: 503, body: { status: 'unavailable', workers: 'not running: fetch' } });
      } finally {
        await c.close();
      }
    } finally {
      for (const d of [ok, a, b]) await d.close();
      await storage.close();
      deadRedis.disconnect();
    }
  });

  it('answers 503 JSON for the storage routes of a dashboard without storage', async () => {
    const { storage: _none, ...rest } = deps(openSqliteStorage(':memory:'));
    const d = await startDashboard(rest);
    try {
      for (const path of ['/api/articles', '/api/stories/x', '/api/stats']) expect(await getFrom(d.url, path), path).toMatchObject({ status: 503, body: { error: expect.any(String) } });
    } finally {
      await d.close();
    }
  });
});

describe.each(backends)('the query API on $name', (backend) => {
  let db: EmptyDatabase;
  let storage: Storage;
  let dashboard: Dashboard;
  /** The numbered articles in the order they were stored. */
  const stored: Article[] = [];
  const kenya = kenyaArticle('https://www.example.com/2026/12/kenya-loans', { feed: { url: 'https://example.com/world.rss' } });
  const lyon = makeArticle({ canonicalUrl: 'https://lemonde.example.fr/lyon', siteName: 'Le Monde', language: 'fr', title: 'Lyon et la SNCF',
    text: 'Élisabeth Borne était à Lyon.', ...LYON_ENRICHMENT });
  const get = (path: string) => getFrom(dashboard.url, path);

  async function store(a: Article): Promise<void> {
    await nextMillisecond();
    await storage.upsertArticle(a);
  }

  async function allPages(params: string): Promise<{ articles: Article[]; sizes: number[] }> {
    const articles: Article[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await get(`/api/articles?${params}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      articles.push(...(body as Page).articles);
      sizes.push((body as Page).articles.length);
      cursor = (body as Page).nextCursor;
    } while (cursor);
    return { articles, sizes };
  }

  beforeAll(async () => {
    db = await backend.empty();
    storage = await db.open();
    for (let i = 0; i < 25; i++) {
      stored.push(numbered(i));
      await store(stored.at(-1)!);
    }
    await store(kenya);
    await store(lyon);
    dashboard = await startDashboard(deps(storage));
  });
  afterAll(async () => {
    await dashboard?.close();
    await storage?.close();
    await db?.remove();
  });

  it('lists the newest stored first, page after page, each article valid against the contract', async () => {
    const first = await get('/api/articles');
    expect(first.status).toBe(200);
    expect((first.body as Page).articles.map((a) => a.title).slice(0, 3)).toEqual([lyon.title, kenya.title, stored[24]!.title]);
    expect((first.body as Page).nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const { articles, sizes } = await allPages('limit=7');
    expect(sizes).toEqual([7, 7, 7, 6]);
    expect(articles.map((a) => a.id)).toEqual([lyon, kenya, ...[...stored].reverse()].map((a) => a.id));
    for (const a of articles) expect(contractErrors(a), a.id).toEqual([]);
  });

  it('never repeats or skips a row when articles are stored and updated between pages', async () => {
    const before = (await allPages('limit=100')).articles.map((a) => a.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let next = 1000;
    do {
      const { body } = await get(`/api/articles?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...(body as Page).articles.map((a) => a.id));
      cursor = (body as Page).nextCursor;
      // A new article lands before the first page; an update of an old one moves nothing.
      await store(numbered(next++, { feed: { url: 'https://late.example/rss' }, language: 'en', fetchedAt: '2026-12-31T10:00:00.000Z' }));
      const old = stored[3]!;
      await store({ ...old, text: `${old.text} Update ${next}.`, contentHash: `update-${next}` });
    } while (cursor);
    expect(seen).toEqual(before);
  });

  it('filters by feed, site, language, since, until, entity, country and story, every page but the last full', async () => {
    const ids = async (params: string) => (await allPages(params)).articles.map((a) => a.id);
    const fr = await allPages('language=fr&limit=3');
    expect(fr.articles.map(n)).toEqual([-1, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
    expect(fr.sizes).toEqual([3, 3, 3, 1]);
    expect((await allPages('feed=https%3A%2F%2Feven.example%2Frss&language=fr&limit=2')).articles.map(n)).toEqual([24, 18, 12, 6, 0]);
    expect((await allPages('since=2026-11-20T00:00:00Z&until=2026-11-23T00:00:00Z&limit=2')).articles.map(n)).toEqual([21, 20, 19]);
    expect(await ids('site=example.com')).toEqual([kenya.id]);
    expect(await ids('site=Le%20MONDE')).toEqual([lyon.id]);
    expect(await ids('site=news.example.com&limit=100')).toHaveLength(25 + (await allPages('feed=https%3A%2F%2Flate.example%2Frss&limit=100')).articles.length);
    expect(await ids('entity=keir%20starmer')).toEqual([kenya.id]);
    expect(await ids('entity=S%C3%83O%20PAULO')).toEqual([kenya.id]);
    expect(await ids('entity=%C3%A9lisabeth%20borne')).toEqual([lyon.id]);
    expect(await ids('country=ke')).toEqual([kenya.id]);
    expect(await ids('country=FR&language=fr')).toEqual([lyon.id]);
    expect(await ids('country=FR&language=en')).toEqual([]);
    expect(await ids(`story=${stored[5]!.storyId}`)).toEqual([stored[5]!.id]);
  });

  it('searches with q and the same filters, one full page, no cursor', async () => {
    const { status, body } = await get('/api/articles?q=harbour&feed=https%3A%2F%2Fodd.example%2Frss&limit=5');
    expect(status).toBe(200);
    expect((body as Page).nextCursor).toBeNull();
    expect((body as Page).articles).toHaveLength(5);
    expect((body as Page).articles.every((a) => a.feed?.url === 'https://odd.example/rss')).toBe(true);
    expect((await get('/api/articles?q=loans&country=KE')).body.articles.map((a: Article) => a.id)).toEqual([kenya.id]);
    expect((await get('/api/articles?q=loans&country=FR')).body.articles).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=ten', 'limit'], ['since=yesterday', 'since'],
    ['until=2026-13-45', 'until'], ['cursor=bm90LWEtY3Vyc29y', 'cursor'], ['q=harbour&cursor=abc', 'cursor'],
    // A cursor of the earlier id-only format.
    [`cursor=${Buffer.from(JSON.stringify({ v: 1, after: 'abc' })).toString('base64url')}`, 'cursor'],
    ['language=English!', 'language'], ['q=', 'q'], ['limit=1&limit=2', 'limit'], ['country=FRA', 'country'],
    ['entity=', 'entity'], ['entity=%20', 'entity'], ['site=', 'site'], ['story=', 'story'], ['feed=', 'feed'],
  ])('answers 400 naming the parameter for %s', async (params, name) => {
    const { status, body } = await get(`/api/articles?${params}`);
    expect(status).toBe(400);
    expect((body as { error: string }).error).toMatch(new RegExp(`^${name}: expected `));
  });

  it('answers an article with its revisions, and 404 when absent', async () => {
    const original = numbered(7000);
    await store(original);
    await store({ ...original, text: 'A corrected text.', contentHash: 'corrected', title: 'Corrected title' });
    const { status, body } = await get(`/api/articles/${original.id}`);
    expect(status).toBe(200);
    expect(body.title).toBe('Corrected title');
    expect(body.revisions).toHaveLength(1);
    expect(body.revisions[0].title).toBe(original.title);
    const { revisions: _r, ...bare } = body as Article & { revisions: unknown };
    expect(contractErrors(bare)).toEqual([]);
    expect(await get('/api/articles/no-such-id')).toEqual({ status: 404, body: { error: 'no article with id no-such-id' } });
  });

  it('answers a story with its articles, the first one first, and 404 when unknown', async () => {
    const first = numbered(8000);
    const copies = [8001, 8002].map((i) => numbered(i, { storyId: first.id, duplicateOf: first.id }));
    for (const a of [first, ...copies]) await store(a);
    const { status, body } = await get(`/api/stories/${first.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({ storyId: first.id, articleCount: 3, articles: [first, ...copies].map((a) => expect.objectContaining({ id: a.id, duplicateOf: a.duplicateOf })) });
    for (const a of body.articles) expect(contractErrors(a), a.id).toEqual([]);
    expect(await get('/api/stories/no-such-story')).toEqual({ status: 404, body: { error: 'no story with id no-such-story' } });
  });

  it('answers counts from storage', async () => {
    const item = (n: number) => ({ itemKey: `https://example.com/stats-${n}`, seenKey: `g${n}`, feedUrl: 'https://example.com/world.rss', payload: { n } });
    await storage.acceptItems([item(1), item(2), item(3)]);
    await storage.settleItem(item(2).itemKey, 'skipped', 'not-an-article');
    await storage.settleItem(item(3).itemKey, 'failed', 'NL_HTTP_STATUS: 404');
    const { status, body } = await get('/api/stats');
    expect(status).toBe(200);
    expect(body.ledger).toMatchObject({ pending: 1, skipped: 1, failed: 1, stored: 0 });
    expect(Date.parse(body.ledger.oldestPendingAt)).toBeGreaterThan(Date.now() - 60_000);
    const all = (await allPages('limit=100')).articles;
    expect(body).toMatchObject({
      articles: all.length, stories: new Set(all.map((a) => a.storyId)).size, duplicates: all.filter((a) => a.duplicateOf).length,
      storedLastHour: all.length, storedLastDay: all.length,
    });
    expect(Date.parse(body.at)).not.toBeNaN();
    const byLanguage = (l: string) => body.languages.find((x: { language: string }) => x.language === l)?.articles;
    expect(byLanguage('fr')).toBe(all.filter((a) => a.language === 'fr').length);
    expect(byLanguage('en')).toBe(all.filter((a) => a.language === 'en').length);
    expect(body.feeds).toContainEqual({ feedUrl: 'https://example.com/world.rss', articles: 1 });
    expect(body.feeds.reduce((s: number, f: { articles: number }) => s + f.articles, 0)).toBe(all.length);
  });

  it('serves an OpenAPI 3.1 document whose every path answers 200', async () => {
    const { status, body } = await get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const paths = Object.keys(openApiDocument.paths);
    expect(paths).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/api/feeds', '/api/articles', '/api/articles/{id}', '/api/stories/{id}', '/api/stats']));
    for (const path of paths) {
      const res = await get(path.replace('{id}', encodeURIComponent(kenya.id)));
      expect(res.status, path).toBe(200);
    }
    const params = openApiDocument.paths['/api/articles'].get.parameters.map((p) => p.name);
    expect(params).toEqual(['q', 'feed', 'site', 'since', 'until', 'language', 'entity', 'country', 'story', 'limit', 'cursor']);
  });
});
