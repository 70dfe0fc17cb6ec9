import type { Worker } from 'bullmq';
import type { Config } from '../config/schema.js';
import { describeError } from '../lib/errors.js';
import { faultLog } from '../lib/fault-log.js';
import type { Logger } from '../lib/log.js';
import { Metrics } from '../lib/metrics.js';
import { checkEvictionPolicy } from '../queues/check-redis.js';
import { createRedis } from '../queues/connection.js';
import type { QueueName } from '../queues/names.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { redisMemoryWatch } from '../queues/redis-memory.js';
import { watchBackpressure, type Backpressure } from '../queues/backpressure.js';
import { scheduleFeeds } from '../queues/schedule-feeds.js';
import { WORKERS } from './all.js';
import { createWorkerContext, type WorkerContext } from './context.js';
import { handBackActiveJobs, startWorker } from './define.js';
import { publishOutbox } from './publish-outbox.js';
import { startReconciler } from './reconcile.js';
import { startWebhookWorker } from './webhooks.js';
import { closeWebhookQueue } from '../queues/webhook-queue.js';

// How long a shutdown past its grace may spend moving running jobs back to the queue.
const HAND_BACK_MS = 5_000;

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
  /** Which of this process's stages are held because their next queue is full (queues.highWater). */
  backpressure: Backpressure;
  /** Stops taking jobs, waits for every active one, then closes Redis and storage. */
  close(): Promise<void>;
  /**
   * Graceful shutdown: stops taking jobs at once, lets active ones finish for up to `graceMs`, then
   * moves the jobs still running back to be taken again at once (no try spent), aborts their
   * handlers and closes the workers forcibly; either way closes Redis and storage. A job that
   * cannot be moved back (Redis unreachable) is left to BullMQ's stall check: retried elsewhere
   * after its lock expires, never lost. `cutOff` says whether jobs were cut off (the caller should
   * then exit, since the cut-off handlers may still hold timers).
   */
  shutdown(graceMs: number): Promise<{ cutOff: boolean }>;
}

/** Connects to Redis, starts the workers of the given stages, and (optionally) the feed schedulers. */
export async function startPipeline({ config, redisUrl, log, stages, schedule, configPath }: PipelineOptions): Promise<Pipeline> {
  const redis = createRedis(redisUrl);
  // Every stage's Worker and Queue reports each failed reconnect: one log for all, repeats collapsed.
  const faults = faultLog(log);
  const memory = redisMemoryWatch(redis, log);
  redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
  redis.on('ready', () => faults.recovered());
  await redis.ping();
  await checkEvictionPolicy(redis, log);
  const queues = createQueues(redis, config);
  // A Queue without an 'error' listener prints each fault to stderr (bullmq queue-base.ts).
  for (const q of Object.values(queues)) {
    q.on('error', (err) => {
      if (!memory.refused(err)) faults.fault(err, { queue: q.name });
    });
  }
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
  // Events a crash left unpublished go out now; storage down or full at this moment (a disk-full
  // episode, a database restart) must not stop the process: the next store job publishes them.
  if (stages.includes('store')) {
    await publishOutbox(ctx).catch((err: unknown) => log.warn({ err: describeError(err) }, 'outbox not published at start; the next stored article publishes it'));
  }
  const backpressure = watchBackpressure({
    stages,
    queues,
    highWater: config.queues.highWater,
    log,
  });
  const workers = stages.map((stage) => startWorker(WORKERS[stage], ctx, { faults, memory, backpressure }));
  // Webhook delivery reads storage, so it runs where the store stage does.
  if (stages.includes('store')) {
    const webhooks = await startWebhookWorker(ctx, faults);
    if (webhooks) workers.push(webhooks);
  }
  if (schedule) {
    const { upserted, removed } = await scheduleFeeds(queues.feeds, config);
    log.info({ feeds: upserted, removed }, 'feed schedules synced');
  }
  // Where feeds are polled, pending items left without a job (Redis lost it) are enqueued again.
  const reconciler = stages.includes('feeds')
    ? startReconciler(ctx, { everyMs: config.ledger.reconcileEvery, staleAfterMs: config.ledger.staleAfter })
    : null;
  log.info({ stages }, 'workers started');
  let closing: Promise<{ cutOff: boolean }> | null = null;
  const shutdown = (graceMs: number) =>
    (closing ??= (async () => {
      // Jobs held by backpressure go back to the queue at once; they have not started.
      backpressure.close();
      // Paused at once (no new job is taken), each worker resolves once its active jobs are done.
      const drained = Promise.all(workers.map((w) => w.pause())).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      // setTimeout cannot wait longer than 2^31-1 ms (it would fire at once): no grace limit then.
      const late = new Promise<false>((resolve) => {
        if (graceMs < 2 ** 31) timer = setTimeout(() => resolve(false), graceMs);
      });
      const cutOff = !(await Promise.race([drained, late]));
      clearTimeout(timer);
      if (cutOff) {
        // Bounded: with Redis unreachable the moves would wait forever; the stall check covers those.
        const moved = await Promise.race([
          Promise.all(workers.map((w) => handBackActiveJobs(w, log))).then((n) => n.reduce((a, b) => a + b, 0)),
          new Promise<null>((resolve) => setTimeout(resolve, HAND_BACK_MS, null).unref()),
        ]);
        log.warn({ graceMs, handedBack: moved }, 'active jobs still running after the grace period: handed back to the queue for another worker; closing workers');
      }
      memory.close();
      await reconciler?.stop();
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
    backpressure,
    shutdown,
    close: async () => void (await shutdown(Number.POSITIVE_INFINITY)),
  };
}
