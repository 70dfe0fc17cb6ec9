import type { Worker } from 'bullmq';
import type { Config } from '../config/schema.js';
import type { Logger } from '../lib/log.js';
import { Metrics } from '../lib/metrics.js';
import { checkEvictionPolicy } from '../queues/check-redis.js';
import { createRedis } from '../queues/connection.js';
import type { QueueName } from '../queues/names.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { scheduleFeeds } from '../queues/schedule-feeds.js';
import { WORKERS } from './all.js';
import { createWorkerContext, type WorkerContext } from './context.js';
import { startWorker } from './define.js';
import { publishOutbox } from './publish-outbox.js';
import { startWebhookWorker } from './webhooks.js';
import { closeWebhookQueue } from '../queues/webhook-queue.js';

export interface PipelineOptions {
  config: Readonly<Config>;
  redisUrl: string;
  log: Logger;
  stages: readonly QueueName[];
  /** Upsert one job scheduler per configured feed (the `start` command). */
  schedule: boolean;
  /** The config file: module enrichment stages are resolved against its folder. */
  configPath?: string;
}

export interface Pipeline {
  ctx: WorkerContext;
  workers: Worker[];
  /** Stops taking jobs, waits for every active one, then closes Redis and storage. */
  close(): Promise<void>;
  /**
   * Graceful shutdown: stops taking jobs at once, lets active ones finish for up to `graceMs`, then
   * closes the workers forcibly; either way closes Redis and storage. A job cut off keeps its lock
   * until it expires, then BullMQ's stall check (in any worker) puts it back to waiting: retried
   * elsewhere, never lost. `cutOff` says whether that happened (the caller should then exit, since
   * the cut-off handlers may still hold timers).
   */
  shutdown(graceMs: number): Promise<{ cutOff: boolean }>;
}

/** Connects to Redis, starts the workers of the given stages, and (optionally) the feed schedulers. */
export async function startPipeline({ config, redisUrl, log, stages, schedule, configPath }: PipelineOptions): Promise<Pipeline> {
  const redis = createRedis(redisUrl);
  redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
  await redis.ping();
  await checkEvictionPolicy(redis, log);
  const queues = createQueues(redis, config);
  const ctx = createWorkerContext({ config, log, metrics: new Metrics(), redis, queues, configPath });
  if (stages.includes('enrich')) {
    // Loaded before any worker starts, so a broken stage module stops the process with its file named.
    try {
      await ctx.enrichStages();
    } catch (err) {
      await closeQueues(queues);
      await redis.quit().catch(() => redis.disconnect());
      throw err;
    }
  }
  if (stages.includes('store')) await publishOutbox(ctx);
  const workers = stages.map((stage) => startWorker(WORKERS[stage], ctx));
  // Webhook delivery reads storage, so it runs where the store stage does.
  if (stages.includes('store')) {
    const webhooks = await startWebhookWorker(ctx);
    if (webhooks) workers.push(webhooks);
  }
  if (schedule) {
    const { upserted, removed } = await scheduleFeeds(queues.feeds, config);
    log.info({ feeds: upserted, removed }, 'feed schedules synced');
  }
  log.info({ stages }, 'workers started');
  let closing: Promise<{ cutOff: boolean }> | null = null;
  const shutdown = (graceMs: number) =>
    (closing ??= (async () => {
      // Paused at once (no new job is taken), each worker resolves once its active jobs are done.
      const drained = Promise.all(workers.map((w) => w.pause())).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      // setTimeout cannot wait longer than 2^31-1 ms (it would fire at once): no grace limit then.
      const late = new Promise<false>((resolve) => {
        if (graceMs < 2 ** 31) timer = setTimeout(() => resolve(false), graceMs);
      });
      const cutOff = !(await Promise.race([drained, late]));
      clearTimeout(timer);
      if (cutOff) log.warn({ graceMs }, 'active jobs still running after the grace period: closing workers; another worker will retry them');
      await Promise.all(workers.map((w) => w.close(cutOff)));
      await closeQueues(queues);
      await closeWebhookQueue(redis);
      await ctx.close();
      await redis.quit().catch(() => redis.disconnect());
      return { cutOff };
    })());
  return {
    ctx,
    workers,
    shutdown,
    close: async () => void (await shutdown(Number.POSITIVE_INFINITY)),
  };
}
