import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { eventStreamKey } from '../../adapters/redis/event-stream.js';
import { feedTransition } from '../../workers/feed-health.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { startReceiver, until, type Receiver } from './webhooks-receiver.js';

let redis: TestRedis;
let site: FixtureServer;
let receiver: Receiver;
let dir: string;
// Two workers of the feeds stage, as two processes would be: own Redis connections, own database connections.
let first: Pipeline;
let second: Pipeline;
let failing = true;

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureServer();
  receiver = await startReceiver();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-feed-health-'));
  site.route('/feed.xml', (_req, res) => {
    if (failing) res.writeHead(500).end('down for maintenance');
    else res.writeHead(304, { etag: '"v1"' }).end();
  });
  const config = parseConfig({
    redis: { prefix: testPrefix() },
    storage: { sqlite: join(dir, 'newsloom.db') },
    fetch: { allowPrivateNetworks: true, robots: false, perHost: { maxConcurrent: 8, minInterval: 0 } },
    queues: { attempts: 1 },
    events: { feedFailingAfter: 2, webhooks: [{ name: 'ops', url: receiver.url, secret: 'ops-secret-0123456789' }], delivery: { backoff: 20, maxBackoff: 200 } },
    feeds: [{ url: `${site.url}/feed.xml`, name: 'Flaky' }],
  }, 'test');
  const start = (stages: Array<'feeds' | 'store'>) =>
    startPipeline({ config, redisUrl: redis.url, log: createLogger('silent'), stages, schedule: false });
  first = await start(['feeds', 'store']);
  second = await start(['feeds']);
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  await receiver?.close();
  await site?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls the feed `n` times at once, spread over both workers, and waits until every poll finished. */
async function pollConcurrently(round: string, n: number): Promise<void> {
  const queue = first.ctx.queues.feeds;
  await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'poll', data: { feedUrl: `${site.url}/feed.xml`, name: 'Flaky', force: true }, opts: { jobId: `${round}-${i}` } })));
  await until(async () => {
    const c = await queue.getJobCounts('completed', 'failed');
    return (c.completed ?? 0) + (c.failed ?? 0) >= n * (round === 'recover' ? 2 : 1);
  });
}

const feedEvents = async () =>
  (await (await first.ctx.storage()).eventsAfter(0, 100)).filter((e) => e.type.startsWith('feed.'));

describe('feed health events with two workers racing', () => {
  it('announces feed.failing once when the feed fails feedFailingAfter tries in a row', async () => {
    await pollConcurrently('fail', 8);
    const events = await feedEvents();
    expect(events.map((e) => e.type)).toEqual(['feed.failing']);
    expect(events[0]).toMatchObject({ feedUrl: `${site.url}/feed.xml`, feedName: 'Flaky', error: expect.stringMatching(/^NL_HTTP_STATUS: .*answered 500/) });
    expect((await first.ctx.feedState.get(`${site.url}/feed.xml`)).failing).toBe(true);
  });

  it('announces feed.recovered once on the next successful polls', async () => {
    failing = false;
    await pollConcurrently('recover', 8);
    expect((await feedEvents()).map((e) => e.type)).toEqual(['feed.failing', 'feed.recovered']);
    expect((await first.ctx.feedState.get(`${site.url}/feed.xml`)).failing).toBe(false);
  });

  it('puts each on the stream once and delivers each to the webhooks once, in order', async () => {
    const entries = await first.ctx.redis.xrange(eventStreamKey(first.ctx.config.redis.prefix), '-', '+');
    expect(entries.map(([, f]) => f[f.indexOf('type') + 1])).toEqual(['feed.failing', 'feed.recovered']);
    await receiver.accepts(2);
    expect(receiver.accepted.map((d) => d.type)).toEqual(['feed.failing', 'feed.recovered']);
  });
});

describe('feedTransition', () => {
  const rec = (previousFailures: number, consecutiveFailures: number, failing = false) => ({ previousFailures, consecutiveFailures, failing });
  it('calls a feed failing only once feedFailingAfter tries in a row failed, and only once', () => {
    expect(feedTransition(rec(0, 1), false, 3)).toBeNull();
    expect(feedTransition(rec(1, 2), false, 3)).toBeNull();
    expect(feedTransition(rec(2, 3), false, 3)).toBe('feed.failing');
    expect(feedTransition(rec(3, 4, true), false, 3)).toBeNull();
    // Announcing failed last time (storage down): the next failed try asks again.
    expect(feedTransition(rec(3, 4, false), false, 3)).toBe('feed.failing');
  });
  it('calls it recovered on the first success after, and a blip that never reached the threshold nothing', () => {
    expect(feedTransition(rec(2, 0), true, 3)).toBeNull();
    expect(feedTransition(rec(5, 0, true), true, 3)).toBe('feed.recovered');
    // Another worker's success reset the count first: the flag still says failing.
    expect(feedTransition(rec(0, 0, true), true, 3)).toBe('feed.recovered');
    expect(feedTransition(rec(0, 0, false), true, 3)).toBeNull();
  });
});
