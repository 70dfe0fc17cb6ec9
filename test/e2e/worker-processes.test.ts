import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import { closeQueues, createQueues } from '../../queues/queues.js';
import type { Article } from '../../stages/article.js';
import { runCli, startCli } from '../helpers/cli.js';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let site: FixtureSite;
let dir: string;
let configPath: string;
const prefix = testPrefix();

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureSite();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-workers-'));
  configPath = join(dir, 'newsloom.yaml');
  writeFileSync(configPath, `redis:\n  url: ${redis.url}\n  prefix: ${prefix}\nstorage:\n  sqlite: ${join(dir, 'db.sqlite')}\n` +
    `fetch:\n  allowPrivateNetworks: true\n  perHost: { maxConcurrent: 16, minInterval: 0ms }\nqueues:\n  attempts: 2\n  backoff: 50ms\nlog:\n  level: warn\n` +
    `feeds:\n  - url: ${site.rssUrl}\n  - url: ${site.atomUrl}\n`);
});
afterAll(async () => {
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('newsloom worker --stages', () => {
  it('splits the pipeline across two processes that meet only in Redis', async () => {
    const front = startCli(['worker', '--stages', 'feeds,fetch,extract', '--config', configPath]);
    const back = startCli(['worker', '--stages', 'normalise,dedupe,enrich,store', '--config', configPath]);
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queues = createQueues(conn, parseConfig({ redis: { prefix } }, 'test'));
    try {
      await queues.feeds.add('poll', { feedUrl: site.rssUrl }, { jobId: 'feeds-rss-once' });
      await queues.feeds.add('poll', { feedUrl: site.atomUrl }, { jobId: 'feeds-atom-once' });
      expect(await waitForDrain(queues, Date.now() + 150_000), front.output().stderr + back.output().stderr).toBe(true);
    } finally {
      await closeQueues(queues);
      await conn.quit();
      expect(await front.stop()).toBe(0);
      expect(await back.stop()).toBe(0);
    }
    const r = await runCli(['export', '--config', configPath]);
    const articles = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Article);
    expect(articles.map((a) => a.canonicalUrl).sort()).toEqual([...site.pages].filter(([, p]) => p.skipped === null).map(([u]) => u).sort());
    // Two processes each start extraction and enrichment threads: on a loaded 2-core machine that alone takes a minute.
  }, 240_000);

  it('names an unknown stage and the ones it expected', async () => {
    const r = await runCli(['worker', '--stages', 'fetch,parse', '--config', configPath]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('newsloom: worker --stages: unknown stage "parse"; expected some of feeds,fetch,extract,normalise,dedupe,enrich,store');
  });
});
