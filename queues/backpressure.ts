import type { Queue } from 'bullmq';
import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';
import type { QueueName } from './names.js';

/**
 * The queue each stage adds its output to, for the stages a full next queue holds back. `feeds`
 * is never held (polls keep their schedule and add only small fetch jobs) and `store` adds to no
 * queue.
 */
export const NEXT_STAGE: Readonly<Partial<Record<QueueName, QueueName>>> = {
  fetch: 'extract',
  extract: 'normalise',
  normalise: 'dedupe',
  dedupe: 'enrich',
  enrich: 'store',
};

/** Jobs waiting in a queue: the BullMQ states a worker takes from. */
export type WaitingCounts = Partial<Record<QueueName, number>>;

/**
 * Pure: the stages (of those given) that must not start another job, because the queue they add
 * to holds `highWater` or more waiting jobs. A count that is missing (not read) holds nothing.
 * `highWater` 0 turns holding off.
 */
export function heldStages(stages: readonly QueueName[], waiting: WaitingCounts, highWater: number): Set<QueueName> {
  const held = new Set<QueueName>();
  if (highWater <= 0) return held;
  for (const stage of stages) {
    const next = NEXT_STAGE[stage];
    const count = next === undefined ? undefined : waiting[next];
    if (count !== undefined && count >= highWater) held.add(stage);
  }
  return held;
}

export interface Backpressure {
  /** Whether `stage` is held now (its next queue is full). */
  held(stage: QueueName): boolean;
  /**
   * Resolves true once `stage` may start a job (at once when it is not held), false when the
   * watch closes or `signal` aborts first (shutdown: the caller hands its job back).
   */
  whenOpen(stage: QueueName, signal?: AbortSignal): Promise<boolean>;
  /** Stops reading counts and releases every waiter with false. */
  close(): void;
}

export interface BackpressureOptions {
  /** The stages this process runs; only those with a next queue are watched. */
  stages: readonly QueueName[];
  queues: { readonly [Q in QueueName]?: Queue };
  highWater: number;
  log: Logger;
  /** How often counts are read while any watched queue is at least half full, and otherwise. */
  busyPollMs?: number;
  idlePollMs?: number;
  /** Called on every change of held stages (metrics, tests). */
  onChange?: (held: ReadonlySet<QueueName>) => void;
}

/**
 * Watches the waiting count of each queue the given stages add to, and holds a stage while its
 * next queue has `highWater` or more jobs waiting. Without it, when pages arrive faster than the
 * CPU-bound stages take them, fetch and extract run far ahead: their CPU is spent on work that
 * waits in Redis instead of on finishing articles, so fewer are stored per second, and fetched
 * pages pile up in Redis. Each hop holds back the one before it, so a slow `enrich` holds `dedupe`,
 * then `normalise`, then `extract`, then `fetch`, and the feed's items wait as small fetch jobs.
 * Counts are global (read from Redis), so this works across processes and machines. A read that
 * fails (Redis away) holds nothing: a worker then cannot take jobs anyway.
 */
export function watchBackpressure(opts: BackpressureOptions): Backpressure {
  const { highWater, log } = opts;
  const busyMs = opts.busyPollMs ?? 250;
  const idleMs = opts.idlePollMs ?? 1_000;
  const watched = highWater > 0 ? opts.stages.filter((s) => NEXT_STAGE[s] !== undefined && opts.queues[NEXT_STAGE[s]!] !== undefined) : [];
  const nexts = [...new Set(watched.map((s) => NEXT_STAGE[s]!))];
  let held = new Set<QueueName>();
  let closed = false;
  const waiters = new Set<{ stage: QueueName; resolve: (open: boolean) => void }>();
  let timer: NodeJS.Timeout | undefined;

  /** Resolves the waiters of stages no longer held (all of them with `open` false at close). */
  const release = (open: boolean) => {
    for (const w of waiters) {
      if (open && held.has(w.stage)) continue;
      waiters.delete(w);
      w.resolve(open);
    }
  };

  const read = async (): Promise<WaitingCounts> => {
    const waiting: WaitingCounts = {};
    await Promise.all(nexts.map(async (next) => {
      const counts = await opts.queues[next]!.getJobCounts('waiting', 'prioritized');
      waiting[next] = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    }));
    return waiting;
  };

  const poll = async () => {
    let waiting: WaitingCounts = {};
    try {
      waiting = await read();
    } catch (err) {
      log.debug({ err: describeError(err) }, 'backpressure: cannot read queue counts; holding nothing');
    }
    if (closed) return;
    const next = heldStages(watched, waiting, highWater);
    const changed = next.size !== held.size || [...next].some((s) => !held.has(s));
    if (changed) {
      const newlyHeld = [...next].filter((s) => !held.has(s));
      const freed = [...held].filter((s) => !next.has(s));
      held = next;
      log.debug({ held: [...held], newlyHeld, freed, waiting }, 'backpressure changed');
      if (freed.length > 0) release(true);
      opts.onChange?.(held);
    }
    // Quick while anything is held or was just let go (a released stage refills its next queue
    // fast) or a queue is half full; slow when all is quiet.
    const busy = held.size > 0 || changed || Object.values(waiting).some((n) => n !== undefined && n * 2 >= highWater);
    timer = setTimeout(() => void poll(), busy ? busyMs : idleMs);
    timer.unref();
  };
  if (watched.length > 0) void poll();

  return {
    held: (stage) => held.has(stage),
    whenOpen(stage, signal) {
      if (closed || signal?.aborted) return Promise.resolve(false);
      if (!held.has(stage)) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const waiter = {
          stage,
          resolve: (open: boolean) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(open);
          },
        };
        const onAbort = () => {
          waiters.delete(waiter);
          waiter.resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(waiter);
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      release(false);
    },
  };
}
