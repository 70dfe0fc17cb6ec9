import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnRedis, type SpawnedRedis } from '../../adapters/redis/spawn-redis.js';
import { parseConfig } from '../../config/load.js';
import { closeQueues, createQueues } from '../../queues/queues.js';
import { startCli, type RunningCli } from '../helpers/cli.js';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site.js';
import { testPrefix } from '../helpers/redis.js';

// Redis restarted empty (no AOF, a new data directory) under a running `newsloom start`: the feed
// schedules must come back without a restart of newsloom, soon after it reconnects, not at the
// next minute's check.
let root: string;
let port: number;
let redis: SpawnedRedis | null = null;
let site: FixtureSite;
let cli: RunningCli | null = null;
const prefix = testPrefix();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'newsloom-schedules-'));
  port = await freePort();
  redis = await spawnRedis({ port, dir: join(root, 'redis-1'), appendonly: false });
  site = await startFixtureSite();
});
afterAll(async () => {
  await cli?.stop();
  await redis?.stop();
  await site?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${cli?.output().stderr.slice(-3000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('feed schedules after Redis restarts empty', () => {
  it('are rebuilt from config soon after newsloom reconnects, and the feeds are polled at once', async () => {
    const configPath = join(root, 'newsloom.yaml');
    writeFileSync(configPath, `redis:\n  url: redis://127.0.0.1:${port}\n  prefix: ${prefix}\nstorage:\n  sqlite: ${join(root, 'db.sqlite')}\n` +
      `fetch:\n  allowPrivateNetworks: true\n  perHost: { maxConcurrent: 16, minInterval: 0ms }\npoll:\n  interval: 1h\n` +
      `dashboard:\n  enabled: false\nlog:\n  level: info\nfeeds:\n  - url: ${site.rssUrl}\n  - url: ${site.atomUrl}\n`);
    cli = startCli(['start', '--config', configPath]);
    const queues = (conn: Redis) => createQueues(conn, parseConfig({ redis: { prefix } }, 'test'));
    const schedulers = async () => {
      const conn = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, lazyConnect: true });
      conn.on('error', () => {});
      try {
        await conn.connect();
        const q = queues(conn);
        const n = (await q.feeds.getJobSchedulers(0, -1)).length;
        await closeQueues(q);
        return n;
      } catch {
        return -1;
      } finally {
        conn.disconnect();
      }
    };
    await until('the two feed schedules', async () => (await schedulers()) === 2, 90_000);
    const rssPolls = () => site.server.hits(new URL(site.rssUrl).pathname);
    await until('a first poll', async () => rssPolls() > 0, 60_000);
    const pollsBefore = rssPolls();

    await redis!.stop();
    redis = await spawnRedis({ port, dir: join(root, 'redis-2'), appendonly: false });
    expect(await schedulers()).toBe(0);
    // Well under the once-a-minute check: the reconnect itself triggers the rebuild.
    await until('the schedules rebuilt after the empty restart', async () => (await schedulers()) === 2, 40_000);
    await until('a poll of the feed after the restart', async () => rssPolls() > pollsBefore, 40_000);
    expect(cli.output().stderr).toContain('feed schedules were missing from Redis and were restored');
  }, 240_000);
});
