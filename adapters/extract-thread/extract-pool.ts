import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NewsloomError } from '../../lib/errors.js';
import type { ExtractOptions, ExtractOutcome, FetchedPage } from '../../stages/extract/extract-article.js';
import type { ThreadError, ThreadReply, ThreadRequest } from './thread-messages.js';

export interface ExtractPoolOptions {
  /** Threads kept; default the machine's cores (at least 1). */
  size?: number;
  /** A page not extracted by then is killed with its thread and fails NL_EXTRACT_TIMEOUT; default 20 s. */
  timeBudgetMs?: number;
  /** V8 old-space cap of each thread (worker_threads resourceLimits); default 1024 MB. */
  maxOldGenerationSizeMb?: number;
  /** A thread is replaced after this many pages, so a leak in a DOM library (DOMPurify on a long-lived jsdom window retains ~5 MB a page today) cannot grow for ever; default 100. */
  pagesPerThread?: number;
}

interface Job {
  req: ThreadRequest;
  resolve: (out: ExtractOutcome) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Set when the thread has loaded the extractor: its start-up (tsx, jsdom) is not charged to a page's budget. */
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  pages: number;
}

const ENTRY = new URL('./thread-entry.mjs', import.meta.url);

/**
 * Worker threads that run extractArticle, reused across pages, so extraction uses every core and never
 * blocks the caller's event loop. A page is synchronous CPU work no promise timeout can interrupt: a page
 * past its time budget or memory cap is ended by terminating its thread, which is replaced on the next
 * demand, and the caller gets a NewsloomError saying why.
 */
export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly timeBudgetMs: number;
  readonly maxOldGenerationSizeMb: number;
  readonly pagesPerThread: number;

  constructor(opts: ExtractPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.timeBudgetMs = opts.timeBudgetMs ?? 20_000;
    this.maxOldGenerationSizeMb = opts.maxOldGenerationSizeMb ?? 1024;
    this.pagesPerThread = opts.pagesPerThread ?? 100;
  }

  /** extractArticle in a thread; rejects with its NewsloomError, or NL_EXTRACT_TIMEOUT / NL_EXTRACT_MEMORY / NL_EXTRACT_CRASH. */
  extract(page: FetchedPage, opts: ExtractOptions = {}): Promise<ExtractOutcome> {
    if (this.closed) return Promise.reject(new NewsloomError(`extract ${page.url}: the extraction pool is closed`, 'NL_POOL_CLOSED', false));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, page, opts }, resolve, reject });
      this.dispatch();
    });
  }

  /** Live threads, busy or idle. */
  get threads(): number {
    return this.slots.length;
  }

  /** Pages waiting for a thread. */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new NewsloomError(`extract ${job.req.page.url}: the extraction pool closed`, 'NL_POOL_CLOSED', false));
    await Promise.all(this.slots.splice(0).map((s) => this.stop(s)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.job === null);
      if (slot === undefined) {
        const starting = this.slots.filter((s) => !s.ready).length;
        if (this.slots.length < this.size && starting < this.queue.length) this.spawn();
        return;
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.pages++;
      slot.timer = setTimeout(() => this.fail(slot, timeoutError(job, this.timeBudgetMs)), this.timeBudgetMs);
      slot.worker.postMessage(job.req);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: this.maxOldGenerationSizeMb } });
    // Idle threads must not keep a finished CLI alive; a pending page's timer does while it runs.
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, timer: null, pages: 0 };
    worker.on('message', (reply: ThreadReply | 'ready') => {
      if (reply !== 'ready') return this.answer(slot, reply);
      slot.ready = true;
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => this.fail(slot, crashError(slot.job, err, this.maxOldGenerationSizeMb)));
    worker.on('exit', (code) => this.fail(slot, crashError(slot.job, new Error(`extraction thread exited with code ${code}`), this.maxOldGenerationSizeMb)));
    this.slots.push(slot);
    return slot;
  }

  private answer(slot: Slot, reply: ThreadReply): void {
    const job = slot.job;
    if (job === null || job.req.id !== reply.id) return;
    this.release(slot);
    if (slot.pages >= this.pagesPerThread) this.retire(slot);
    if (reply.ok) job.resolve(reply.outcome);
    else job.reject(rebuildError(reply.error));
    this.dispatch();
  }

  /** Ends a thread that ran over budget, out of memory or died; its page fails, the next page gets a new thread. */
  private fail(slot: Slot, err: Error): void {
    if (!this.retire(slot)) return;
    const job = slot.job;
    this.release(slot);
    job?.reject(err);
    // A thread that dies before it is ready would die again (the extractor does not load): fail the waiting pages instead of respawning for ever.
    if (!slot.ready) for (const waiting of this.queue.splice(0)) waiting.reject(err);
    this.dispatch();
  }

  private retire(slot: Slot): boolean {
    const index = this.slots.indexOf(slot);
    if (index < 0) return false;
    this.slots.splice(index, 1);
    void this.stop(slot);
    return true;
  }

  private release(slot: Slot): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  private async stop(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }
}

const shownUrl = (job: Job | null) => job?.req.page.url ?? '(page)';

function timeoutError(job: Job, budgetMs: number): NewsloomError {
  // Permanent: extraction is deterministic CPU work on a thread of its own, so a page this slow will be as slow next time.
  return new NewsloomError(
    `extract ${shownUrl(job)}: not extracted within its time budget of ${budgetMs} ms (${job.req.page.html.length} characters of HTML); extraction thread stopped`,
    'NL_EXTRACT_TIMEOUT',
    false,
  );
}

function crashError(job: Job | null, err: Error & { code?: string }, limitMb: number): NewsloomError {
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new NewsloomError(`extract ${shownUrl(job)}: extraction thread ran out of memory (limit ${limitMb} MB)`, 'NL_EXTRACT_MEMORY', false, { cause: err });
  }
  return new NewsloomError(`extract ${shownUrl(job)}: extraction thread failed: ${err.message}`, 'NL_EXTRACT_CRASH', true, { cause: err });
}

/** Errors cross the thread as plain objects: rebuilt as a NewsloomError with the same code, message and verdict. */
function rebuildError(e: ThreadError): NewsloomError {
  return new NewsloomError(e.message, e.code, e.retryable);
}
