import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { freePort, spawnRedis, type SpawnedRedis } from '../../adapters/redis/spawn-redis.js';

export interface TestRedis extends SpawnedRedis {
  dir: string;
}

export interface TestRedisOptions {
  /** AOF with `appendfsync everysec`, as one would run it (benchmarks); tests run without. */
  appendonly?: boolean;
}

/** A real redis-server on a free loopback port with its own temp dir; call stop() in afterAll. */
export async function startTestRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-redis-'));
  const redis = await spawnRedis({ port: await freePort(), dir, appendonly: opts.appendonly ?? false });
  return {
    ...redis,
    dir,
    stop: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh key prefix per test, so tests sharing one Redis never see each other's queues. */
export function testPrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

/**
 * A test Redis and one client for the calling test file: started in beforeAll, stopped in
 * afterAll. Read `server` and `redis` inside tests (they are set once beforeAll has run).
 */
export function useTestRedis(): { readonly server: TestRedis; readonly redis: Redis } {
  const ctx = {} as { server: TestRedis; redis: Redis };
  beforeAll(async () => {
    ctx.server = await startTestRedis();
    ctx.redis = new Redis(ctx.server.url);
  });
  afterAll(async () => {
    await ctx.redis?.quit();
    await ctx.server?.stop();
  });
  return ctx;
}
