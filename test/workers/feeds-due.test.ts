import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { hashTagPrefix } from '../../queues/connection.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let site: FixtureServer;
let pipeline: Pipeline;
let events: QueueEvents;
const prefix = testPrefix();

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureServer();
  site.route('/feed.xml', { status: 304, headers: { etag: '"v1"' } });
  const config = parseConfig({
    redis: { prefix }, fetch: { allowPrivateNetworks: true, robots: false }, feeds: [{ url: `${site.url}/feed.xml` }],
  }, 'test');
  pipeline = await startPipeline({ config, redisUrl: redis.url, log: createLogger('silent'), stages: ['feeds'], schedule: false });
  events = new QueueEvents('feeds', { connection: { url: redis.url } as never, prefix: hashTagPrefix(prefix) });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await pipeline?.close();
  await site?.close();
  await redis?.stop();
});

async function tick(id: string): Promise<unknown> {
  const job = await pipeline.ctx.queues.feeds.add('poll', { feedUrl: `${site.url}/feed.xml` }, { jobId: id });
  return job.waitUntilFinished(events, 10_000);
}

describe('a scheduler tick of the feeds worker', () => {
  it('polls when the feed is due within a minute: the last poll ended a little after this tick was planned', async () => {
    const url = `${site.url}/feed.xml`;
    await pipeline.ctx.feedState.record(url, null, { kind: 'not-modified', nextPollAt: new Date(Date.now() + 20_000).toISOString() });
    expect(await tick('feeds-due-soon')).toEqual({ notModified: true });
    expect(site.hits('/feed.xml')).toBe(1);
  });

  it('skips a feed that asked to wait minutes longer, without a request', async () => {
    const url = `${site.url}/feed.xml`;
    await pipeline.ctx.feedState.record(url, null, { kind: 'not-modified', nextPollAt: new Date(Date.now() + 5 * 60_000).toISOString() });
    expect(await tick('feeds-not-due')).toMatchObject({ skipped: 'not due' });
    expect(site.hits('/feed.xml')).toBe(1);
  });
});
