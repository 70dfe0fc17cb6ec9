// Chaos R11 (issue 9): a connection whose peer goes silent without closing it (a partition that
// outlives the socket, a dropped NAT entry, a rebooted peer) stayed "ready" for ever in ioredis, so
// a worker waited on it without a word. The fault proxy makes the open connections silent for good
// while new ones pass (`half-open`), in front of a real redis-server.
import { Queue, Worker, type Job } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../chaos/redis-proxy.js';
import { createRedis, hashTagPrefix } from '../../queues/connection.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';

// Short, so the test is quick; the defaults are 5 s and 15 s.
const LIVENESS = { everyMs: 200, timeoutMs: 1000 };

describe('a Redis connection that goes silent without closing', () => {
  const t = useTestRedis();
  let proxy: FaultProxy;
  let url = '';

  beforeEach(async () => {
    proxy = new FaultProxy(t.server.port);
    url = `redis://127.0.0.1:${await proxy.listen()}`;
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('is given up with NL_REDIS_UNRESPONSIVE and made again, and the command waiting on it is answered', async () => {
    const redis = createRedis(url, 'liveness-test', LIVENESS);
    const codes: string[] = [];
    redis.on('error', (err: Error & { code?: string }) => codes.push(err.code ?? err.message));
    await redis.set('liveness', 'before');
    proxy.setMode('half-open');
    // Without the watchdog this GET waits for ever and the test times out.
    expect(await redis.get('liveness')).toBe('before');
    expect(codes).toContain('NL_REDIS_UNRESPONSIVE');
    redis.disconnect();
  }, 30_000);

  it('lets a BullMQ worker on it take jobs again', async () => {
    const prefix = hashTagPrefix(testPrefix());
    const conn = createRedis(url, 'liveness-worker', LIVENESS);
    conn.on('error', () => {});
    const queue = new Queue('liveness', { connection: t.redis, prefix });
    const worker = new Worker('liveness', async () => 'done', { connection: conn, prefix, drainDelay: 1 });
    worker.on('error', () => {});
    const completed = (name: string) => new Promise<void>((resolve) => worker.on('completed', (job: Job) => job.name === name && resolve()));
    try {
      const first = completed('before');
      await queue.add('before', {});
      await first;
      proxy.setMode('half-open');
      // BullMQ renews its blocking connection by itself; the one it takes and finishes jobs on
      // (this one) only the watchdog gives up. Without it the job is never taken.
      const second = completed('after');
      await queue.add('after', {});
      await second;
      expect(await queue.getJobCounts('completed')).toMatchObject({ completed: 2 });
    } finally {
      await worker.close(true);
      await queue.close();
      conn.disconnect();
    }
  }, 60_000);
});
