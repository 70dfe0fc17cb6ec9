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

  it('warns when Redis may evict keys, and stays quiet on noeviction', async () => {
    const lines: Array<{ level: number; policy?: string; msg: string }> = [];
    const stream = new Writable({ write: (c: Buffer, _e, done) => { lines.push(JSON.parse(c.toString())); done(); } });
    const log = createLogger('info', stream);
    const conn = new Redis(lru.url);
    expect(await checkEvictionPolicy(conn, log)).toBe('allkeys-lru');
    await conn.quit();
    expect(await checkEvictionPolicy(redis, log)).toBe('noeviction');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, policy: 'allkeys-lru' });
    expect(lines[0]!.msg).toContain('noeviction');
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
});
