import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { eventStreamKey } from '../../adapters/redis/event-stream.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import { QUEUE_NAMES } from '../../queues/names.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { collect } from '../helpers/collect.js';

let redis: TestRedis;
let site: FixtureSite;
let pipeline: Pipeline;
let dir: string;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureSite();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-pipeline-'));
  const config = parseConfig({
    redis: { prefix: testPrefix() },
    storage: { sqlite: join(dir, 'newsloom.db') },
    fetch: { allowPrivateNetworks: true, timeout: '5s', perHost: { maxConcurrent: 16, minInterval: 0 } },
    queues: { attempts: 2, backoff: '50ms' },
    feeds: [{ url: site.rssUrl, name: 'Loopback Gazette' }, { url: site.atomUrl }],
  }, 'test');
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  pipeline = await startPipeline({ config, redisUrl: redis.url, log: createLogger('info', stream), stages: QUEUE_NAMES, schedule: false });
});

afterAll(async () => {
  await pipeline?.close();
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function pollAll(round: string): Promise<void> {
  for (const feedUrl of [site.rssUrl, site.atomUrl]) {
    await pipeline.ctx.queues.feeds.add('poll', { feedUrl, force: true }, { jobId: `feeds-${round}-${feedUrl.length}-${feedUrl.endsWith('rss.xml') ? 'r' : 'a'}` });
  }
  expect(await waitForDrain(pipeline.ctx.queues, Date.now() + 45_000, 100)).toBe(true);
}

describe('the pipeline on real Redis and SQLite', () => {
  it('takes every article of both feeds from feed to SQLite row', async () => {
    await pollAll('first');
    const stored = (await collect((await pipeline.ctx.storage()).articles()));
    const articlePages = [...site.pages].filter(([, e]) => e.skipped === null);
    expect(stored.map((a) => a.canonicalUrl).sort()).toEqual(articlePages.map(([u]) => u).sort());
    for (const [url, expected] of articlePages) {
      const a = stored.find((s) => s.canonicalUrl === url)!;
      expect(a.title).toBe(expected.title);
      for (const snippet of expected.with) expect(a.text).toContain(snippet);
      for (const snippet of expected.without) expect(a.text).not.toContain(snippet);
      expect(a.feed?.url).toMatch(/\/feeds\/(rss|atom)\.xml$/);
      expect(a.enrichment.language?.version).toBe('1');
    }
  });

  it('fails a 500 page after its retries and a 404 at once, each with a readable reason', async () => {
    const failed = await pipeline.ctx.queues.fetch.getFailed(0, -1);
    const byUrl = new Map(failed.map((j) => [(j.data as { url: string }).url, j]));
    const serverError = byUrl.get(site.brokenUrls.serverError)!;
    const notFound = byUrl.get(site.brokenUrls.notFound)!;
    expect(serverError.failedReason).toBe(`NL_HTTP_STATUS: GET ${site.brokenUrls.serverError} answered 500`);
    expect(serverError.attemptsMade).toBe(2);
    expect(notFound.failedReason).toMatch(new RegExp(`^NL_HTTP_STATUS: GET ${site.brokenUrls.notFound} answered 404`));
    expect(notFound.attemptsMade).toBe(1);
    expect(site.server.hits('/broken/server-error.html')).toBe(2);
    expect(logLines.some((l) => l.msg === 'job failed' && l.stage === 'fetch' && l.level === 40)).toBe(true);
  });

  it('announces each stored article once on the events stream', async () => {
    const entries = await pipeline.ctx.redis.xrange(eventStreamKey(pipeline.ctx.config.redis.prefix), '-', '+');
    const ids = entries.map(([, fields]) => fields[fields.indexOf('articleId') + 1]);
    const stored = (await collect((await pipeline.ctx.storage()).articles()));
    expect(ids.sort()).toEqual(stored.map((a) => a.id).sort());
  });

  it('stores nothing twice when the feeds are polled again, and asks with conditional GETs', async () => {
    const before = (await collect((await pipeline.ctx.storage()).articles()));
    const pageHits = site.server.requests.filter((r) => r.path.startsWith('/articles/')).length;
    await pollAll('second');
    expect((await collect((await pipeline.ctx.storage()).articles()))).toEqual(before);
    const feedRequests = site.server.requests.filter((r) => r.path.startsWith('/feeds/'));
    expect(feedRequests.slice(-2).every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);
    expect(site.server.requests.filter((r) => r.path.startsWith('/articles/')).length).toBe(pageHits);
    const states = await pipeline.ctx.feedState.list();
    expect(states.map((s) => s.lastStatus)).toEqual(['not-modified', 'not-modified']);
  });

  it('skips a scheduled poll of a feed that is not due, without a request', async () => {
    const feedRequests = site.server.requests.filter((r) => r.path.startsWith('/feeds/')).length;
    const job = await pipeline.ctx.queues.feeds.add('poll', { feedUrl: site.rssUrl }, { jobId: 'feeds-not-due' });
    expect(await waitForDrain(pipeline.ctx.queues, Date.now() + 20_000, 100)).toBe(true);
    expect((await pipeline.ctx.queues.feeds.getJob(job.id!))?.returnvalue).toMatchObject({ skipped: 'not due' });
    expect(site.server.requests.filter((r) => r.path.startsWith('/feeds/')).length).toBe(feedRequests);
  });

  it('backs a failing feed off, doubling its wait, and records why', async () => {
    const url = `${site.server.url}/feeds/missing.xml`;
    for (const round of ['a', 'b']) {
      await pipeline.ctx.queues.feeds.add('poll', { feedUrl: url, force: true }, { jobId: `feeds-missing-${round}` });
      expect(await waitForDrain(pipeline.ctx.queues, Date.now() + 20_000, 100)).toBe(true);
    }
    const state = await pipeline.ctx.feedState.get(url);
    expect(state.consecutiveFailures).toBe(2);
    expect(state.lastError).toBe(`NL_HTTP_STATUS: GET ${url} answered 404`);
    const waitMs = Date.parse(state.nextPollAt!) - Date.parse(state.lastPollAt!);
    // Second consecutive failure: twice the 15 min interval, ±20% jitter.
    expect(waitMs).toBeGreaterThanOrEqual(24 * 60_000);
    expect(waitMs).toBeLessThanOrEqual(36 * 60_000);
  });

  it('keeps no raw page blobs once articles have moved on', async () => {
    const keys = await pipeline.ctx.redis.keys(`{${pipeline.ctx.config.redis.prefix}}:page:*`);
    expect(keys).toEqual([]);
  });
});
