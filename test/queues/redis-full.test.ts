import { Writable } from 'node:stream';
import type { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { Metrics } from '../../lib/metrics.js';
import { createRedis } from '../../queues/connection.js';
import { closeQueues, createQueues } from '../../queues/queues.js';
import { hasRoom, isRedisFull, redisMemoryWatch } from '../../queues/redis-memory.js';
import { createWorkerContext } from '../../workers/context.js';
import { defineWorker, startWorker } from '../../workers/define.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

function logLines() {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(JSON.parse(chunk.toString())), done()) });
  return { lines, log: createLogger('info', sink), count: (msg: string) => lines.filter((l) => l.msg === msg).length };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('isRedisFull', () => {
  it('knows the noeviction refusal, also wrapped by BullMQ, and nothing else', () => {
    expect(isRedisFull(new Error("OOM command not allowed when used memory > 'maxmemory'. script: d96ca626f1ea141b"))).toBe(true);
    expect(isRedisFull(new Error("Failed to add repeatable job for next iteration: OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
    expect(isRedisFull(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(false);
    expect(isRedisFull('ROOM command')).toBe(false);
  });
});

describe('Redis full under noeviction (chaos case redis-full)', () => {
  it('parks a producer whose enqueue is refused without spending a try, does not spin asking for jobs, logs the episode in two lines, and drains once there is room', async () => {
    const prefix = testPrefix();
    const config = parseConfig({ redis: { prefix }, queues: { concurrency: { feeds: 1 } } }, 'test');
    const { lines, log, count } = logLines();
    const redis = createRedis(t.server.url);
    const queues = createQueues(redis, config);
    const memory = redisMemoryWatch(redis, log, { pollMs: 100 });
    const ctx = createWorkerContext({ config, log, metrics: new Metrics(), redis, queues });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A producer: each feeds job enqueues one fetch job, the first one only once the test says so.
    const def = defineWorker('feeds', async (job, c) => {
      if (job.id === 'f1') await gate;
      const url = `https://news.example/${job.id}`;
      await c.enqueue('fetch', { feed: { url: job.data.feedUrl }, url, guid: url, discoveredAt: new Date().toISOString() }, url);
      return { enqueued: url };
    });
    let worker: Worker | null = null;
    cleanups.push(async () => {
      await t.redis.config('SET', 'maxmemory', '0');
      memory.close();
      await worker?.close(true);
      await closeQueues(queues);
      await ctx.close();
      await redis.quit();
    });
    const feedUrl = 'https://news.example/feed.xml';
    await queues.feeds.add('poll', { feedUrl }, { jobId: 'f1' });
    worker = startWorker(def, ctx, { memory });
    await until('f1 to run', async () => (await queues.feeds.getJobState('f1')) === 'active');
    for (const id of ['f2', 'f3', 'f4']) await queues.feeds.add('poll', { feedUrl }, { jobId: id });

    // Full: every write that may grow memory is refused (OOM), INFO still answers.
    await t.redis.config('SET', 'maxmemory', '1');
    release();
    await until('f1 parked', async () => (await queues.feeds.getJobState('f1')) === 'delayed');
    const parked = await queues.feeds.getJob('f1');
    expect(parked?.attemptsMade).toBe(0);
    const full = lines.filter((l) => l.msg.startsWith('Redis is full'));
    expect(full).toHaveLength(1);
    expect(full[0]!.msg).toMatch(/^Redis is full \(used_memory [\d.]+ MB of maxmemory 0\.0 MB, policy noeviction\): producers wait$/);
    // The waiting jobs cannot be taken while full (moving them to active is a refused write):
    // BullMQ would ask again at once, thousands of times a second, each an 'error' event.
    const refusedBefore = await oomCount();
    await until('the worker to have asked for a job again a few times', async () => (await oomCount()) >= refusedBefore + 2, 30_000);
    expect(count('worker error')).toBe(0);
    expect(count('job will retry')).toBe(0);
    expect(await queues.feeds.getWaitingCount()).toBe(3);

    await t.redis.config('SET', 'maxmemory', '0');
    await until('every feeds job done', async () => (await queues.feeds.getCompletedCount()) === 4);
    expect(await queues.fetch.getWaitingCount()).toBe(4);
    // Completed on its first counted try: the refused run was not one.
    expect((await queues.feeds.getJob('f1'))?.attemptsMade).toBe(1);
    expect(lines.filter((l) => l.msg.startsWith('Redis is full'))).toHaveLength(1);
    expect(count('Redis has room again: producers resume')).toBe(1);
    expect(count('worker error')).toBe(0);
  }, 120_000);
});

async function oomCount(): Promise<number> {
  return Number(/errorstat_OOM:count=(\d+)/.exec(await t.redis.info('errorstats'))?.[1] ?? 0);
}

describe('hasRoom', () => {
  it('needs used_memory a margin under maxmemory (1 MB, or 2% of a large limit), so a Redis hovering at its limit is one episode', () => {
    expect(hasRoom(5_000_000, 0)).toBe(true);
    expect(hasRoom(9_983_424, 10_069_368)).toBe(false);
    expect(hasRoom(10_069_368 - 1_048_576, 10_069_368)).toBe(true);
    expect(hasRoom(1_000_000_000 - 10_000_000, 1_000_000_000)).toBe(false);
    expect(hasRoom(1_000_000_000 - 20_000_000, 1_000_000_000)).toBe(true);
  });
});
