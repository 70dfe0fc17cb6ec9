import { readFileSync } from 'node:fs';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { hashTagPrefix } from '../../queues/connection.js';
import { scheduleFeeds } from '../../queues/schedule-feeds.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let site: FixtureServer;
let pipeline: Pipeline;
const prefix = testPrefix();
const events: QueueEvents[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureServer();
  site.route('/robots.txt', { status: 404 });
});
afterAll(async () => {
  await Promise.all(events.map((e) => e.close()));
  await pipeline?.close();
  await site?.close();
  await redis?.stop();
});

async function queueEvents(name: string): Promise<QueueEvents> {
  const e = new QueueEvents(name, { connection: { url: redis.url } as never, prefix: hashTagPrefix(prefix) });
  events.push(e);
  await e.waitUntilReady();
  return e;
}

describe('a host asking us to wait (issue 4)', () => {
  it('parks a fetch job answered 429 and completes it on its only attempt after Retry-After', async () => {
    const feedUrl = `${site.url}/feed.xml`;
    const config = parseConfig({
      redis: { prefix },
      fetch: { allowPrivateNetworks: true, timeout: '5s', perHost: { maxConcurrent: 1, minInterval: '10ms' } },
      queues: { attempts: 1 },
      log: { level: 'warn' },
      feeds: [{ url: feedUrl, interval: '1h', robots: false }],
    }, 'test');
    pipeline = await startPipeline({ config, redisUrl: redis.url, log: createLogger('warn'), stages: ['feeds', 'fetch'], schedule: false });
    const hitsAt: number[] = [];
    site.route('/a.html', (_req, res, hit) => {
      hitsAt.push(Date.now());
      res.writeHead(hit === 1 ? 429 : 200, hit === 1 ? { 'retry-after': '1' } : { 'content-type': 'text/html; charset=utf-8' });
      res.end(hit === 1 ? '' : `<html><head><title>A</title></head><body><article><p>${'words '.repeat(200)}</p></article></body></html>`);
    });
    const url = `${site.url}/a.html`;
    const job = await pipeline.ctx.queues.fetch.add('fetch', { feed: { url: feedUrl }, url, guid: url, discoveredAt: new Date().toISOString() }, { jobId: 'fetch-a' });
    await job.waitUntilFinished(await queueEvents('fetch'), 30_000);
    const done = await pipeline.ctx.queues.fetch.getJob('fetch-a');
    expect(done?.failedReason ?? null).toBeNull();
    expect(done?.attemptsMade).toBe(1);
    expect(hitsAt).toHaveLength(2);
    expect(hitsAt[1]! - hitsAt[0]!).toBeGreaterThanOrEqual(1_000 - 20);
  });

  it('parks a scheduler-made feed poll answered 503 without marking the feed failed', async () => {
    const rss = readFileSync(new URL('../fixtures/feeds/rss2.xml', import.meta.url));
    site.route('/feed.xml', (_req, res, hit) => {
      res.writeHead(hit === 1 ? 503 : 200, hit === 1 ? { 'retry-after': '1' } : { 'content-type': 'application/rss+xml' });
      res.end(hit === 1 ? '' : rss);
    });
    const feeds = await queueEvents('feeds');
    const delayed: string[] = [];
    feeds.on('delayed', ({ jobId }) => delayed.push(jobId));
    const completed = new Promise<string>((ok) => feeds.on('completed', ({ jobId }) => ok(jobId)));
    await scheduleFeeds(pipeline.ctx.queues.feeds, pipeline.ctx.config);
    const id = await completed;
    const state = await pipeline.ctx.feedState.get(`${site.url}/feed.xml`);
    expect(delayed).toContain(id);
    expect(site.hits('/feed.xml')).toBe(2);
    // robots: false on the feed covers its articles too, so neither test asked for robots.txt.
    expect(site.hits('/robots.txt')).toBe(0);
    expect(state).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0 });
  });
});
