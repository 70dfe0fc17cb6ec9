import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { describeError, isRetryable, waitUntil } from '../lib/errors.js';
import type { FaultLog } from '../lib/fault-log.js';
import type { Logger } from '../lib/log.js';
import { redisStageCounters } from '../adapters/redis/stage-counters.js';
import { hashTagPrefix } from '../queues/connection.js';
import type { Backpressure } from '../queues/backpressure.js';
import type { RedisMemoryWatch } from '../queues/redis-memory.js';
import type { QueueName } from '../queues/names.js';
import { payloads, type Payload } from '../queues/payloads.js';
import type { WorkerContext } from './context.js';
import { settleFailedJob } from './ledger.js';

export interface StageJob<Q extends QueueName> {
  id: string;
  data: Payload<Q>;
  attempt: number;
  /** Tries this job has in all (queues.attempts): `attempt === attempts` is its last. */
  attempts: number;
  log: Logger;
  /** Aborted when the job is handed back at shutdown (grace over): a handler may stop early. */
  signal?: AbortSignal;
}

export type StageHandler<Q extends QueueName> = (job: StageJob<Q>, ctx: WorkerContext) => Promise<unknown>;

export interface WorkerDefinition<Q extends QueueName = QueueName> {
  stage: Q;
  handler: StageHandler<Q>;
}

export function defineWorker<Q extends QueueName>(stage: Q, handler: StageHandler<Q>): WorkerDefinition<Q> {
  return { stage, handler };
}

/** A job a Worker is running, with the lock token that lets us move it back. */
interface ActiveJob {
  job: Job;
  token: string;
  handedBack: boolean;
}

/** Per Worker, its running jobs by id: handBackActiveJobs needs their tokens, which BullMQ keeps private. */
const activeJobs = new WeakMap<Worker, Map<string, ActiveJob>>();

export interface StartWorkerOptions {
  /** Where Worker 'error' events go, repeats collapsed; default: one error line each. */
  faults?: FaultLog;
  /** Redis full under noeviction: jobs whose writes are refused wait for room without spending a try. */
  memory?: RedisMemoryWatch;
  /** While the stage's next queue is full, a job taken waits here before its handler runs. */
  backpressure?: Backpressure;
}

// While Redis is full, the longest a Worker waits before asking for a job again, and the bounds of
// a refused job's delay (doubling on each refusal).
const FULL_RETRY_MS = 5_000;
const FULL_DELAY_MIN_MS = 1_000;
const FULL_DELAY_MAX_MS = 30_000;

/**
 * A Worker that, while Redis is full, waits for room before asking for a job again: BullMQ's fetch
 * loop retries a refused moveToActive at once (18,683 'worker error' lines in 15 s in the chaos
 * case redis-full). Running jobs keep completing meanwhile, and completing fetches the next job in
 * the same script: Redis lets a script that has already written (here, deleted its lock) go on
 * writing, so those chains keep draining, which frees memory.
 */
class RoomAwareWorker extends Worker {
  memory: RedisMemoryWatch | undefined;

  protected override async moveToActive(token: string, name?: string): Promise<Job> {
    try {
      return await super.moveToActive(token, name);
    } catch (err) {
      if (!this.memory?.refused(err) || this.closing) throw err;
      await this.memory.waitForRoom(FULL_RETRY_MS);
      // No job this time: BullMQ's loop reads undefined as "none available" and asks again.
      return undefined as unknown as Job;
    }
  }
}

/**
 * The one place that knows BullMQ's Worker: parses job data with the queue's schema, gives the
 * handler a child logger, records metrics, and maps errors: retryable ones are rethrown (BullMQ
 * backs off), permanent ones become UnrecoverableError "CODE: message" (failed set, no retries).
 */
export function startWorker<Q extends QueueName>(def: WorkerDefinition<Q>, ctx: WorkerContext, opts: StartWorkerOptions = {}): Worker {
  const { stage } = def;
  const counters = redisStageCounters(ctx.redis, ctx.config.redis.prefix);
  const active = new Map<string, ActiveJob>();
  // BullMQ passes the job's lock token as the second argument (moveToDelayed needs it) and, to a
  // processor declaring a third parameter, an AbortSignal that Worker.cancelAllJobs aborts.
  const processor = async (job: Job, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const log = ctx.log.child({ stage, jobId: job.id, url: urlOf(job.data) });
    let started = performance.now();
    const entry = job.id !== undefined && token !== undefined ? { job, token, handedBack: false } : null;
    if (entry) active.set(entry.job.id!, entry);
    try {
      // Held while the next queue is full: the job keeps its slot (and lock), so this worker takes no
      // more. At shutdown it goes back to the queue at once, without spending a try.
      if (opts.backpressure?.held(stage)) ctx.metrics.inc('newsloom_jobs_held_total', { stage });
      if (opts.backpressure && !(await opts.backpressure.whenOpen(stage, signal))) {
        if (token !== undefined && !entry?.handedBack) await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      started = performance.now();
      const parsed = payloads[stage].safeParse(job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(`NL_PAYLOAD: ${stage} job ${job.id} has invalid data: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      }
      const result = await def.handler({ id: job.id ?? '', data: parsed.data as Payload<Q>, attempt: job.attemptsMade + 1, attempts: job.opts.attempts ?? 1, log, ...(signal ? { signal } : {}) }, ctx);
      // Handed back while running: the job is already waiting again, BullMQ must not touch it.
      if (entry?.handedBack) throw new DelayedError();
      ctx.metrics.inc('newsloom_jobs_total', { stage, outcome: 'completed' });
      // Shared per-minute counts for the status page; a lost count must not fail the job.
      counters.completed(stage, newArticleOf(stage, parsed.data, result)).catch((err: unknown) => log.debug({ err: describeError(err) }, 'cannot count completed job'));
      log.debug({ durationMs: Math.round(performance.now() - started) }, 'job done');
      return result ?? null;
    } catch (err) {
      if (entry?.handedBack || err instanceof DelayedError) throw new DelayedError();
      // Two waits that are not failures park the job in the delayed set without spending a try
      // (bullmq 6.7 Job.moveToDelayed passes skipAttempt), then DelayedError tells the Worker the job
      // has already moved (worker.ts handleFailed): a host asking us to wait (NL_WAIT, until the time
      // it gave), and Redis full, a write of this job refused (doubling delays while workers drain).
      // Past queues.maxWait since the job was created, either is an ordinary retryable failure, so
      // nothing waits forever.
      const full = opts.memory?.refused(err) ?? false;
      const parkAtMs = full ? Date.now() + Math.min(FULL_DELAY_MAX_MS, Math.max(FULL_DELAY_MIN_MS, (job.delay || 0) * 2)) : waitUntil(err);
      if (parkAtMs !== null && token !== undefined && Date.now() - job.timestamp < ctx.config.queues.maxWait) {
        ctx.metrics.inc('newsloom_jobs_total', { stage, outcome: 'delayed' });
        log.debug({ err: describeError(err), retryAt: new Date(parkAtMs).toISOString() }, full ? 'job waits for Redis to have room' : 'job waits for host');
        await job.moveToDelayed(parkAtMs, token);
        throw new DelayedError();
      }
      const permanent = err instanceof UnrecoverableError || !isRetryable(err);
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      ctx.metrics.inc('newsloom_jobs_total', { stage, outcome: permanent || lastTry ? 'failed' : 'retried' });
      if (stage === 'feeds') ctx.metrics.inc('newsloom_feed_errors_total', { code: codeOf(err) });
      if (stage === 'extract') ctx.metrics.inc('newsloom_extraction_failures_total', { reason: codeOf(err) });
      if (permanent || lastTry) log.warn({ err: describeError(err), attempt: job.attemptsMade + 1 }, 'job failed');
      else log.info({ err: describeError(err), attempt: job.attemptsMade + 1 }, 'job will retry');
      // No more tries: the item's ledger row says failed, with the same reason (workers/ledger.ts).
      if (permanent || lastTry) await settleFailedJob(ctx, stage, job.data, describeError(err), log);
      if (err instanceof UnrecoverableError) throw err;
      // The last try is wrapped too, so every failed job's reason reads "CODE: message".
      if (permanent || lastTry) throw new UnrecoverableError(describeError(err));
      throw err;
    } finally {
      if (entry) active.delete(entry.job.id!);
      ctx.metrics.observe('newsloom_stage_duration_seconds', { stage }, performance.now() - started);
    }
  };
  const worker = new RoomAwareWorker(stage, processor, {
    connection: ctx.redis,
    prefix: hashTagPrefix(ctx.config.redis.prefix),
    concurrency: ctx.config.queues.concurrency[stage],
    // Catalogue §6: a killed worker's jobs run again within 30 s at p95 (defaults 30 s + 30 s and one
    // stall allowed). CPU-bound work runs in threads, so the event loop renews locks in time.
    lockDuration: ctx.config.queues.lockDuration,
    stalledInterval: ctx.config.queues.stalledInterval,
    maxStalledCount: ctx.config.queues.maxStalledCount,
    // Started below, once `memory` is set: the fetch loop reads it.
    autorun: false,
  });
  worker.memory = opts.memory;
  activeJobs.set(worker, active);
  // Without a listener an 'error' event would crash the process; connection faults are retried by
  // ioredis, and reported once per kind (not once per stage and reconnect attempt) by `faults`.
  // Refused writes while Redis is full are one episode, logged by `memory`.
  worker.on('error', (err) => {
    if (opts.memory?.refused(err)) return;
    if (opts.faults) opts.faults.fault(err, { stage });
    else ctx.log.error({ stage, err: describeError(err) }, 'worker error');
  });
  worker.run().catch((err: unknown) => worker.emit('error', err as Error));
  return worker;
}

/**
 * Shutdown past its grace: moves every job the Worker still runs back to be taken again at once,
 * without spending a try (moveToDelayed to now skips the attempt, as for NL_WAIT), then aborts
 * the handlers' signals. Without this a cut-off job keeps its lock until the stall check, ~20 s
 * later, brings it back. A job that cannot be moved (Redis unreachable, lock already lost) is
 * left to the stall check. Resolves to the number moved.
 */
export async function handBackActiveJobs(worker: Worker, log: Logger): Promise<number> {
  const running = [...(activeJobs.get(worker)?.values() ?? [])].filter((a) => !a.handedBack);
  // Marked first: a handler that ends meanwhile must not complete or fail the job it no longer owns.
  for (const a of running) a.handedBack = true;
  const moved = await Promise.all(running.map(async ({ job, token }) => {
    try {
      await job.moveToDelayed(Date.now(), token);
      return true;
    } catch (err) {
      log.warn({ stage: job.queueName, jobId: job.id, err: describeError(err) }, 'cannot hand back job: the stall check will bring it back');
      return false;
    }
  }));
  worker.cancelAllJobs('shutdown: job handed back');
  return moved.filter(Boolean).length;
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
