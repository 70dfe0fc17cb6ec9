import { redisDrainLock } from '../adapters/redis/drain-lock.js';
import type { LedgerRow } from '../adapters/storage/ledger.js';
import { describeError } from '../lib/errors.js';
import { key } from '../queues/connection.js';
import { payloads } from '../queues/payloads.js';
import type { WorkerContext } from './context.js';
import { enqueueFetches, jobsOf, removeJobs, type ItemJobs } from './ledger.js';

export interface ReconcileOptions {
  /** Pending items untouched this long are looked at (ledger.staleAfter). */
  staleAfterMs: number;
  /** Items looked at per batch. */
  limit?: number;
}

export interface ReconcileResult {
  /** Stale pending items looked at. */
  looked: number;
  /** Enqueued again: no job of theirs was left in any queue. */
  requeued: number;
  /** A job of theirs is still queued, retrying or parked: looked at again staleAfter later. */
  inFlight: number;
  /** Their job had failed without the item being settled (stalled too often, or the settle itself failed). */
  failed: number;
}

// Items whose jobs are read at once: each read is a few Redis round trips.
const PARALLEL = 8;

/**
 * One look at the ledger's stale pending items (catalogue §5.1): each one with no job of its
 * identity in any item queue (Redis restarted empty, or lost the last second of writes) is
 * enqueued again from its stored fetch payload, finished jobs of that identity removed first so
 * they do not turn the adds into no-ops (as is one whose page expired before extraction, a failure
 * a new fetch cures); one whose job failed without settling it is settled failed
 * with the job's reason; one still in flight only has its clock restarted. Items stored meanwhile
 * are not enqueued: noteRequeued takes only rows still pending.
 */
export async function reconcileOnce(ctx: WorkerContext, { staleAfterMs, limit = 500 }: ReconcileOptions): Promise<ReconcileResult> {
  const storage = await ctx.storage();
  const rows = await storage.stalePending(new Date(Date.now() - staleAfterMs).toISOString(), limit);
  const fates: Array<{ row: LedgerRow; jobs: ItemJobs }> = [];
  for (let i = 0; i < rows.length; i += PARALLEL) {
    fates.push(...(await Promise.all(rows.slice(i, i + PARALLEL).map(async (row) => ({ row, jobs: await jobsOf(ctx.queues, row.itemKey) })))));
  }
  const inFlight = fates.filter((f) => f.jobs.kind === 'in-flight').map((f) => f.row.itemKey);
  await storage.notePending(inFlight);
  let failed = 0;
  for (const { row, jobs } of fates) {
    if (jobs.kind !== 'failed') continue;
    await storage.settleItem(row.itemKey, 'failed', jobs.reason);
    failed++;
  }
  const lost = fates.filter((f) => f.jobs.kind === 'none');
  const bad = lost.filter((f) => !payloads.fetch.safeParse(f.row.payload).success);
  for (const { row } of bad) await storage.settleItem(row.itemKey, 'failed', `NL_PAYLOAD: the ledger's fetch payload of ${row.itemKey} does not parse`);
  const still = new Set(await storage.noteRequeued(lost.filter((f) => !bad.includes(f)).map((f) => f.row.itemKey)));
  const requeue = lost.filter((f) => still.has(f.row.itemKey));
  for (const { jobs } of requeue) if (jobs.kind === 'none') await removeJobs(ctx.queues, jobs.finished);
  await enqueueFetches(ctx.queues, requeue.map((f) => f.row));
  for (const { row } of requeue) ctx.log.debug({ url: row.itemKey, feedUrl: row.feedUrl, acceptedAt: row.acceptedAt, requeues: row.requeues + 1 }, 'stale item enqueued again');
  ctx.metrics.inc('newsloom_items_requeued_total', {}, requeue.length);
  return { looked: rows.length, requeued: requeue.length, inFlight: inFlight.length, failed: failed + bad.length };
}

export interface ReconcilerOptions extends ReconcileOptions {
  everyMs: number;
}

// Batches per run: a backlog larger than this waits for the next tick.
const MAX_BATCHES = 20;
const LOCK_TTL_MS = 60_000;

/**
 * Runs reconcileOnce every `everyMs` in this process, under a Redis lock so one process at a time
 * does it (another process's tick while it runs makes the holder look once more, drain-lock.ts).
 * A failed run is logged and tried again at the next tick.
 */
export function startReconciler(ctx: WorkerContext, { everyMs, ...opts }: ReconcilerOptions): { stop(): Promise<void> } {
  const lock = redisDrainLock(ctx.redis, key(ctx.config.redis.prefix, 'ledger', 'reconciler'), LOCK_TTL_MS);
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        await lock.run(async (extend) => {
          const total: ReconcileResult = { looked: 0, requeued: 0, inFlight: 0, failed: 0 };
          for (let batch = 0; batch < MAX_BATCHES && !stopped; batch++) {
            const r = await reconcileOnce(ctx, opts);
            for (const k of Object.keys(total) as Array<keyof ReconcileResult>) total[k] += r[k];
            await extend();
            if (r.looked < (opts.limit ?? 500)) break;
          }
          if (total.requeued > 0 || total.failed > 0) ctx.log.info(total, 'stale pending items reconciled');
        });
      } catch (err) {
        ctx.log.warn({ err: describeError(err) }, 'reconciling stale pending items failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
