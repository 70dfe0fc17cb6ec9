import { resolveRedis } from '../adapters/redis/resolve-redis.js';
import { startDashboard, type Dashboard } from '../dashboard/dashboard.js';
import { QUEUE_NAMES } from '../queues/names.js';
import { waitForDrain } from '../queues/queue-counts.js';
import { jobId } from '../queues/queues.js';
import { startPipeline, type Pipeline } from '../workers/run.js';
import { restoreMissingSchedules } from '../queues/schedule-feeds.js';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import { describeError } from '../lib/errors.js';
import { cliLogger, loadCliConfig, parseCommand, untilSignal } from './common.js';
import { printRunSummary } from './run-summary.js';

/** `newsloom start [--once]`: the scheduler, every stage worker and the dashboard. */
export async function runStart(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { once: { type: 'boolean' }, 'timeout': { type: 'string' } }, 'start');
  const { config, path: configPath } = loadCliConfig(values.config);
  const log = cliLogger(config.log.level, config.log.format);
  // Listening from the start: a SIGTERM while Redis, storage or the models load ends the start-up
  // cleanly once it is done, instead of killing the process mid-way.
  const signalled = values.once ? null : untilSignal(log);
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
        ...(config.api.token ? { apiToken: config.api.token } : {}),
        workers: () => pipeline?.workers ?? [],
      });
    }
    const watch = watchSchedules(pipeline, log);
    // Progress lines are for a person watching a terminal; logs and metrics serve everyone else.
    const progress = process.stderr.isTTY ? showProgress(pipeline.ctx.metrics, process.stderr) : null;
    const signal = await (signalled ?? untilSignal(log));
    watch.stop();
    if (progress) clearInterval(progress);
    log.info({ signal, graceMs: config.shutdown.grace }, 'shutting down: finishing active jobs (send the signal again to exit now)');
    // The dashboard first: a load balancer sees /healthz fail and stops sending requests.
    await dashboard?.close();
    dashboard = null;
    const { cutOff } = await pipeline.shutdown(config.shutdown.grace);
    if (cutOff) {
      // A cut-off job's handler may still hold sockets and timers: leave now; its job is retried elsewhere.
      await redis.stop?.();
      process.exit(0);
    }
    return 0;
  } finally {
    await dashboard?.close();
    await pipeline?.close();
    await redis.stop?.();
  }
}

const PROGRESS_EVERY_MS = 5000;

/** Every few seconds, one short line on what this process did: feeds polled, articles stored, failures. */
function showProgress(metrics: Metrics, out: NodeJS.WriteStream): NodeJS.Timeout {
  let lastStored = 0;
  let lastAt = Date.now();
  const timer = setInterval(() => {
    const stored = metrics.get('newsloom_articles_stored_total', { change: 'created' }) + metrics.get('newsloom_articles_stored_total', { change: 'updated' });
    const now = Date.now();
    const perMinute = ((stored - lastStored) * 60_000) / Math.max(1, now - lastAt);
    [lastStored, lastAt] = [stored, now];
    out.write(`${formatProgress({
      polled: metrics.get('newsloom_jobs_total', { stage: 'feeds', outcome: 'completed' }),
      feedErrors: metrics.total('newsloom_feed_errors_total'),
      stored,
      perMinute,
      failed: sumFailed(metrics),
    })}\n`);
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return timer;
}

function sumFailed(metrics: Metrics): number {
  return QUEUE_NAMES.reduce((n, stage) => n + metrics.get('newsloom_jobs_total', { stage, outcome: 'failed' }), 0);
}

/** One progress line, e.g. `newsloom: feeds polled 12 (1 errors) · articles stored 240 (38/min) · failed jobs 3`. */
export function formatProgress(p: { polled: number; feedErrors: number; stored: number; perMinute: number; failed: number }): string {
  return `newsloom: feeds polled ${p.polled} (${p.feedErrors} errors) · articles stored ${p.stored} (${Math.round(p.perMinute)}/min) · failed jobs ${p.failed}`;
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

/**
 * Puts back feed schedules Redis lost (restarted empty): feeds must never silently stop. Checked
 * every minute, and a second after each reconnect, when a restart is most likely to have emptied it.
 */
function watchSchedules(pipeline: Pipeline, log: Logger, everyMs = 60_000): { stop(): void } {
  const check = () =>
    restoreMissingSchedules(pipeline.ctx.queues.feeds, pipeline.ctx.config).then(
      (restored) => restored > 0 && log.warn({ restored }, 'feed schedules were missing from Redis and were restored'),
      (err: unknown) => log.warn({ err: describeError(err) }, 'cannot check feed schedules'),
    );
  const timer = setInterval(check, everyMs);
  let soon: NodeJS.Timeout | undefined;
  const onReady = () => {
    clearTimeout(soon);
    soon = setTimeout(check, RECONNECT_CHECK_MS);
  };
  pipeline.ctx.redis.on('ready', onReady);
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(soon);
      pipeline.ctx.redis.off('ready', onReady);
    },
  };
}

const RECONNECT_CHECK_MS = 1_000;
