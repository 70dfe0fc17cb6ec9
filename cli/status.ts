import { redisFeedStateStore } from '../adapters/redis/feed-state-store.js';
import { redisAnswers } from '../adapters/redis/spawn-redis.js';
import { NewsloomError } from '../lib/errors.js';
import { createRedis } from '../queues/connection.js';
import { allQueueCounts } from '../queues/queue-counts.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { loadCliConfig, parseCommand } from './common.js';

/** `newsloom status`: jobs per queue and state, and the last poll of each feed. */
export async function runStatus(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { json: { type: 'boolean' } }, 'status');
  const { config } = loadCliConfig(values.config);
  const url = config.redis.url ?? 'redis://127.0.0.1:6379';
  if (!config.redis.url && !(await redisAnswers('127.0.0.1', 6379))) {
    throw new NewsloomError('status: no Redis answers on 127.0.0.1:6379 and redis.url is not set; is newsloom running?', 'NL_NO_REDIS', false);
  }
  const redis = createRedis(url, 'newsloom-status');
  const queues = createQueues(redis, config);
  try {
    const counts = await allQueueCounts(queues);
    const feeds = await redisFeedStateStore(redis, config.redis.prefix).list();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ queues: counts, feeds }, null, 2)}\n`);
      return 0;
    }
    const rows = [['queue', 'waiting', 'active', 'delayed', 'failed', 'completed']];
    for (const [name, c] of Object.entries(counts)) rows.push([name, ...[c.waiting, c.active, c.delayed, c.failed, c.completed].map(String)]);
    process.stdout.write(`${table(rows)}\n\n`);
    const feedRows = [['feed', 'last poll', 'status', 'last success', 'next poll', 'items', 'new', 'seen', '304', 'failures', 'error']];
    for (const f of feeds) {
      feedRows.push([f.name ?? f.title ?? f.url, f.lastPollAt ?? '-', f.lastStatus ?? '-', f.lastSuccessAt ?? '-', f.nextPollAt ?? '-',
        String(f.itemsLastPoll), String(f.newItemsLastPoll), String(f.itemsSeen), `${Math.round(f.notModifiedRatio * 100)}%`,
        String(f.consecutiveFailures), f.lastError ?? '']);
    }
    process.stdout.write(feeds.length ? `${table(feedRows)}\n` : 'no feed has been polled yet\n');
    return 0;
  } finally {
    await closeQueues(queues);
    await redis.quit();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
