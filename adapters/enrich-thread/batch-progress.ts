/**
 * Which stage of a batch an enrichment thread is running, and since when: written by the thread as
 * each stage starts and ends, read by the worker's watchdog (enrich-pool.ts). Two Int32 slots in
 * shared memory, [step, ms since `since`], with Atomics: the thread writes the time before the step
 * and the reader reads the step first, so a reader never pairs a new step with an older start.
 */
export interface BatchProgress {
  slots: Int32Array;
  /** Date.now() when the batch was sent: start times are kept relative to it, to fit in 32 bits. */
  since: number;
}

const IDLE = -1;

export function newProgress(now = Date.now()): BatchProgress {
  const slots = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  Atomics.store(slots, 0, IDLE);
  return { slots, since: now };
}

/** The thread starts `step`: returns its start (relative), for stepDone. */
export function stepStarted(p: BatchProgress, step: number, now = Date.now()): number {
  const at = now - p.since;
  Atomics.store(p.slots, 1, at);
  Atomics.store(p.slots, 0, step);
  return at;
}

/** The thread finished `step` (started at `at`): idle again, unless a later step has started since. */
export function stepDone(p: BatchProgress, step: number, at: number): void {
  if (Atomics.load(p.slots, 1) === at) Atomics.compareExchange(p.slots, 0, step, IDLE);
}

/** The step running and when it started (epoch ms), or null between steps. */
export function runningStep(p: BatchProgress): { step: number; startedAt: number } | null {
  const step = Atomics.load(p.slots, 0);
  if (step === IDLE) return null;
  return { step, startedAt: p.since + Atomics.load(p.slots, 1) };
}
