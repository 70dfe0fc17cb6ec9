import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/redis/spawn-redis.js';
import { parseConfig } from '../../config/load.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import type { Article } from '../../stages/article.js';
import { startCli, waitForHttp, type RunningCli } from '../helpers/cli.js';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

// Debian's chromium, driven by playwright-core (which downloads no browser): see DEVELOPERS.md.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipping the status page browser test: no ${CHROMIUM} (apt-get install chromium)`);

let redis: TestRedis;
let site: FixtureSite;
let dir: string;
let app: RunningCli;
let conn: Redis;
let queues: Queues;
let base: string;
const prefix = testPrefix();
const BROKEN_FEED = '/broken/feed.xml';

beforeAll(async () => {
  if (!hasChromium) return;
  redis = await startTestRedis();
  site = await startFixtureSite();
  site.server.route(BROKEN_FEED, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'gone' });
  dir = mkdtempSync(join(tmpdir(), 'newsloom-status-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const configPath = join(dir, 'newsloom.yaml');
  writeFileSync(configPath, `redis:\n  url: ${redis.url}\n  prefix: ${prefix}\nstorage:\n  sqlite: ${join(dir, 'db.sqlite')}\n` +
    `fetch:\n  allowPrivateNetworks: true\n  perHost: { maxConcurrent: 16, minInterval: 0ms }\nqueues:\n  attempts: 2\n  backoff: 50ms\n` +
    `dashboard:\n  port: ${port}\nlog:\n  level: warn\n` +
    `feeds:\n  - url: ${site.rssUrl}\n    name: Loopback Gazette\n    interval: 1h\n  - url: ${site.server.url}${BROKEN_FEED}\n    name: Broken Feed\n    interval: 1h\n`);
  app = startCli(['start', '--config', configPath]);
  expect(await waitForHttp(`${base}/healthz`, 240_000), app.output().stderr).toBe(true);
  conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  queues = createQueues(conn, parseConfig({ redis: { prefix } }, 'test'));
  // Polled now rather than at the schedulers' spread-out offsets.
  await queues.feeds.add('poll', { feedUrl: site.rssUrl, force: true }, { jobId: 'feeds-now-good' });
  await queues.feeds.add('poll', { feedUrl: `${site.server.url}${BROKEN_FEED}`, force: true }, { jobId: 'feeds-now-broken' });
  expect(await waitForDrain(queues, Date.now() + 120_000), app.output().stderr).toBe(true);
}, 420_000);

afterAll(async () => {
  if (queues) await closeQueues(queues);
  await conn?.quit();
  if (app) expect(await app.stop()).toBe(0);
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The value of the sample of `name` with exactly these labels (in any order) in a Prometheus text scrape; NaN when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').split(',').filter(Boolean).sort().join(',') === want) return Number(m[3]);
  }
  return Number.NaN;
}

async function storedArticles(): Promise<Article[]> {
  const r = (await (await fetch(`${base}/api/articles?limit=100`)).json()) as { articles: Article[] };
  return r.articles;
}

describe.skipIf(!hasChromium)('the status page in a real browser', () => {
  it('shows the fixture feed articles with links to their JSON, the failing feed with its reason, and retries a failure group', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const res = await page.goto(`${base}/`);
      expect(res?.status()).toBe(200);
      expect(await page.title()).toBe('newsloom status');

      // Every article stored from the good feed is listed, linked to its stored JSON.
      const stored = await storedArticles();
      expect(stored.length).toBeGreaterThan(0);
      const listed = await page.locator('#articles tr.article a[href^="/api/articles/"]').evaluateAll((links) =>
        links.map((a) => ({ text: a.textContent ?? '', href: a.getAttribute('href') ?? '' })));
      expect(listed.map((l) => l.text).sort()).toEqual(stored.map((a) => a.title).sort());
      const first = listed[0]!;
      const json = await page.request.get(`${base}${first.href}`);
      expect(json.status()).toBe(200);
      expect(((await json.json()) as Article).title).toBe(first.text);

      // The failing feed: flagged, with its reason.
      const brokenUrl = `${site.server.url}${BROKEN_FEED}`;
      const brokenRow = page.locator(`#feeds tr[data-feed-url="${brokenUrl}"]`);
      await expect.poll(() => brokenRow.count()).toBe(1);
      expect(await brokenRow.getAttribute('class')).toContain('failing');
      expect(await brokenRow.locator('td.reason').textContent()).toBe(`NL_HTTP_STATUS: GET ${brokenUrl} answered 404`);
      const goodRow = page.locator(`#feeds tr[data-feed-url="${site.rssUrl}"]`);
      expect(await goodRow.textContent()).toContain('Loopback Gazette');
      expect(await goodRow.locator('td.num').textContent()).toMatch(new RegExp(`^${stored.length} today`));

      // Throughput counted in Redis by the worker process: every stored article passed the store stage.
      const storeCell = page.locator('#throughput tr[data-stage="store"] td.num').first();
      expect(Number(await storeCell.textContent())).toBeGreaterThanOrEqual(stored.length);

      // The failure group of the broken feed (and the fixture's 404/500 pages) and its retry button.
      const group = page.locator('#failures tr.failure[data-code="NL_HTTP_STATUS"]');
      expect(await group.locator('ul.reasons').textContent()).toContain(`GET ${brokenUrl} answered 404`);
      const hitsBefore = site.server.hits(BROKEN_FEED);
      const failedBefore = await queues.feeds.getFailedCount();
      expect(failedBefore).toBeGreaterThan(0);
      await Promise.all([page.waitForURL(/\?retried=\d+/), group.locator('button').click()]);
      expect(await page.locator('p.flash').textContent()).toMatch(/^Retried [1-9]\d* failed job\(s\) with NL_HTTP_STATUS\.$/);
      // The failed poll went back to the queue: the broken feed is asked again.
      await expect.poll(() => site.server.hits(BROKEN_FEED), { timeout: 30_000 }).toBeGreaterThan(hitsBefore);
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('counts at /metrics what the pipeline did: fetch answers by request and class, stored articles, feed errors, stage durations, event lag', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const stored = (await storedArticles()).length;
    expect(sample(text, 'newsloom_fetch_responses_total', { request: 'feed', status: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsloom_fetch_responses_total', { request: 'feed', status: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsloom_fetch_responses_total', { request: 'page', status: '2xx' })).toBeGreaterThanOrEqual(stored);
    expect(sample(text, 'newsloom_fetch_responses_total', { request: 'page', status: '5xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsloom_fetch_responses_total', { request: 'robots', status: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsloom_articles_stored_total', { change: 'created' })).toBe(stored);
    expect(sample(text, 'newsloom_feed_errors_total', { code: 'NL_HTTP_STATUS' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsloom_stage_duration_seconds_count', { stage: 'store' })).toBeGreaterThanOrEqual(stored);
    expect(sample(text, 'newsloom_event_delivery_lag_seconds_count', {})).toBeGreaterThanOrEqual(stored);
  });

  it('refuses a retry posted from another site', async () => {
    const r = await fetch(`${base}/status/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'code=NL_HTTP_STATUS',
    });
    expect(r.status).toBe(403);
  });
});
