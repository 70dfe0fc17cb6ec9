// Part of npm run bench:feeds — polling throughput: 2,000 loopback feeds through the real `feeds`
// stage (real Redis, real HTTP, the BullMQ worker in this process). Rounds:
//   cold       first poll: every feed 200, parsed, its items enqueued for fetch
//   304        second poll with ETag/Last-Modified: every feed answers 304, nothing parsed
//   baseline   the same feeds from a server that ignores validators (200 every time): what polling
//              costs without conditional GET, measured in the same run
// Prints feeds/s, share answered 304, Redis commands per poll, peak RSS.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../lib/log.js';
import { startPipeline } from '../workers/run.js';
import { startTestRedis, testPrefix } from '../test/helpers/redis.js';

const FEEDS = Number(process.env.FEEDS ?? 2000);
const ITEMS = Number(process.env.ITEMS ?? 20);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);

function feedXml(i: number, base: string): string {
  const items = Array.from({ length: ITEMS }, (_, j) => `<item><title>Feed ${i} story ${j}</title><link>${base}/a/${i}/${j}.html</link>` +
    `<guid>${base}/a/${i}/${j}.html</guid><pubDate>${new Date(Date.now() - j * 3_600_000).toUTCString()}</pubDate>` +
    `<description>Summary of story ${j} of feed ${i}, long enough to look like a real teaser paragraph in a feed.</description></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${i}</title><link>${base}/</link>${items.join('')}</channel></rss>`;
}

async function startFeedServer(conditional: boolean): Promise<{ server: Server; url: string; counts: { ok: number; notModified: number } }> {
  const counts = { ok: 0, notModified: 0 };
  const cache = new Map<number, string>();
  const server = createServer((req, res) => {
    const i = Number(/\/f(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? -1);
    const etag = `"feed-${i}-v1"`;
    if (conditional && req.headers['if-none-match'] === etag) {
      counts.notModified++;
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    const body = cache.get(i) ?? feedXml(i, url);
    cache.set(i, body);
    counts.ok++;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...(conditional ? { etag } : {}) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, counts };
}

async function commandsProcessed(redis: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
}

export async function benchPolling(): Promise<void> {
  const redis = await startTestRedis();
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-poll-'));
  const probe = new Redis(redis.url);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const rows: string[] = [];
  try {
    for (const conditional of [true, false]) {
      const site = await startFeedServer(conditional);
      const feeds = Array.from({ length: FEEDS }, (_, i) => ({ url: `${site.url}/f${i}.xml` }));
      const config = parseConfig({
        redis: { prefix: testPrefix() }, storage: { sqlite: join(dir, 'db.sqlite') },
        // Every feed is on one loopback host here, where real feeds are on many: the per-host gate
        // still runs on every request (its Redis calls are counted) but lets CONCURRENCY through.
        fetch: { allowPrivateNetworks: true, perHost: { maxConcurrent: CONCURRENCY, minInterval: 0 } },
        queues: { concurrency: { feeds: CONCURRENCY } }, feeds,
      }, 'bench');
      const pipeline = await startPipeline({ config, redisUrl: redis.url, log: createLogger('silent'), stages: ['feeds'], schedule: false });
      const rounds = conditional ? ['first poll', 're-poll, answered 304'] : ['no validators: first poll', 'no validators: re-poll'];
      for (const [r, name] of rounds.entries()) {
        const before = { ...site.counts };
        const cmds = await commandsProcessed(probe);
        const started = performance.now();
        await pipeline.ctx.queues.feeds.addBulk(feeds.map((f, i) => ({ name: 'poll', data: { feedUrl: f.url, force: true }, opts: { jobId: `feeds-bench-${r}-${i}` } })));
        for (;;) {
          const c = await pipeline.ctx.queues.feeds.getJobCounts('waiting', 'active', 'delayed');
          if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
          await new Promise((res) => setTimeout(res, 50));
        }
        const seconds = (performance.now() - started) / 1000;
        const polls = site.counts.ok - before.ok + site.counts.notModified - before.notModified;
        const failed = await pipeline.ctx.queues.feeds.getJobCounts('failed');
        const perPoll = ((await commandsProcessed(probe)) - cmds) / FEEDS;
        const share304 = (site.counts.notModified - before.notModified) / Math.max(polls, 1);
        const enqueued = await pipeline.ctx.queues.fetch.count();
        rows.push([name.padEnd(26), String(FEEDS).padStart(6), seconds.toFixed(2).padStart(8), (FEEDS / seconds).toFixed(0).padStart(8),
          `${(share304 * 100).toFixed(0)}%`.padStart(6), perPoll.toFixed(1).padStart(10), String(enqueued).padStart(10), String(failed.failed ?? 0).padStart(7)].join(' '));
      }
      await pipeline.close();
      await new Promise<void>((r) => site.server.close(() => r()));
    }
  } finally {
    clearInterval(sampler);
    await probe.quit();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\npolling ${FEEDS} loopback feeds of ${ITEMS} items, feeds concurrency ${CONCURRENCY}, one process`);
  console.log(`${'round'.padEnd(26)} ${'feeds'.padStart(6)} ${'seconds'.padStart(8)} ${'feeds/s'.padStart(8)} ${'304'.padStart(6)} ${'redis/poll'.padStart(10)} ${'fetch jobs'.padStart(10)} ${'failed'.padStart(7)}`);
  for (const row of rows) console.log(row);
  console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (redis/poll counts every Redis command, BullMQ's included, divided by feeds)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPolling();
