import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { heldStages, watchBackpressure, type Backpressure } from '../../queues/backpressure.js';
import { createRedis } from '../../queues/connection.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

const log = createLogger('warn');

describe('heldStages', () => {
  it('holds a stage whose next queue has highWater or more waiting, and nothing else', () => {
    const stages = ['feeds', 'fetch', 'extract', 'normalise', 'dedupe', 'enrich', 'store'] as const;
    expect([...heldStages(stages, { extract: 3, enrich: 2, store: 9 }, 3)].sort()).toEqual(['enrich', 'fetch']);
    expect([...heldStages(stages, { extract: 2 }, 3)]).toEqual([]);
  });

  it('holds nothing with highWater 0, for a count not read, or for feeds and store', () => {
    expect([...heldStages(['fetch'], { extract: 1_000 }, 0)]).toEqual([]);
    expect([...heldStages(['fetch', 'extract'], { normalise: 50 }, 10)]).toEqual(['extract']);
    expect([...heldStages(['feeds', 'store'], { fetch: 99, store: 99 }, 1)]).toEqual([]);
  });
});

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watchBackpressure on real Redis', () => {
  let queues: Queues;
  let bp: Backpressure | undefined;
  const conn = () => createRedis(redis.url);
  afterEach(async () => {
    bp?.close();
    await closeQueues(queues);
  });

  it('holds fetch while extract is full, lets it go once extract drains, and releases waiters at close', async () => {
    const config = parseConfig({ redis: { prefix: testPrefix() } }, 'test');
    queues = createQueues(conn(), config);
    for (let i = 0; i < 3; i++) await queues.extract.add('extract', { n: i }, { jobId: `x${i}` });
    bp = watchBackpressure({ stages: ['fetch', 'extract'], queues, highWater: 3, log, busyPollMs: 20, idlePollMs: 20 });
    await until(() => bp!.held('fetch'), 'fetch held');
    expect(bp.held('extract')).toBe(false);
    await expect(bp.whenOpen('extract')).resolves.toBe(true);

    let opened: boolean | undefined;
    const waiting = bp.whenOpen('fetch').then((open) => (opened = open));
    await new Promise((r) => setTimeout(r, 200));
    expect(opened).toBeUndefined();
    await queues.extract.remove('x0');
    await waiting;
    expect(opened).toBe(true);
    expect(bp.held('fetch')).toBe(false);

    await queues.extract.add('extract', { n: 3 }, { jobId: 'x3' });
    await until(() => bp!.held('fetch'), 'fetch held again');
    const aborted = new AbortController();
    const byAbort = bp.whenOpen('fetch', aborted.signal);
    const byClose = bp.whenOpen('fetch');
    aborted.abort();
    await expect(byAbort).resolves.toBe(false);
    bp.close();
    await expect(byClose).resolves.toBe(false);
  });

  it('holds nothing with highWater 0', async () => {
    const config = parseConfig({ redis: { prefix: testPrefix() } }, 'test');
    queues = createQueues(conn(), config);
    for (let i = 0; i < 5; i++) await queues.extract.add('extract', { n: i }, { jobId: `x${i}` });
    const changes: string[][] = [];
    bp = watchBackpressure({ stages: ['fetch'], queues, highWater: 0, log, busyPollMs: 20, idlePollMs: 20, onChange: (h) => changes.push([...h]) });
    await new Promise((r) => setTimeout(r, 200));
    expect(bp.held('fetch')).toBe(false);
    expect(changes).toEqual([]);
  });
});

describe('a pipeline whose next queue is full', () => {
  let site: FixtureServer;
  let pipeline: Pipeline | undefined;
  afterAll(async () => {
    await pipeline?.close();
    await site?.close();
  });

  it('fetches nothing while extract holds highWater jobs, fetches again once it drains, and hands a held job back at shutdown without a try spent', async () => {
    site = await startFixtureServer();
    const pages = ['a', 'b', 'c', 'd', 'e'];
    for (const p of pages) {
      // Slow pages, so that fetching again after a release is slower than the watch's reading.
      site.route(`/${p}.html`, (_req, res) => {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(`<html><head><title>${p}</title></head><body><p>${'words '.repeat(100)}</p></body></html>`);
        }, 400);
      });
    }
    const config = parseConfig({
      redis: { prefix: testPrefix() },
      fetch: { allowPrivateNetworks: true, timeout: '5s', perHost: { maxConcurrent: 4, minInterval: 0 } },
      queues: { attempts: 2, highWater: 3, concurrency: { fetch: 1 } },
      feeds: [{ url: `${site.url}/feed.xml`, robots: false }],
    }, 'test');
    // extract runs nowhere: three jobs there fill it to highWater before fetch starts.
    const feeder = createQueues(createRedis(redis.url), config);
    for (let i = 0; i < 3; i++) await feeder.extract.add('extract', { n: i }, { jobId: `filler-${i}` });
    pipeline = await startPipeline({ config, redisUrl: redis.url, log, stages: ['fetch'], schedule: false });
    await until(() => pipeline!.backpressure.held('fetch'), 'fetch held');
    const feed = { url: `${site.url}/feed.xml` };
    for (const p of pages) {
      const url = `${site.url}/${p}.html`;
      await pipeline.ctx.queues.fetch.add('fetch', { feed, url, guid: url, discoveredAt: new Date().toISOString() }, { jobId: `fetch-${p}` });
    }
    // One job is taken and held in fetch's one slot; none is fetched.
    await until(async () => (await pipeline!.ctx.queues.fetch.getActiveCount()) === 1, 'one fetch job taken');
    await new Promise((r) => setTimeout(r, 1_000));
    const hits = () => pages.reduce((n, p) => n + site.hits(`/${p}.html`), 0);
    expect(hits()).toBe(0);
    expect(await pipeline.ctx.queues.fetch.getWaitingCount()).toBe(4);
    const heldJobs = () => pipeline!.ctx.metrics.get('newsloom_jobs_held_total', { stage: 'fetch' });
    expect(heldJobs()).toBe(1);

    // Two fillers leave: fetch runs until extract is full again.
    await feeder.extract.remove('filler-0');
    await feeder.extract.remove('filler-1');
    await until(() => hits() >= 2, 'two pages fetched');
    await until(() => pipeline!.backpressure.held('fetch'), 'fetch held again');
    expect(await feeder.extract.getWaitingCount()).toBeGreaterThanOrEqual(3);
    await until(() => heldJobs() === 2, 'a fetch job held again');

    // Shutdown while a job is held: it goes back to be taken again, with no try spent and no failure.
    const fetchedBefore = hits();
    const held = (await pipeline.ctx.queues.fetch.getActive())[0]!;
    await pipeline.close();
    pipeline = undefined;
    const back = (await feeder.fetch.getJob(held.id!))!;
    expect(await back.getState()).toMatch(/^(waiting|delayed)$/);
    expect(back.attemptsMade).toBe(0);
    expect(await feeder.fetch.getFailedCount()).toBe(0);
    expect(hits()).toBe(fetchedBefore);
    await closeQueues(feeder);
  });
});
