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
  close(): Promise<void>;
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
  if (schedule) {
    const { upserted, removed } = await scheduleFeeds(queues.feeds, config);
    log.info({ feeds: upserted, removed }, 'feed schedules synced');
  }
  log.info({ stages }, 'workers started');
  let closing: Promise<void> | null = null;
  return {
    ctx,
    workers,
    close: () =>
      (closing ??= (async () => {
        // Workers first: each finishes its active jobs, so nothing is left stalled.
        await Promise.all(workers.map((w) => w.close()));
        await closeQueues(queues);
        await ctx.close();
        await redis.quit().catch(() => redis.disconnect());
      })()),
  };
}
