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
import { contractErrors } from '../helpers/article-contract.js';
import { makeArticle } from '../helpers/articles.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let server: TestRedis;
let redis: Redis;
let queues: Queues;
let storage: Storage;
let dashboard: Dashboard;
let dir: string;
const prefix = testPrefix();
const log = createLogger('error');

type Page = { articles: Array<Article & { revisions?: unknown }>; nextCursor: string | null };

function deps(over: Partial<Parameters<typeof startDashboard>[0]> = {}): Parameters<typeof startDashboard>[0] {
  return {
    host: '127.0.0.1', port: 0, queues, redis, metrics: new Metrics(), feedState: redisFeedStateStore(redis, prefix), log,
    storage: async () => storage, ...over,
  };
}

function article(n: number, over: Partial<Article> = {}): Article {
  const canonicalUrl = `https://news.example.com/2026/11/story-${n}`;
  const day = String(1 + (n % 28)).padStart(2, '0');
  return makeArticle({
    canonicalUrl,
    title: `Story ${n} about the harbour`,
    fetchedAt: `2026-11-${day}T10:00:00.000Z`,
    language: n % 3 === 0 ? 'fr' : 'en',
    feed: { url: n % 2 === 0 ? 'https://even.example/rss' : 'https://odd.example/rss' },
    ...over,
  });
}

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${dashboard.url}${path}`);
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function allPages(params: string): Promise<Article[]> {
  const out: Article[] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await get(`/api/articles?${params}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(status).toBe(200);
    out.push(...(body as Page).articles);
    cursor = (body as Page).nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  queues = createQueues(redis, parseConfig({ redis: { prefix } }, 'test'));
  dir = mkdtempSync(join(tmpdir(), 'newsloom-api-'));
  storage = openSqliteStorage(join(dir, 'db.sqlite'));
  for (let n = 0; n < 25; n++) await storage.upsertArticle(article(n));
  dashboard = await startDashboard(deps());
});
afterAll(async () => {
  await dashboard?.close();
  await storage?.close();
  if (queues) await closeQueues(queues);
  await redis?.quit();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('health endpoints', () => {
  it('answers /healthz and /readyz, and keeps /health', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ok', redis: 'ok', storage: 'ok' } });
    expect((await get('/health')).status).toBe(200);
  });

  it('answers /readyz 503 naming Redis or storage when one is unreachable, and API failures as JSON', async () => {
    const closed = openSqliteStorage(join(dir, 'closed.sqlite'));
    await closed.close();
    const deadRedis = new Redis({ port: await freePort(), host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    deadRedis.on('error', () => {});
    const a = await startDashboard(deps({ storage: async () => closed }));
    const b = await startDashboard(deps({ redis: deadRedis }));
    try {
      const byStorage = await fetch(`${a.url}/readyz`);
      expect(byStorage.status).toBe(503);
      expect(await byStorage.json()).toMatchObject({ status: 'unavailable', redis: 'ok', storage: expect.stringMatching(/^unreachable: /) });
      const broken = await fetch(`${a.url}/api/articles`);
      expect(broken.status).toBe(500);
      expect(await broken.json()).toEqual({ error: expect.stringMatching(/^GET \/api\/articles: /) });
      const byRedis = await fetch(`${b.url}/readyz`);
      expect(byRedis.status).toBe(503);
      expect(await byRedis.json()).toMatchObject({ status: 'unavailable', redis: expect.stringMatching(/^unreachable: /), storage: 'ok' });
      expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
      deadRedis.disconnect();
    }
  });
});

describe('GET /api/articles', () => {
  it('pages through every article once, by id, each valid against the contract', async () => {
    const first = await get('/api/articles');
    expect(first.status).toBe(200);
    expect((first.body as Page).articles).toHaveLength(20);
    expect((first.body as Page).nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const all = await allPages('limit=7');
    const ids = all.map((a) => a.id);
    expect(new Set(ids).size).toBe(25);
    expect(ids).toEqual([...ids].sort());
    for (const a of all) expect(contractErrors(a), a.id).toEqual([]);
  });

  it('never repeats or skips a row when articles are inserted between pages', async () => {
    const before = new Set((await allPages('limit=100')).map((a) => a.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 1000;
    do {
      const { body } = await get(`/api/articles?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...(body as Page).articles.map((a) => a.id));
      cursor = (body as Page).nextCursor;
      // New rows land on both sides of the cursor.
      for (let i = 0; i < 3; i++) await storage.upsertArticle(article(n++));
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    expect(seen).toEqual([...seen].sort());
  });

  it('filters by feed, language, since and until', async () => {
    const even = await allPages('feed=https%3A%2F%2Feven.example%2Frss&limit=5');
    expect(even.length).toBeGreaterThan(0);
    expect(even.every((a) => a.feed?.url === 'https://even.example/rss')).toBe(true);
    const fr = await allPages('language=fr&limit=3');
    expect(fr.length).toBeGreaterThan(0);
    expect(fr.every((a) => a.language === 'fr')).toBe(true);
    const window = await allPages('since=2026-11-05T00:00:00Z&until=2026-11-10T00:00:00Z&limit=2');
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((a) => a.fetchedAt >= '2026-11-05T00:00:00.000Z' && a.fetchedAt < '2026-11-10T00:00:00.000Z')).toBe(true);
  });

  it('answers short pages with a cursor when a selective filter reads its 5,000 rows, and still finds every match', async () => {
    const big = openSqliteStorage(join(dir, 'big.sqlite'));
    const d = await startDashboard(deps({ storage: async () => big }));
    try {
      for (let n = 0; n < 6000; n++) await big.upsertArticle(article(n, { language: n % 1500 === 7 ? 'de' : 'en' }));
      const found: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const body = (await (await fetch(`${d.url}/api/articles?language=de&limit=10${cursor ? `&cursor=${cursor}` : ''}`)).json()) as Page;
        found.push(...body.articles.map((a) => a.id));
        sizes.push(body.articles.length);
        cursor = body.nextCursor;
      } while (cursor);
      expect(found.sort()).toEqual([7, 1507, 3007, 4507].map((n) => article(n).id).sort());
      expect(sizes.length).toBeGreaterThan(1);
    } finally {
      await d.close();
      await big.close();
    }
  }, 60_000);

  it('searches with q: one page, no cursor', async () => {
    await storage.upsertArticle(article(5000, { title: 'Lighthouse keeper retires', text: 'The lighthouse keeper retired after forty years.' }));
    const { status, body } = await get('/api/articles?q=lighthouse&limit=5');
    expect(status).toBe(200);
    expect((body as Page).nextCursor).toBeNull();
    expect((body as Page).articles.map((a) => a.title)).toEqual(['Lighthouse keeper retires']);
  });

  it.each([
    ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=ten', 'limit'], ['since=yesterday', 'since'],
    ['until=2026-13-45', 'until'], ['cursor=bm90LWEtY3Vyc29y', 'cursor'], ['q=harbour&cursor=abc', 'cursor'],
    ['language=English!', 'language'], ['q=', 'q'], ['limit=1&limit=2', 'limit'],
  ])('answers 400 naming the parameter for %s', async (params, name) => {
    const { status, body } = await get(`/api/articles?${params}`);
    expect(status).toBe(400);
    expect((body as { error: string }).error).toMatch(new RegExp(`^${name}: expected `));
  });
});

describe('GET /api/articles/:id', () => {
  it('answers the article with its revisions, and 404 when absent', async () => {
    const original = article(7000);
    await storage.upsertArticle(original);
    await storage.upsertArticle({ ...original, text: 'A corrected text.', contentHash: 'corrected', title: 'Corrected title' });
    const { status, body } = await get(`/api/articles/${original.id}`);
    expect(status).toBe(200);
    expect(body.title).toBe('Corrected title');
    expect(body.revisions).toHaveLength(1);
    expect(body.revisions[0].title).toBe(original.title);
    const { revisions: _r, ...bare } = body as Article & { revisions: unknown };
    expect(contractErrors(bare)).toEqual([]);
    const missing = await get('/api/articles/no-such-id');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'no article with id no-such-id' });
  });
});

describe('GET /api/openapi.json', () => {
  it('serves an OpenAPI 3.1 document whose every path answers', async () => {
    const { status, body } = await get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const id = (await get('/api/articles?limit=1')).body.articles[0].id as string;
    const paths = Object.keys(openApiDocument.paths);
    expect(paths).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/api/feeds', '/api/articles', '/api/articles/{id}']));
    for (const path of paths) {
      const res = await fetch(`${dashboard.url}${path.replace('{id}', encodeURIComponent(id))}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/json/);
    }
  });
});
