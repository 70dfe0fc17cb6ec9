/**
 * Child process of catalogue P2: one feeds worker (the real `feeds` stage, its parser thread and
 * its Redis writes) polls a 10,000-item feed once; prints the fetch jobs it enqueued and this
 * process's peak RSS as one JSON line. Run by cases-content.ts inside the lab.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRedis } from '../adapters/redis/spawn-redis.js';
import { parseConfig } from '../config/load.js';
import { cliLogger } from '../cli/common.js';
import { jobId } from '../queues/queues.js';
import { queueCounts } from '../queues/queue-counts.js';
import { startPipeline } from '../workers/run.js';

const feedUrl = process.argv[2]!;
const items = Number(process.argv[3]);
const dir = mkdtempSync(join(tmpdir(), 'newsloom-sec-big-'));
const redis = await spawnRedis({ port: await freePort(), dir, appendonly: false });
const config = parseConfig({ redis: { url: redis.url, prefix: 'big' }, storage: { sqlite: join(dir, 'ledger.db') }, poll: { maxItems: items }, log: { level: 'warn' }, feeds: [{ url: feedUrl }] }, 'p2');
const started = performance.now();
const pipeline = await startPipeline({ config, redisUrl: redis.url, log: cliLogger('warn'), stages: ['feeds'], schedule: false });
await pipeline.ctx.queues.feeds.add('poll', { feedUrl, force: true }, { jobId: jobId('feeds', `${feedUrl}@p2`) });
let feeds = await queueCounts(pipeline.ctx.queues.feeds);
while (feeds.completed + feeds.failed === 0) {
  await new Promise((r) => setTimeout(r, 100));
  feeds = await queueCounts(pipeline.ctx.queues.feeds);
}
const ms = Math.round(performance.now() - started);
const fetch = await queueCounts(pipeline.ctx.queues.fetch);
const failed = feeds.failed > 0 ? (await pipeline.ctx.queues.feeds.getFailed(0, 0))[0]?.failedReason : null;
const out = { enqueued: fetch.waiting + fetch.delayed + fetch.active, failed, ms, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
await pipeline.close();
await redis.stop();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
