import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { describeError, isRetryable, waitUntil } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';
import { redisStageCounters } from '../adapters/redis/stage-counters.js';
import { hashTagPrefix } from '../queues/connection.js';
import type { QueueName } from '../queues/names.js';
import { payloads, type Payload } from '../queues/payloads.js';
import type { WorkerContext } from './context.js';

export interface StageJob<Q extends QueueName> {
  id: string;
  data: Payload<Q>;
  attempt: number;
  /** Tries this job has in all (queues.attempts): `attempt === attempts` is its last. */
  attempts: number;
  log: Logger;
}

export type StageHandler<Q extends QueueName> = (job: StageJob<Q>, ctx: WorkerContext) => Promise<unknown>;

export interface WorkerDefinition<Q extends QueueName = QueueName> {
  stage: Q;
  handler: StageHandler<Q>;
}

export function defineWorker<Q extends QueueName>(stage: Q, handler: StageHandler<Q>): WorkerDefinition<Q> {
  return { stage, handler };
}

/**
 * The one place that knows BullMQ's Worker: parses job data with the queue's schema, gives the
 * handler a child logger, records metrics, and maps errors: retryable ones are rethrown (BullMQ
 * backs off), permanent ones become UnrecoverableError "CODE: message" (failed set, no retries).
 */
export function startWorker<Q extends QueueName>(def: WorkerDefinition<Q>, ctx: WorkerContext): Worker {
  const { stage } = def;
  const counters = redisStageCounters(ctx.redis, ctx.config.redis.prefix);
  // BullMQ passes the job's lock token as the second argument; moveToDelayed needs it.
  const processor = async (job: Job, token?: string): Promise<unknown> => {
    const log = ctx.log.child({ stage, jobId: job.id, url: urlOf(job.data) });
    const started = performance.now();
    try {
      const parsed = payloads[stage].safeParse(job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(`NL_PAYLOAD: ${stage} job ${job.id} has invalid data: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      }
      const result = await def.handler({ id: job.id ?? '', data: parsed.data as Payload<Q>, attempt: job.attemptsMade + 1, attempts: job.opts.attempts ?? 1, log }, ctx);
      ctx.metrics.inc('newsloom_jobs_total', { stage, outcome: 'completed' });
      // Shared per-minute counts for the status page; a lost count must not fail the job.
      counters.completed(stage, newArticleOf(stage, parsed.data, result)).catch((err: unknown) => log.debug({ err: describeError(err) }, 'cannot count completed job'));
      log.debug({ durationMs: Math.round(performance.now() - started) }, 'job done');
      return result ?? null;
    } catch (err) {
      // A host asking us to wait is not a failure: park the job in the delayed set without spending
      // a try (bullmq 6.7 Job.moveToDelayed passes skipAttempt), then DelayedError tells the Worker
      // the job has already moved (worker.ts handleFailed). Past queues.maxWait since the job was
      // created, the wait is an ordinary retryable failure, so nothing waits forever.
      const retryAtMs = waitUntil(err);
      if (retryAtMs !== null && token !== undefined && Date.now() - job.timestamp < ctx.config.queues.maxWait) {
        ctx.metrics.inc('newsloom_jobs_total', { stage, outcome: 'delayed' });
        log.debug({ err: describeError(err), retryAt: new Date(retryAtMs).toISOString() }, 'job waits for host');
        await job.moveToDelayed(retryAtMs, token);
        throw new DelayedError();
      }
      const permanent = err instanceof UnrecoverableError || !isRetryable(err);
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      ctx.metrics.inc('newsloom_jobs_total', { stage, outcome: permanent || lastTry ? 'failed' : 'retried' });
      if (stage === 'feeds') ctx.metrics.inc('newsloom_feed_errors_total', { code: codeOf(err) });
      if (stage === 'extract') ctx.metrics.inc('newsloom_extraction_failures_total', { reason: codeOf(err) });
      if (permanent || lastTry) log.warn({ err: describeError(err), attempt: job.attemptsMade + 1 }, 'job failed');
      else log.info({ err: describeError(err), attempt: job.attemptsMade + 1 }, 'job will retry');
      if (err instanceof UnrecoverableError) throw err;
      // The last try is wrapped too, so every failed job's reason reads "CODE: message".
      if (permanent || lastTry) throw new UnrecoverableError(describeError(err));
      throw err;
    } finally {
      ctx.metrics.observe('newsloom_stage_duration_seconds', { stage }, performance.now() - started);
    }
  };
  const worker = new Worker(stage, processor, {
    connection: ctx.redis,
    prefix: hashTagPrefix(ctx.config.redis.prefix),
    concurrency: ctx.config.queues.concurrency[stage],
    // Catalogue §6: a killed worker's jobs run again within 30 s at p95 (defaults 30 s + 30 s and one
    // stall allowed). CPU-bound work runs in threads, so the event loop renews locks in time.
    lockDuration: ctx.config.queues.lockDuration,
    stalledInterval: ctx.config.queues.stalledInterval,
    maxStalledCount: ctx.config.queues.maxStalledCount,
    autorun: true,
  });
  // Without a listener an 'error' event would crash the process; connection faults are retried by ioredis.
  worker.on('error', (err) => ctx.log.error({ stage, err: describeError(err) }, 'worker error'));
  return worker;
}

/** The code of a "CODE: message" reason (metric label), UNKNOWN for an error without one. */
function codeOf(err: unknown): string {
  return /^([A-Z][A-Z0-9_]{1,40}):/.exec(describeError(err))?.[1] ?? 'UNKNOWN';
}

/** The feed of a store job that created an article: counted per feed and day for the status page. */
function newArticleOf(stage: QueueName, data: unknown, result: unknown): string | undefined {
  if (stage !== 'store' || (result as { change?: unknown } | null)?.change !== 'created') return undefined;
  return (data as { feed?: { url?: string } }).feed?.url;
}

function urlOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { url?: unknown; feedUrl?: unknown };
  return typeof d.url === 'string' ? d.url : typeof d.feedUrl === 'string' ? d.feedUrl : undefined;
}
