import { Worker } from 'node:worker_threads';
import type { ThreadError, ThreadReply, ThreadRequest } from './thread-messages.js';

/** How a pool names its failures: each kind of pool words them for its own task. */
export interface ThreadPoolErrors<In> {
  timeout(input: In, timeoutMs: number): Error;
  crash(input: In | null, err: Error & { code?: string }, maxOldGenerationSizeMb: number): Error;
  closed(input: In): Error;
  /** An error the thread's work threw, rebuilt from its plain-object form. */
  rebuild(error: ThreadError): Error;
}

export interface ThreadPoolSpec<In> {
  /** The thread's entry module (an .mjs that registers tsx, then imports a module calling serveThread). */
  entry: URL;
  size: number;
  /** A task that has not answered by then is killed with its thread. */
  timeoutMs: number;
  /** V8 old-space cap of each thread (worker_threads resourceLimits). */
  maxOldGenerationSizeMb: number;
  /** V8 young-generation size of each thread (worker_threads resourceLimits); unset: V8's default. */
  maxYoungGenerationSizeMb?: number;
  /** A thread is replaced after this many tasks (a slow leak in a library cannot grow for ever). */
  tasksPerThread?: number;
  /** Handed to every thread as `workerData` (structured-cloned): what it should load. */
  workerData?: unknown;
  /** Replace a thread that was killed or retired at once, so no task waits for a thread to load. */
  keepWarm?: boolean;
  errors: ThreadPoolErrors<In>;
}

/** Per task: its own time limit (default the spec's), and a signal that kills its thread when aborted. */
export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Job<In, Out> {
  req: ThreadRequest<In>;
  timeoutMs: number;
  resolve: (out: Out) => void;
  reject: (err: Error) => void;
}

interface Slot<In, Out> {
  worker: Worker;
  /** Set when the thread has loaded its module: its start-up is not charged to a task's time limit. */
  ready: boolean;
  job: Job<In, Out> | null;
  timer: NodeJS.Timeout | null;
  tasks: number;
  /** Settles when the thread says 'ready', or fails to start. */
  loaded: Promise<void>;
}

/**
 * Worker threads reused across tasks of synchronous CPU work that no promise timeout can interrupt:
 * a task past its time limit or memory cap is ended by terminating its thread, which is replaced on
 * the next demand; the caller gets the error the spec words for it. Threads are unref'd, so idle ones
 * never keep a finished process alive.
 */
export class ThreadPool<In, Out> {
  private readonly slots: Array<Slot<In, Out>> = [];
  private readonly queue: Array<Job<In, Out>> = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly spec: ThreadPoolSpec<In>) {}

  run(input: In, opts: RunOptions = {}): Promise<Out> {
    if (this.closed) return Promise.reject(this.spec.errors.closed(input));
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Out>((resolve, reject) => {
      const job: Job<In, Out> = { req: { id: this.nextId++, input }, timeoutMs: opts.timeoutMs ?? this.spec.timeoutMs, resolve, reject };
      if (signal) {
        // Aborted while waiting: leave the queue. While running: the thread is busy with work no
        // promise can stop, so it is ended like a timeout and replaced.
        const onAbort = () => {
          const queued = this.queue.indexOf(job);
          if (queued >= 0) {
            this.queue.splice(queued, 1);
            job.reject(abortReason(signal));
            return;
          }
          const slot = this.slots.find((s) => s.job === job);
          if (slot) this.fail(slot, abortReason(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const settle = () => signal.removeEventListener('abort', onAbort);
        job.resolve = (out) => (settle(), resolve(out));
        job.reject = (err) => (settle(), reject(err));
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Starts threads up to the pool's size and resolves when every one has loaded its module, so
   * start-up (a model, a gazetteer) is paid before the first task and a module that cannot load
   * fails here, with the thread's error.
   */
  warm(): Promise<void> {
    while (this.slots.length < this.spec.size) this.spawn();
    return Promise.all(this.slots.map((slot) => slot.loaded)).then(() => undefined);
  }

  /** Live threads, busy or idle. */
  get threads(): number {
    return this.slots.length;
  }

  /** Tasks waiting for a thread. */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(this.spec.errors.closed(job.req.input));
    await Promise.all(this.slots.splice(0).map((s) => this.stop(s)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.job === null);
      if (slot === undefined) {
        const starting = this.slots.filter((s) => !s.ready).length;
        if (this.slots.length < this.spec.size && starting < this.queue.length) this.spawn();
        return;
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.tasks++;
      slot.timer = setTimeout(() => this.fail(slot, this.spec.errors.timeout(job.req.input, job.timeoutMs)), job.timeoutMs);
      slot.worker.postMessage(job.req);
    }
  }

  private spawn(): void {
    const limitMb = this.spec.maxOldGenerationSizeMb;
    // Node skips a limit that is not a number: an unset young generation keeps V8's default.
    const resourceLimits = { maxOldGenerationSizeMb: limitMb, maxYoungGenerationSizeMb: this.spec.maxYoungGenerationSizeMb };
    const worker = new Worker(this.spec.entry, { resourceLimits, workerData: this.spec.workerData });
    worker.unref();
    let loaded!: { resolve: () => void; reject: (err: Error) => void };
    const slot: Slot<In, Out> = {
      worker, ready: false, job: null, timer: null, tasks: 0,
      loaded: new Promise<void>((resolve, reject) => (loaded = { resolve, reject })),
    };
    // warm() may never be called: a start-up failure is reported through the task it fails.
    slot.loaded.catch(() => undefined);
    worker.on('message', (reply: ThreadReply<Out> | 'ready') => {
      if (reply !== 'ready') return this.answer(slot, reply);
      slot.ready = true;
      loaded.resolve();
      this.dispatch();
    });
    const crash = (err: Error & { code?: string }) => {
      const error = this.spec.errors.crash(slot.job?.req.input ?? null, err, limitMb);
      if (!slot.ready) loaded.reject(error);
      this.fail(slot, error);
    };
    worker.on('error', crash);
    worker.on('exit', (code) => crash(new Error(`thread exited with code ${code}`)));
    this.slots.push(slot);
  }

  private answer(slot: Slot<In, Out>, reply: ThreadReply<Out>): void {
    const job = slot.job;
    if (job === null || job.req.id !== reply.id) return;
    this.release(slot);
    if (this.spec.tasksPerThread !== undefined && slot.tasks >= this.spec.tasksPerThread && this.retire(slot) && this.spec.keepWarm && !this.closed) this.spawn();
    if (reply.ok) job.resolve(reply.value);
    else job.reject(this.spec.errors.rebuild(reply.error));
    this.dispatch();
  }

  /** Ends a thread that timed out, ran out of memory or died; its task fails, the next one gets a new thread. */
  private fail(slot: Slot<In, Out>, err: Error): void {
    if (!this.retire(slot)) return;
    const job = slot.job;
    this.release(slot);
    job?.reject(err);
    // A thread that dies before it is ready would die again (its module does not load): fail the waiting
    // tasks instead of respawning for ever.
    if (!slot.ready) for (const waiting of this.queue.splice(0)) waiting.reject(err);
    else if (this.spec.keepWarm && !this.closed && this.slots.length < this.spec.size) this.spawn();
    this.dispatch();
  }

  private retire(slot: Slot<In, Out>): boolean {
    const index = this.slots.indexOf(slot);
    if (index < 0) return false;
    this.slots.splice(index, 1);
    void this.stop(slot);
    return true;
  }

  private release(slot: Slot<In, Out>): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  private async stop(slot: Slot<In, Out>): Promise<void> {
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(`aborted: ${String(signal.reason)}`);
}
