import { resolveRedis } from '../adapters/redis/resolve-redis.js';
import { startDashboard, type Dashboard } from '../dashboard/dashboard.js';
import { QUEUE_NAMES } from '../queues/names.js';
import { waitForDrain } from '../queues/queue-counts.js';
import { jobId } from '../queues/queues.js';
import { startPipeline, type Pipeline } from '../workers/run.js';
import { restoreMissingSchedules } from '../queues/schedule-feeds.js';
import type { Logger } from '../lib/log.js';
import { describeError } from '../lib/errors.js';
import { cliLogger, loadCliConfig, parseCommand, untilSignal } from './common.js';
import { printRunSummary } from './run-summary.js';

/** `newsloom start [--once]`: the scheduler, every stage worker and the dashboard. */
export async function runStart(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { once: { type: 'boolean' }, 'timeout': { type: 'string' } }, 'start');
  const { config, path: configPath } = loadCliConfig(values.config);
  const log = cliLogger(config.log.level);
  const redis = await resolveRedis(config.redis.url, log);
  let pipeline: Pipeline | null = null;
  let dashboard: Dashboard | null = null;
  try {
    pipeline = await startPipeline({ config, redisUrl: redis.url, log, stages: QUEUE_NAMES, schedule: !values.once, configPath });
    if (values.once) {
      const timeoutMs = Number(values.timeout ?? 600) * 1000;
      return await runOnce(pipeline, timeoutMs);
    }
    if (config.dashboard.enabled) {
      const ctx = pipeline.ctx;
      dashboard = await startDashboard({
        host: config.dashboard.host, port: config.dashboard.port, queues: pipeline.ctx.queues, redis: pipeline.ctx.redis,
        metrics: pipeline.ctx.metrics, feedState: pipeline.ctx.feedState, storage: () => ctx.storage(), log,
      });
    }
    const watch = watchSchedules(pipeline, log);
    const signal = await untilSignal();
    clearInterval(watch);
    log.info({ signal }, 'shutting down');
    return 0;
  } finally {
    await dashboard?.close();
    await pipeline?.close();
    await redis.stop?.();
  }
}

/** Polls every feed once, waits for every queue to drain, prints a summary. */
async function runOnce(pipeline: Pipeline, timeoutMs: number): Promise<number> {
  const { ctx } = pipeline;
  const startedAt = Date.now();
  const runId = new Date(startedAt).toISOString();
  for (const feed of ctx.config.feeds) {
    // A fresh job id per run: the previous run's completed poll may still be kept in Redis.
    const identity = `${feed.url}@${runId}`;
    await ctx.queues.feeds.add('poll', { feedUrl: feed.url, force: true, ...(feed.name ? { name: feed.name } : {}) }, {
      jobId: jobId('feeds', identity),
    });
  }
  const drained = await waitForDrain(ctx.queues, startedAt + timeoutMs);
  const ok = await printRunSummary(ctx, startedAt, process.stdout);
  if (!drained) process.stderr.write(`newsloom: queues did not drain within ${timeoutMs / 1000}s\n`);
  return drained && ok ? 0 : 1;
}

/** Every minute, puts back feed schedules Redis lost (restarted empty): feeds must never silently stop. */
function watchSchedules(pipeline: Pipeline, log: Logger, everyMs = 60_000): NodeJS.Timeout {
  return setInterval(() => {
    restoreMissingSchedules(pipeline.ctx.queues.feeds, pipeline.ctx.config).then(
      (restored) => restored > 0 && log.warn({ restored }, 'feed schedules were missing from Redis and were restored'),
      (err: unknown) => log.warn({ err: describeError(err) }, 'cannot check feed schedules'),
    );
  }, everyMs);
}
