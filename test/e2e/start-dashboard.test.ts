import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, redisAnswers } from '../../adapters/redis/spawn-redis.js';
import { runCli, startCli, waitForHttp } from '../helpers/cli.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

// Whether something already answers on the default Redis port: the no-Redis cases need it free.
const defaultPortBusy = await redisAnswers('127.0.0.1', 6379);
if (defaultPortBusy) console.log('skipping the no-Redis and private-Redis cases: something already answers on 127.0.0.1:6379');
let redis: TestRedis;
let dir: string;
const prefix = testPrefix();

function writeConfig(name: string, port: number, feeds: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `redis:\n  url: ${redis.url}\n  prefix: ${prefix}\nstorage:\n  sqlite: ${join(dir, 'db.sqlite')}\n` +
    `dashboard:\n  port: ${port}\nlog:\n  level: warn\nfeeds:\n${feeds.map((f) => `  - url: ${f}\n    interval: 1h\n`).join('')}`);
  return path;
}

async function schedulerUrls(): Promise<string[]> {
  const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  const q = new Queue('feeds', { connection: conn, prefix: `{${prefix}}` });
  const list = await q.getJobSchedulers(0, -1);
  await q.close();
  await conn.quit();
  return list.map((s) => (s.template?.data as { feedUrl: string }).feedUrl).sort();
}

beforeAll(async () => {
  redis = await startTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-dash-'));
});
afterAll(async () => {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('newsloom start', () => {
  it('serves Bull Board, health, metrics and feed state, schedules each feed, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    // Feeds on a closed port: polls fail, which the dashboard must show rather than hide.
    const feeds = ['http://127.0.0.1:9/a.xml', 'http://127.0.0.1:9/b.xml'];
    const app = startCli(['start', '--config', writeConfig('a.yaml', port, feeds)]);
    try {
      expect(await waitForHttp(`http://127.0.0.1:${port}/health`), app.output().stderr).toBe(true);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      // Under `newsloom start` the dashboard reaches storage: ready, and the article API answers.
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const articles = await fetch(`http://127.0.0.1:${port}/api/articles?limit=5`);
      expect(articles.status).toBe(200);
      expect(await articles.json()).toMatchObject({ articles: expect.any(Array) });
      const board = await fetch(`http://127.0.0.1:${port}/queues`);
      expect(board.status).toBe(200);
      expect(await board.text()).toMatch(/<div id="root">|bull/i);
      const queuesApi = (await (await fetch(`http://127.0.0.1:${port}/queues/api/queues`)).json()) as { queues: Array<{ name: string }> };
      expect(queuesApi.queues.map((q) => q.name).sort()).toEqual(['dedupe', 'enrich', 'extract', 'feeds', 'fetch', 'normalise', 'store']);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^newsloom_queue_jobs\{queue="fetch",state="waiting"\} \d+$/m);
      expect(await (await fetch(`http://127.0.0.1:${port}/api/feeds`)).json()).toBeInstanceOf(Array);
      expect(await schedulerUrls()).toEqual(feeds);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  });

  it('removes the schedule of a feed taken out of the config on restart', async () => {
    const port = await freePort();
    const app = startCli(['start', '--config', writeConfig('b.yaml', port, ['http://127.0.0.1:9/a.xml'])]);
    try {
      expect(await waitForHttp(`http://127.0.0.1:${port}/health`), app.output().stderr).toBe(true);
      expect(await schedulerUrls()).toEqual(['http://127.0.0.1:9/a.xml']);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  });
});

describe('newsloom without Redis', () => {
  it.skipIf(defaultPortBusy)('prints one line on how to get Redis and exits 1 when there is no redis-server', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'newsloom-noredis-'));
    writeFileSync(join(cwd, 'c.yaml'), 'log:\n  level: warn\n');
    const r = await runCli(['start', '--once', '--config', join(cwd, 'c.yaml')], { cwd, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'newsloom: newsloom needs Redis: install it (apt-get install redis-server, or brew install redis), run `docker compose up -d redis`, or set REDIS_URL',
    ]);
    rmSync(cwd, { recursive: true, force: true });
  });
});

describe('newsloom with no Redis configured', () => {
  it.skipIf(defaultPortBusy)('starts a private redis-server with AOF under ./data/redis and stops it on exit', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'newsloom-private-'));
    writeFileSync(join(cwd, 'c.yaml'), `storage:\n  sqlite: ./data/newsloom.db\nlog:\n  level: info\n`);
    const r = await runCli(['start', '--once', '--config', join(cwd, 'c.yaml')], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('started private redis-server');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(cwd, 'data', 'redis', 'appendonlydir'))).toBe(true);
    expect(await redisAnswers('127.0.0.1', 6379)).toBe(false);
    rmSync(cwd, { recursive: true, force: true });
  });
});
