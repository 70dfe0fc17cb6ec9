import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import { QUEUE_NAMES } from '../../queues/names.js';
import type { Article } from '../../stages/article.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { collect } from '../helpers/collect.js';

// ../shared/examples/seed-article.txt, served as a page in a feed, through every stage with the
// default enrichment: its people, organisations, places and its quote must come out right.
const SEED = new URL('../../../shared/examples/seed-article.txt', import.meta.url);
const present = existsSync(SEED);
const ABSENT = '../shared/examples/seed-article.txt is absent';

let redis: TestRedis;
let server: FixtureServer;
let pipeline: Pipeline;
let dir: string;
let stored: Article;

beforeAll(async () => {
  if (!present) return;
  redis = await startTestRedis();
  server = await startFixtureServer();
  const paragraphs = readFileSync(SEED, 'utf8').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const page = `<!doctype html><html lang="en"><head><title>Iran's FM speaks with Islamic Jihad leader | Loopback Post</title>
    <meta property="article:published_time" content="2024-04-06T09:30:00+03:00"></head>
    <body><article><h1>Iran's FM speaks with Islamic Jihad leader</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;
  server.route('/world/iran-fm.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  server.route('/rss.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Post</title><link>${server.url}/</link>
      <item><title>Iran's FM speaks with Islamic Jihad leader</title><link>${server.url}/world/iran-fm.html</link><pubDate>Sat, 06 Apr 2024 06:30:00 GMT</pubDate></item>
      </channel></rss>`);
  });
  dir = mkdtempSync(join(tmpdir(), 'newsloom-seed-'));
  const config = parseConfig({
    redis: { prefix: testPrefix() },
    storage: { sqlite: join(dir, 'newsloom.db') },
    fetch: { allowPrivateNetworks: true, robots: false },
    poll: { maxItemAge: '100000d' },
    queues: { attempts: 2, backoff: '50ms' },
    feeds: [{ url: `${server.url}/rss.xml` }],
  }, 'test');
  pipeline = await startPipeline({ config, redisUrl: redis.url, log: createLogger('silent'), stages: QUEUE_NAMES, schedule: false });
  await pipeline.ctx.queues.feeds.add('poll', { feedUrl: `${server.url}/rss.xml`, force: true }, { jobId: 'feeds-seed' });
  expect(await waitForDrain(pipeline.ctx.queues, Date.now() + 60_000, 100)).toBe(true);
  const articles = await collect((await pipeline.ctx.storage()).articles());
  expect(articles).toHaveLength(1);
  stored = articles[0]!;
}, 90_000);

afterAll(async () => {
  await pipeline?.close();
  await server?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const names = (xs: readonly { name: string }[] | undefined) => (xs ?? []).map((x) => x.name);

describe('the seed article through the whole pipeline, default enrichment', () => {
  it('runs every default stage without an error', (ctx) => {
    if (!present) return ctx.skip(ABSENT);
    for (const name of ['language', 'wordcount', 'entities', 'places', 'keywords', 'summary', 'quotes', 'sentiment']) {
      expect(stored.enrichment[name], name).toMatchObject({ version: expect.any(String), error: null });
    }
    expect(stored.language).toBe('en');
    expect(stored.text).not.toContain('MOHAMMED SALEM');
  });

  it('finds its people, organisations and places, and no place or organisation as a person', (ctx) => {
    if (!present) return ctx.skip(ABSENT);
    const { people, organizations, places } = stored.entities!;
    expect(names(people)).toEqual(expect.arrayContaining(['Hossein Amirabdollahian', 'Ziyad al-Nakhaleh', 'Ismail Haniyeh', 'Benjamin Netanyahu']));
    expect(names(organizations)).toEqual(expect.arrayContaining(['Palestinian Islamic Jihad', 'Hamas']));
    expect(names(places)).toEqual(expect.arrayContaining(['Gaza', 'Israel', 'West Bank']));
    const nonPeople = new Set([...names(organizations), ...names(places), 'Gaza', 'Israel', 'Iran', 'West Bank', 'Hamas', 'Palestinian Islamic Jihad', 'White House']);
    expect(names(people).filter((p) => nonPeople.has(p))).toEqual([]);
    // "Haniyeh" alone later is the same person, counted as a mention of the full name.
    expect(people.find((p) => p.name === 'Ismail Haniyeh')!.mentions).toBeGreaterThanOrEqual(2);
  });

  it('resolves its places to countries and coordinates', (ctx) => {
    if (!present) return ctx.skip(ABSENT);
    const place = (n: string) => stored.entities!.places.find((p) => p.name === n)!;
    expect(place('Gaza')).toMatchObject({ country: 'PS', lat: expect.any(Number), lon: expect.any(Number) });
    expect(place('West Bank').country).toBe('PS');
    expect(place('Israel').country).toBe('IL');
    expect(stored.countries![0]).toBe('PS');
    expect(stored.countries).toContain('IL');
  });

  it("attributes the quote about the genocide to Amirabdollahian", (ctx) => {
    if (!present) return ctx.skip(ABSENT);
    expect(stored.quotes).toEqual(expect.arrayContaining([{ text: 'the genocide against the Palestinians', speaker: 'Hossein Amirabdollahian' }]));
    expect(stored.summary).toMatch(/^In a phone conversation between the Iranian Foreign Minister Hossein Amirabdollahian/);
    expect(stored.keywords!.length).toBeGreaterThan(3);
    // Lexicon-based and approximate (AFINN counts "support", "victory" against "killing"): only its shape is checked here.
    expect(stored.sentiment!.score).toBeGreaterThanOrEqual(-1);
    expect(stored.sentiment!.score).toBeLessThanOrEqual(1);
  });
});
