import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { hashTagPrefix } from '../../queues/connection.js';
import { QUEUE_NAMES, type QueueName } from '../../queues/names.js';
import { jobId } from '../../queues/queues.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import { itemKey } from '../../stages/feeds/select-new-items.js';
import { reconcileOnce } from '../../workers/reconcile.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { collect } from '../helpers/collect.js';

// The storage ledger of accepted items (issue 9) on real Redis, a real HTTP site and real SQLite:
// items recorded as pending before they are enqueued, settled stored / skipped / failed, and
// enqueued again by the reconciler when Redis lost their jobs.
let redis: TestRedis;
let site: FixtureServer;
let dir: string;
/** What the feed lists now: paths under the site. */
let listed: string[] = [];
const pipelines: Pipeline[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureServer();
  site.serveDir('/articles/', new URL('../fixtures/site/', import.meta.url).pathname);
  site.route('/feeds/rss.xml', (_req, res) => {
    const items = listed.map((path) => `<item><title>Item ${path}</title><link>${site.url}${path}</link><guid>${site.url}${path}</guid>
      <pubDate>${new Date().toUTCString()}</pubDate></item>`);
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger Gazette</title><link>${site.url}/</link>${items.join('')}</channel></rss>`);
  });
  dir = mkdtempSync(join(tmpdir(), 'newsloom-ledger-'));
});

afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const feedUrl = () => `${site.url}/feeds/rss.xml`;

function configFor(name: string) {
  return parseConfig({
    redis: { prefix: testPrefix() },
    storage: { sqlite: join(dir, `${name}.db`) },
    fetch: { allowPrivateNetworks: true, timeout: '5s', robots: false, perHost: { maxConcurrent: 16, minInterval: 0 } },
    queues: { attempts: 2, backoff: '50ms' },
    enrich: { stages: [], threads: 0 },
    // The test runs the reconciler itself.
    ledger: { reconcileEvery: '1h' },
    feeds: [{ url: feedUrl() }],
  }, 'test');
}

async function start(config: ReturnType<typeof configFor>, stages: readonly QueueName[]): Promise<Pipeline> {
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  const p = await startPipeline({ config, redisUrl: redis.url, log: createLogger('warn', quiet), stages, schedule: false });
  pipelines.push(p);
  return p;
}

async function until(what: string, check: () => Promise<boolean>, capMs = 30_000): Promise<void> {
  for (const end = Date.now() + capMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

let polls = 0;
/** One forced poll of the feed; resolves once that feeds job completed, with its result. */
async function poll(p: Pipeline): Promise<{ newItems?: number }> {
  const job = await p.ctx.queues.feeds.add('poll', { feedUrl: feedUrl(), force: true }, { jobId: `feeds-poll-${++polls}` });
  await until('the poll', async () => (await p.ctx.queues.feeds.getJobState(job.id!)) === 'completed');
  return (await p.ctx.queues.feeds.getJob(job.id!))!.returnvalue as { newItems?: number };
}

const url = (path: string) => `${site.url}${path}`;

/** Takes the next job of a queue and fails it for good outside any processor, as BullMQ's stall check does; answers its id. */
async function failNextJob(p: Pipeline, queue: QueueName, reason: string): Promise<string | undefined> {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const taker = new Worker(queue, undefined, { connection, prefix: hashTagPrefix(p.ctx.config.redis.prefix), autorun: false });
  try {
    const job = (await taker.getNextJob('test-token')) as Job;
    await job.moveToFailed(new UnrecoverableError(reason), 'test-token', false);
    return job.id;
  } finally {
    await taker.close();
    await connection.quit();
  }
}

describe('the ledger of accepted items', () => {
  it('enqueues again an item whose jobs vanished after it was accepted, and stores it once', async () => {
    const config = configFor('vanished');
    // The feeds stage alone: the fetch job waits in Redis, as when a poll outruns the fetchers.
    const feeds = await start(config, ['feeds']);
    listed = ['/articles/harbour-ferry.html'];
    expect(await poll(feeds)).toMatchObject({ newItems: 1 });
    const key = itemKey({ url: url('/articles/harbour-ferry.html'), guid: '' });
    const storage = await feeds.ctx.storage();
    expect(await storage.ledgerItem(key)).toMatchObject({ state: 'pending', requeues: 0 });
    expect(await feeds.ctx.queues.fetch.getJobState(jobId('fetch', key))).toBe('waiting');
    // A job still queued is in flight: nothing to do, however stale the row.
    expect(await reconcileOnce(feeds.ctx, { staleAfterMs: 0 })).toMatchObject({ looked: 1, requeued: 0, inFlight: 1 });

    // Redis comes back empty, and the feed no longer lists the item: no poll will find it again.
    await feeds.ctx.redis.flushall();
    listed = [];
    expect(await poll(feeds)).toMatchObject({ newItems: 0 });
    // The other stages run in another pipeline, as a `newsloom worker` on the same database.
    const others = await start(config, QUEUE_NAMES.filter((q) => q !== 'feeds'));
    expect(await reconcileOnce(feeds.ctx, { staleAfterMs: 0 })).toMatchObject({ looked: 1, requeued: 1, inFlight: 0 });
    expect(feeds.ctx.metrics.get('newsloom_items_requeued_total', {})).toBe(1);
    expect(await waitForDrain(others.ctx.queues, Date.now() + 45_000, 100)).toBe(true);

    const rows = await collect((await others.ctx.storage()).articles());
    expect(rows.map((a) => a.url)).toEqual([url('/articles/harbour-ferry.html')]);
    expect(await storage.ledgerItem(key)).toMatchObject({ state: 'stored', requeues: 1, reason: null });
    expect(site.hits('/articles/harbour-ferry.html')).toBe(1);
    // Settled: the next look finds nothing.
    expect(await reconcileOnce(feeds.ctx, { staleAfterMs: 0 })).toMatchObject({ looked: 0, requeued: 0 });
  });

  it('does not fetch again an item already stored after Redis lost its seen set, and marks it seen again', async () => {
    const p = await start(configFor('reseen'), QUEUE_NAMES);
    listed = ['/articles/wind-cable-vote.html'];
    expect(await poll(p)).toMatchObject({ newItems: 1 });
    expect(await waitForDrain(p.ctx.queues, Date.now() + 45_000, 100)).toBe(true);
    const storage = await p.ctx.storage();
    expect(await collect(storage.articles())).toHaveLength(1);

    await p.ctx.redis.flushall();
    const item = { seenKey: url('/articles/wind-cable-vote.html'), urlKey: itemKey({ url: url('/articles/wind-cable-vote.html'), guid: '' }) };
    expect([...(await p.ctx.seen.unseen(feedUrl(), [item]))]).toEqual([item.seenKey]);
    expect(await poll(p)).toMatchObject({ newItems: 0 });
    expect(await p.ctx.queues.fetch.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
    expect(site.hits('/articles/wind-cable-vote.html')).toBe(1);
    // The seen set repaired itself: the next poll does not even ask the ledger.
    expect([...(await p.ctx.seen.unseen(feedUrl(), [item]))]).toEqual([]);
    expect(await collect(storage.articles())).toHaveLength(1);
    expect(await storage.ledgerCounts()).toEqual({ pending: 0, stored: 1, skipped: 0, failed: 0 });
  });

  it('settles a page that fails for good as failed, with the failed job\'s reason', async () => {
    const p = await start(configFor('failed'), QUEUE_NAMES);
    listed = ['/broken/gone.html'];
    await poll(p);
    expect(await waitForDrain(p.ctx.queues, Date.now() + 45_000, 100)).toBe(true);
    const key = itemKey({ url: url('/broken/gone.html'), guid: '' });
    const job = await p.ctx.queues.fetch.getJob(jobId('fetch', key));
    expect(job?.failedReason).toBe(`NL_HTTP_STATUS: GET ${url('/broken/gone.html')} answered 404`);
    expect(await (await p.ctx.storage()).ledgerItem(key)).toMatchObject({ state: 'failed', reason: job?.failedReason });
    // Listed again: a failed item is not fetched again.
    await p.ctx.redis.flushall();
    await poll(p);
    expect(site.hits('/broken/gone.html')).toBe(1);
  });

  it('settles pages that are not articles as skipped, with the reason', async () => {
    const p = await start(configFor('skipped'), QUEUE_NAMES);
    listed = ['/articles/empty-body.html', '/articles/news-section-front.html'];
    await poll(p);
    expect(await waitForDrain(p.ctx.queues, Date.now() + 45_000, 100)).toBe(true);
    const storage = await p.ctx.storage();
    expect(await storage.ledgerItem(itemKey({ url: url('/articles/empty-body.html'), guid: '' }))).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/^empty: /) });
    expect(await storage.ledgerItem(itemKey({ url: url('/articles/news-section-front.html'), guid: '' }))).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/^not-an-article: /) });
    expect(await storage.ledgerCounts()).toEqual({ pending: 0, stored: 0, skipped: 2, failed: 0 });
  });

  it('settles as failed a stale item whose job failed without settling it (stalled too often)', async () => {
    const p = await start(configFor('stalled'), ['feeds']);
    listed = ['/articles/night-train-feature.html'];
    await poll(p);
    const key = itemKey({ url: url('/articles/night-train-feature.html'), guid: '' });
    // What BullMQ's stall check does to a job taken back too often: failed, no processor involved.
    expect(await failNextJob(p, 'fetch', 'job stalled more than allowable limit')).toBe(jobId('fetch', key));
    expect(await p.ctx.queues.fetch.getJobState(jobId('fetch', key))).toBe('failed');
    expect(await reconcileOnce(p.ctx, { staleAfterMs: 0 })).toMatchObject({ looked: 1, failed: 1, requeued: 0 });
    expect(await (await p.ctx.storage()).ledgerItem(key)).toMatchObject({ state: 'failed', reason: 'job stalled more than allowable limit' });
  });

  it.each([
    ['expired from Redis', 'NL_PAGE_EXPIRED: extract URL: the fetched page has expired from Redis'],
    ['does not unpack', 'NL_PAGE_CORRUPT: extract URL: the stored page does not unpack: incorrect header check'],
  ])('fetches again a stale item whose page %s before extraction, instead of settling it failed', async (_, reason) => {
    const p = await start(configFor(`refetch-${reason.slice(0, 15)}`), ['feeds']);
    listed = ['/articles/river-gauge-talks.html'];
    await poll(p);
    const key = itemKey({ url: url('/articles/river-gauge-talks.html'), guid: '' });
    await failNextJob(p, 'fetch', reason.replace('URL', url('/articles/river-gauge-talks.html')));
    expect(await p.ctx.queues.fetch.getJobState(jobId('fetch', key))).toBe('failed');
    expect(await reconcileOnce(p.ctx, { staleAfterMs: 0 })).toMatchObject({ looked: 1, failed: 0, requeued: 1 });
    expect(await p.ctx.queues.fetch.getJobState(jobId('fetch', key))).toBe('waiting');
    expect(await (await p.ctx.storage()).ledgerItem(key)).toMatchObject({ state: 'pending', requeues: 1 });
  });
});
