// npm run bench:poll — polling at scale: N feeds scheduled with the real scheduler code on one
// Redis (AOF on), polled by the real `feeds` worker (BullMQ, this process) from a loopback server
// in a child process (so its CPU is not counted) that answers most conditional GETs 304 and a few
// with a new item. Per step (FEEDS=10000,25000,50000,100000):
//   memory    Redis used_memory split by key family (MEMORY USAGE of every key): schedules (job
//             schedulers + their jobs), seen-sets, feed state, host gate + robots, the rest
//   schedule  wall time and CPU (this process + redis-server) of scheduleFeeds for N feeds
//   poll      WINDOW seconds of the feeds worker with the real 15-minute interval: polls/s, CPU ms
//             per poll (this process + redis-server), the 2-core ceiling that implies, p95 lateness
//             of a poll behind its scheduled time, peak RSS
// Feed state and seen-sets are seeded (SEEN items per feed, as the store stage leaves them) so
// memory is that of feeds already polled. The 10k step is the baseline for linearity.
import { fork, type ChildProcess } from 'node:child_process';
import { sha1Hex as sha1 } from '../lib/sha1.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../lib/log.js';
import { freePort, spawnRedis } from '../adapters/redis/spawn-redis.js';
import { redisFeedStateStore } from '../adapters/redis/feed-state-store.js';
import { redisRobotsCache } from '../adapters/http/robots-cache.js';
import { httpOptions } from '../adapters/http/http-options.js';
import { key } from '../queues/connection.js';
import { createQueues, closeQueues } from '../queues/queues.js';
import { scheduleFeeds, schedulerId } from '../queues/schedule-feeds.js';
import { startPipeline } from '../workers/run.js';

const STEPS = (process.env.FEEDS ?? '10000,25000,50000,100000').split(',').map(Number);
const WINDOW_S = Number(process.env.WINDOW ?? 30);
const FEEDS_PER_HOST = Number(process.env.FEEDS_PER_HOST ?? 100);
const SEEN = Number(process.env.SEEN ?? 50);
const NEW_EVERY = Number(process.env.NEW_EVERY ?? 50); // one feed in 50 has a new item at each poll
const INTERVAL = process.env.INTERVAL ?? '15m';
const BURST = Number(process.env.BURST ?? 3000);
const PREFIX = 'newsloom';

// ---- loopback feed server (child process) ---------------------------------------------------
type ToServer = { type: 'step'; hosts: number; scheduled: number[] } | { type: 'stats' };
type FromServer = { type: 'ports'; ports: number[] } | { type: 'stats'; polls: number; notModified: number; ok: number; lateMs: number[] };

function feedXml(i: number, version: number, base: string): string {
  const items = Array.from({ length: 20 }, (_, j) => {
    const n = version - j;
    return `<item><title>Feed ${i} story ${n}</title><link>${base}/a/${i}/${n}.html</link><guid>${base}/a/${i}/${n}.html</guid>` +
      `<pubDate>${new Date(Date.now() - j * 3_600_000).toUTCString()}</pubDate><description>Teaser of story ${n} of feed ${i}.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${i}</title><link>${base}/</link>${items.join('')}</channel></rss>`;
}

async function serve(): Promise<void> {
  const ports: number[] = [];
  let scheduled: number[] = [];
  let polled = new Uint8Array(0);
  const versions = new Map<number, number>();
  let stats = { polls: 0, notModified: 0, ok: 0, lateMs: [] as number[] };
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const i = Number(/\/f(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? -1);
    if (i < 0) return res.writeHead(404).end();
    stats.polls++;
    if (!polled[i]) {
      polled[i] = 1;
      stats.lateMs.push(Date.now() - (scheduled[i] ?? Date.now()));
    }
    const changes = i % NEW_EVERY === 0;
    const version = changes ? (versions.get(i) ?? 0) + 1 : 0;
    if (!changes && req.headers['if-none-match'] === `"f${i}-v0"`) {
      stats.notModified++;
      return res.writeHead(304, { etag: `"f${i}-v0"` }).end();
    }
    versions.set(i, version);
    stats.ok++;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: `"f${i}-v${version}"` });
    res.end(feedXml(i, version, `http://${req.headers.host}`));
  };
  process.on('message', async (m: ToServer) => {
    if (m.type === 'step') {
      while (ports.length < m.hosts) {
        const server = createServer({ keepAliveTimeout: 60_000 }, handler);
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        ports.push((server.address() as AddressInfo).port);
      }
      scheduled = m.scheduled;
      polled = new Uint8Array(m.scheduled.length);
      versions.clear();
      stats = { polls: 0, notModified: 0, ok: 0, lateMs: [] };
      process.send!({ type: 'ports', ports: ports.slice(0, m.hosts) } satisfies FromServer);
    } else {
      process.send!({ type: 'stats', ...stats } satisfies FromServer);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

function ask(child: ChildProcess, m: ToServer): Promise<FromServer> {
  return new Promise((resolve) => {
    child.once('message', (r: FromServer) => resolve(r));
    child.send(m);
  });
}

// ---- measurements -----------------------------------------------------------------------------
const FAMILIES = ['schedules', 'seen', 'feed state', 'host gate', 'fetch queue', 'other keys', 'overhead'] as const;
type Family = (typeof FAMILIES)[number];

function family(k: string): Family {
  const rest = k.slice(`{${PREFIX}}:`.length);
  if (rest.startsWith('feeds:')) return 'schedules';
  if (rest.startsWith('seen')) return 'seen';
  if (rest === 'feeds' || rest.startsWith('feed:')) return 'feed state';
  if (rest.startsWith('host:') || rest.startsWith('robots:')) return 'host gate';
  if (rest.startsWith('fetch:')) return 'fetch queue';
  return 'other keys';
}

async function memoryByFamily(redis: Redis): Promise<Record<Family, number> & { total: number }> {
  const out = Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 5000);
    cursor = next;
    const p = redis.pipeline();
    for (const k of keys) p.memory('USAGE', k);
    const sizes = (await p.exec()) ?? [];
    keys.forEach((k, j) => (out[family(k)] += Number(sizes[j]?.[1] ?? 0)));
  } while (cursor !== '0');
  const total = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  out.overhead = total - FAMILIES.reduce((s, f) => s + out[f], 0);
  return { ...out, total };
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const v = (n: string) => Number(new RegExp(`${n}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (v('used_cpu_sys') + v('used_cpu_user')) * 1000;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** What the store stage leaves behind for a feed that has been polled: its state and SEEN seen items. */
async function seedPolledFeeds(redis: Redis, urls: string[]): Promise<void> {
  const states = redisFeedStateStore(redis, PREFIX);
  const nextPollAt = new Date(Date.now() - 1000).toISOString();
  await inBatches(urls.map((u, i) => [u, i] as const), 500, ([url, i]) =>
    states.record(url, null, { kind: 'ok', etag: `"f${i}-v0"`, lastModified: null, title: `Feed ${i}`, items: 20, newItems: SEEN, nextPollAt }));
  // Same layout as adapters/redis/seen-store.ts markSeen: per-feed zset of sha1(guid), global zset of sha1(url).
  // seen-urls is capped at 500,000 (markSeen's keepUrls): only the newest that many are written.
  const now = Date.now();
  const urlsFrom = Math.max(0, urls.length - Math.floor(500_000 / SEEN));
  await inBatches(urls.map((u, i) => [u, i] as const), 200, async ([url, i]) => {
    const members = Array.from({ length: SEEN }, (_, j) => [now - j * 60_000, sha1(`${url}#${j}`)] as const);
    const tx = redis.multi().zadd(key(PREFIX, 'seen', sha1(url)), ...members.flat());
    if (i >= urlsFrom) tx.zadd(key(PREFIX, 'seen-urls'), ...members.map(([s, m]) => [s, sha1(m)]).flat());
    await tx.exec();
  });
}

interface Row {
  feeds: number;
  mem: Awaited<ReturnType<typeof memoryByFamily>>;
  scheduleS: number;
  scheduleCpuMs: number;
  resyncS: number;
  catchUpS: number;
  firstPolls: number;
  burst: { polls: number; perS: number; cpuPerPollMs: number };
  polls: number;
  pollsPerS: number;
  cpuPerPollMs: number;
  lateP50Ms: number;
  lateP95Ms: number;
  notModifiedShare: number;
  rssMb: number;
  redisRssMb: number;
}

async function step(n: number, server: ChildProcess, dir: string): Promise<Row> {
  const redisServer = await spawnRedis({ port: await freePort(), dir: join(dir, `redis-${n}`), appendonly: true });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  try {
    const hosts = Math.max(1, Math.ceil(n / FEEDS_PER_HOST));
    const { ports } = (await ask(server, { type: 'step', hosts, scheduled: [] })) as { ports: number[] };
    const urls = Array.from({ length: n }, (_, i) => `http://127.0.0.1:${ports[i % hosts]}/f${i}.xml`);
    const raw = (perHost?: object) => ({
      redis: { prefix: PREFIX }, storage: { sqlite: join(dir, 'db.sqlite') },
      fetch: { allowPrivateNetworks: true, ...(perHost ? { perHost } : {}) }, poll: { interval: INTERVAL }, feeds: urls.map((url) => ({ url })),
    });
    const config = parseConfig(raw(), 'bench');
    await seedPolledFeeds(redis, urls);

    const queues = createQueues(redis, config);
    const cpu0 = process.cpuUsage();
    const rcpu0 = await redisCpuMs(redis);
    const t0 = performance.now();
    await scheduleFeeds(queues.feeds, config);
    const scheduleS = (performance.now() - t0) / 1000;
    const scheduleCpuMs = cpuMs(process.cpuUsage(cpu0)) + (await redisCpuMs(redis)) - rcpu0;
    // A restart with the same feed list.
    const t1 = performance.now();
    await scheduleFeeds(queues.feeds, config);
    const resyncS = (performance.now() - t1) / 1000;
    // A cold start polls every new feed once right away; this bench measures the steady state after it.
    const waiting = await redis.lrange(key(PREFIX, 'feeds', 'wait'), 0, -1);
    const firstPolls = waiting.filter((id) => !id.startsWith('repeat:'));
    await inBatches(firstPolls, 500, (id) => queues.feeds.remove(id));
    // robots.txt is cached per host for 24 h: warm it, as a running deployment has it.
    const robots = redisRobotsCache(redis, PREFIX);
    await inBatches(ports, 100, (p) => robots.refresh(`http://127.0.0.1:${p}`, httpOptions(config.fetch, 65_536)));

    // Each feed's next scheduled poll, so the server can tell how late each poll came.
    const next = new Map<string, number>();
    const flat = await redis.zrange(key(PREFIX, 'feeds', 'repeat'), 0, -1, 'WITHSCORES');
    for (let j = 0; j < flat.length; j += 2) next.set(flat[j]!, Number(flat[j + 1]));
    await ask(server, { type: 'step', hosts, scheduled: urls.map((u) => next.get(schedulerId(u)) ?? Date.now()) });
    await closeQueues(queues);

    let rss = 0;
    const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 100);
    const pipeline = await startPipeline({ config, redisUrl: redisServer.url, log: createLogger('silent'), stages: ['feeds'], schedule: false });
    // Slots that passed while this bench set up are polled first; the window starts once they are.
    // (a scheduler's next slot moves on when its job starts, so the slots left behind are the backlog).
    const catchUp = performance.now();
    while ((await redis.zcount(key(PREFIX, 'feeds', 'repeat'), '-inf', Date.now() - 2000)) > 0 && performance.now() - catchUp < 180_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const catchUpS = (performance.now() - catchUp) / 1000;
    await ask(server, { type: 'step', hosts, scheduled: urls.map((u) => next.get(schedulerId(u)) ?? Date.now()) });
    const cpu1 = process.cpuUsage();
    const rcpu1 = await redisCpuMs(redis);
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const stats = (await ask(server, { type: 'stats' })) as Extract<FromServer, { type: 'stats' }>;
    const usedMs = cpuMs(process.cpuUsage(cpu1)) + (await redisCpuMs(redis)) - rcpu1;
    clearInterval(sampler);
    await pipeline.close();
    const mem = await memoryByFamily(redis);
    const burst = await burstRound(redisServer.url, redis, parseConfig(raw({ maxConcurrent: 64, minInterval: 0 }), 'bench'), urls);
    const late = stats.lateMs.sort((a, b) => a - b);
    const pct = (p: number) => late[Math.min(late.length - 1, Math.floor(late.length * p))] ?? NaN;
    const redisRss = Number(/used_memory_rss:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    return {
      feeds: n, mem, scheduleS, scheduleCpuMs, resyncS, catchUpS, firstPolls: firstPolls.length, burst, polls: stats.polls, pollsPerS: stats.polls / WINDOW_S,
      cpuPerPollMs: usedMs / Math.max(1, stats.polls), lateP50Ms: pct(0.5), lateP95Ms: pct(0.95),
      notModifiedShare: stats.notModified / Math.max(1, stats.polls), rssMb: rss / 2 ** 20, redisRssMb: redisRss / 2 ** 20,
    };
  } finally {
    await redis.quit();
    await redisServer.stop();
  }
}

/**
 * Saturation: BURST forced polls at once, per-host limits lifted (loopback hosts are few), default
 * worker concurrency: the most one process polls per second, and CPU per poll when busy.
 */
async function burstRound(redisUrl: string, redis: Redis, config: Readonly<Config>, urls: string[]): Promise<Row['burst']> {
  const pipeline = await startPipeline({ config, redisUrl, log: createLogger('silent'), stages: ['feeds'], schedule: false });
  const n = Math.min(BURST, urls.length);
  const cpu0 = process.cpuUsage();
  const rcpu0 = await redisCpuMs(redis);
  const t0 = performance.now();
  await pipeline.ctx.queues.feeds.addBulk(urls.slice(0, n).map((feedUrl, i) => ({ name: 'poll', data: { feedUrl, force: true }, opts: { jobId: `feeds-burst-${i}` } })));
  for (;;) {
    const c = await pipeline.ctx.queues.feeds.getJobCounts('waiting', 'active');
    if ((c.waiting ?? 0) + (c.active ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = cpuMs(process.cpuUsage(cpu0)) + (await redisCpuMs(redis)) - rcpu0;
  await pipeline.close();
  return { polls: n, perS: n / seconds, cpuPerPollMs: used / n };
}

function print(rows: Row[]): void {
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const perFeed = (b: number, n: number) => (b / n).toFixed(0);
  console.log(`\nbench:poll — interval ${INTERVAL}, ${FEEDS_PER_HOST} feeds per loopback host, ${SEEN} seen items per feed, 1 feed in ${NEW_EVERY} with a new item per poll, poll window ${WINDOW_S}s, 1 worker process (feeds concurrency default), Redis AOF everysec`);
  console.log('\nRedis memory (MB, and bytes per feed)');
  console.log(['feeds'.padStart(7), ...[...FAMILIES, 'total' as const].map((f) => f.padStart(18))].join(' '));
  for (const r of rows) {
    console.log([String(r.feeds).padStart(7), ...[...FAMILIES, 'total' as const].map((f) => `${mb(r.mem[f])} (${perFeed(r.mem[f], r.feeds)})`.padStart(18))].join(' '));
  }
  console.log('\nscheduling and polling');
  const head = ['feeds', 'first polls', 'upsert s', 'upsert/s', 'upsert cpu ms/feed', 'restart s', 'catch-up s', 'polls', 'polls/s', 'need/s', 'cpu ms/poll', '2-core ceiling/s', 'late p50 ms', 'late p95 ms', '304', 'burst polls/s', 'burst cpu ms/poll', 'rss MB', 'redis rss MB'];
  console.log(head.map((h) => h.padStart(Math.max(7, h.length))).join(' '));
  const needPerS = (n: number) => n / (parseConfig({ poll: { interval: INTERVAL } }, 'x').poll.interval / 1000);
  for (const r of rows) {
    const cells = [r.feeds, r.firstPolls, r.scheduleS.toFixed(1), (r.feeds / r.scheduleS).toFixed(0), (r.scheduleCpuMs / r.feeds).toFixed(3), r.resyncS.toFixed(1), r.catchUpS.toFixed(0), r.polls, r.pollsPerS.toFixed(1),
      needPerS(r.feeds).toFixed(1), r.cpuPerPollMs.toFixed(2), (2000 / r.burst.cpuPerPollMs).toFixed(0), r.lateP50Ms.toFixed(0), r.lateP95Ms.toFixed(0),
      `${(r.notModifiedShare * 100).toFixed(0)}%`, r.burst.perS.toFixed(0), r.burst.cpuPerPollMs.toFixed(2), r.rssMb.toFixed(0), r.redisRssMb.toFixed(0)];
    console.log(cells.map((c, j) => String(c).padStart(Math.max(7, head[j]!.length))).join(' '));
  }
  const [a, b] = [rows[0], rows[rows.length - 1]];
  if (a && b && a !== b) {
    const f = b.feeds / a.feeds;
    console.log(`\ngrowth ${a.feeds} -> ${b.feeds} feeds (x${f.toFixed(1)}; linear = x${f.toFixed(1)}, baseline = the ${a.feeds} step): ` +
      `Redis memory x${(b.mem.total / a.mem.total).toFixed(2)}, bytes/feed ${(a.mem.total / a.feeds).toFixed(0)} -> ${(b.mem.total / b.feeds).toFixed(0)}, ` +
      `upsert time x${(b.scheduleS / a.scheduleS).toFixed(2)}, upsert CPU x${(b.scheduleCpuMs / a.scheduleCpuMs).toFixed(2)}, ` +
      `CPU ms/poll x${(b.cpuPerPollMs / a.cpuPerPollMs).toFixed(2)}`);
  }
  console.log(`polls/s, cpu ms/poll, late: the steady state (window). burst: ${BURST} forced polls at once, per-host limits lifted, default concurrency: one process's ceiling. 2-core ceiling = 2000 / burst cpu ms/poll (both cores busy with polling and Redis).`);
  console.log('first polls: one-off polls of new feeds queued by scheduleFeeds (removed before the window: the window measures the steady state). upsert: scheduleFeeds on an empty Redis; restart: scheduleFeeds again with the same feeds. catch-up: polling the slots that passed while the bench set up (no worker ran); the window starts after it.');
  console.log('CPU: this process (worker, feed-parser threads) + redis-server (INFO cpu); the loopback server runs in a child process and is not counted. The machine is shared.');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-poll-'));
  const server = fork(process.argv[1]!, ['serve'], { stdio: 'inherit' });
  const rows: Row[] = [];
  try {
    for (const n of STEPS) {
      rows.push(await step(n, server, dir));
      console.error(`step ${n} done`);
    }
  } finally {
    server.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  print(rows);
}

if (process.argv[2] === 'serve') await serve();
else if (import.meta.url === `file://${process.argv[1]}`) await main();
