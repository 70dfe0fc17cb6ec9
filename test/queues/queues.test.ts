import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { checkEvictionPolicy } from '../../queues/check-redis.js';
import { closeQueues, createQueues, enqueue, jobId, type Queues } from '../../queues/queues.js';
import { freePort, spawnRedis, type SpawnedRedis } from '../../adapters/redis/spawn-redis.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let server: TestRedis;
let redis: Redis;
let queues: Queues;
const prefix = testPrefix();

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  queues = createQueues(redis, parseConfig({ redis: { prefix } }, 'test'));
});
afterAll(async () => {
  await closeQueues(queues);
  await redis?.quit();
  await server?.stop();
});

const item = { feed: { url: 'https://f.example/rss' }, url: 'https://a.example/1', guid: 'g1', discoveredAt: '2026-11-25T00:00:00.000Z' };

describe('enqueue', () => {
  it('adds the same identity once: a deterministic job id without ":"', async () => {
    await enqueue(queues, 'fetch', item, 'https://a.example/1');
    await enqueue(queues, 'fetch', { ...item, guid: 'g2' }, 'https://a.example/1');
    const jobs = await queues.fetch.getWaiting();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.id).toBe(jobId('fetch', 'https://a.example/1'));
    expect(jobs[0]!.id).toMatch(/^fetch-[0-9a-f]{40}$/);
    expect(jobs[0]!.opts.attempts).toBe(5);
    expect(jobs[0]!.opts.backoff).toEqual({ type: 'exponential', delay: 5000 });
  });

  it('writes every key under the {prefix} hash tag', async () => {
    const keys = await redis.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith(`{${prefix}}:`))).toBe(true);
  });

  it('refuses a payload that does not match the queue schema', async () => {
    await expect(enqueue(queues, 'fetch', { ...item, url: 42 } as never, 'x')).rejects.toThrow(/url/);
  });
});

describe('checkEvictionPolicy', () => {
  let lru: SpawnedRedis;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsloom-lru-'));
    lru = await spawnRedis({ port: await freePort(), dir, appendonly: false, args: ['--maxmemory-policy', 'allkeys-lru'] });
  });
  afterAll(async () => {
    await lru?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Catalogue R13: a warning is not enough; an evicting Redis loses jobs silently.
  it('refuses a Redis that may evict keys, naming the setting, and passes noeviction', async () => {
    const lines: Array<{ level: number; policy?: string; msg: string }> = [];
    const stream = new Writable({ write: (c: Buffer, _e, done) => { lines.push(JSON.parse(c.toString())); done(); } });
    const log = createLogger('info', stream);
    const conn = new Redis(lru.url);
    await expect(checkEvictionPolicy(conn, log)).rejects.toMatchObject({ code: 'NL_REDIS_POLICY', message: expect.stringMatching(/^redis maxmemory-policy is allkeys-lru: expected noeviction/) });
    await conn.quit();
    expect(await checkEvictionPolicy(redis, log)).toBe('noeviction');
    expect(lines).toHaveLength(0);
  });
});

describe('feed schedules', () => {
  it('upserts one scheduler per feed, and restores only those Redis lost', async () => {
    const { scheduleFeeds, restoreMissingSchedules, schedulerId } = await import('../../queues/schedule-feeds.js');
    const config = parseConfig({ redis: { prefix }, feeds: [{ url: 'https://a.example/rss' }, { url: 'https://b.example/rss', interval: '1h' }] }, 'test');
    await scheduleFeeds(queues.feeds, config);
    const before = await queues.feeds.getJobScheduler(schedulerId('https://a.example/rss'));
    expect(before?.every).toBe(15 * 60_000);
    expect(await restoreMissingSchedules(queues.feeds, config)).toBe(0);
    await queues.feeds.removeJobScheduler(schedulerId('https://b.example/rss'));
    expect(await restoreMissingSchedules(queues.feeds, config)).toBe(1);
    expect((await queues.feeds.getJobScheduler(schedulerId('https://b.example/rss')))?.every).toBe(60 * 60_000);
    // The one that was there keeps its next run: restoring does not push polls back.
    expect((await queues.feeds.getJobScheduler(schedulerId('https://a.example/rss')))?.next).toBe(before?.next);
  });

  it('spreads feeds over the interval at a fixed slot each, and polls a new feed once right away', async () => {
    const { scheduleFeeds, schedulerId, pollOffsets } = await import('../../queues/schedule-feeds.js');
    const q = createQueues(redis, parseConfig({ redis: { prefix: testPrefix() } }, 'test')).feeds;
    const urls = Array.from({ length: 40 }, (_, i) => `https://f${i}.example/rss`);
    const config = parseConfig({ feeds: urls.map((url) => ({ url })) }, 'test');
    const start = Date.now();
    expect(await scheduleFeeds(q, config)).toEqual({ upserted: 40, removed: 0 });
    const every = 15 * 60_000;
    const offsets = pollOffsets(urls.map((url) => ({ url, everyMs: every })));
    const nexts = await Promise.all(urls.map(async (url) => (await q.getJobScheduler(schedulerId(url)))!));
    for (const [i, s] of nexts.entries()) {
      expect(s.offset).toBe(offsets.get(urls[i]!));
      expect(s.next! % every).toBe(s.offset);
      expect(s.next!).toBeGreaterThan(start);
      expect(s.next!).toBeLessThanOrEqual(Date.now() + every);
    }
    // 40 slots over 15 minutes: not bunched in one corner of the interval.
    const minutes = new Set(nexts.map((s) => Math.floor((s.offset! / every) * 15)));
    expect(minutes.size).toBeGreaterThan(8);
    expect((await q.getWaiting()).map((j) => j.id).sort()).toEqual(urls.map((u) => jobId('feeds', `first ${u}`)).sort());
    // A restart writes nothing and queues no second first poll.
    expect(await scheduleFeeds(q, config)).toEqual({ upserted: 0, removed: 0 });
    expect(await q.getWaitingCount()).toBe(40);
    await q.close();
  });

  it('spaces the feeds of one host evenly over their interval, so per-host limits never queue them', async () => {
    const { pollOffsets } = await import('../../queues/schedule-feeds.js');
    const every = 15 * 60_000;
    const feeds = Array.from({ length: 100 }, (_, i) => ({ url: `https://news.example/section/${i}.xml`, everyMs: every }));
    const slots = [...pollOffsets([...feeds, { url: 'https://other.example/rss', everyMs: every }]).entries()]
      .filter(([url]) => url.startsWith('https://news.example/')).map(([, o]) => o).sort((a, b) => a - b);
    const gaps = slots.map((o, i) => (i === 0 ? slots[0]! + every - slots[slots.length - 1]! : o - slots[i - 1]!));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(every / 100 - 1);
    // The same list gives the same slots: a restart moves nothing.
    expect(pollOffsets(feeds)).toEqual(pollOffsets([...feeds].reverse()));
  });

  it('moves a scheduler made without an offset (an older newsloom) onto its slot', async () => {
    const { scheduleFeeds, schedulerId, pollOffsets } = await import('../../queues/schedule-feeds.js');
    const q = createQueues(redis, parseConfig({ redis: { prefix: testPrefix() } }, 'test')).feeds;
    const url = 'https://old.example/rss';
    await q.upsertJobScheduler(schedulerId(url), { every: 15 * 60_000 }, { name: 'poll', data: { feedUrl: url } });
    expect(await scheduleFeeds(q, parseConfig({ feeds: [{ url }] }, 'test'))).toEqual({ upserted: 1, removed: 0 });
    const s = await q.getJobScheduler(schedulerId(url));
    expect(s?.offset).toBe(pollOffsets([{ url, everyMs: 15 * 60_000 }]).get(url));
    expect(s!.next! % (15 * 60_000)).toBe(s?.offset);
    // One future iteration, at the slot (an old iteration already due stays, a poll that was due anyway).
    const delayed = await q.getDelayed();
    expect(delayed.map((j) => j.id)).toEqual([`repeat:${schedulerId(url)}:${s!.next}`]);
    await q.close();
  });
});
