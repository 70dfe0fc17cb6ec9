import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NewsloomError } from '../../lib/errors.js';
import type { FeedDocument } from '../../stages/feeds/feed-document.js';
import { FeedParseError } from '../../stages/feeds/feed-parse-error.js';
import type { ParseFeedDocumentOptions } from '../../stages/feeds/parse-feed-document.js';
import type { ThreadError, ThreadReply, ThreadRequest } from './thread-messages.js';

export interface FeedParserLimits {
  /** A parse that has not answered by then is killed with its thread; default 10 s. */
  timeoutMs?: number;
  /** V8 old-space cap of each parser thread (worker_threads resourceLimits); default 512 MB. */
  maxOldGenerationSizeMb?: number;
  /** Threads kept; default 2, or 1 on a single-core machine. */
  size?: number;
}

interface Job {
  req: ThreadRequest;
  resolve: (doc: FeedDocument) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Set when the thread has loaded the parser: its start-up (tsx, imports) is not charged to a parse's time limit. */
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const ENTRY = new URL('./thread-entry.mjs', import.meta.url);

/**
 * Worker threads that run parseFeedDocument, reused across parses. A parse is synchronous CPU
 * work no promise timeout can interrupt, so a parse past its time limit or memory cap is ended
 * by terminating its thread, which is replaced on the next demand; the caller gets a NewsloomError.
 */
export class FeedParserPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly timeoutMs: number;
  readonly maxOldGenerationSizeMb: number;
  readonly size: number;

  constructor(limits: FeedParserLimits = {}) {
    this.timeoutMs = limits.timeoutMs ?? 10_000;
    this.maxOldGenerationSizeMb = limits.maxOldGenerationSizeMb ?? 512;
    this.size = limits.size ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  }

  /** Parses in a thread; rejects with FeedParseError, or NL_FEED_PARSE_TIMEOUT / NL_FEED_PARSE_MEMORY. */
  parse(bytes: Buffer | string, opts: ParseFeedDocumentOptions): Promise<FeedDocument> {
    if (this.closed) return Promise.reject(new NewsloomError('parse feed: the parser pool is closed', 'NL_POOL_CLOSED', false));
    // A copy of just this view: posting a pooled Buffer would clone its whole backing store.
    const payload = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, bytes: payload, opts }, resolve, reject });
      this.dispatch();
    });
  }

  /** Live threads, busy or idle. */
  get threads(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new NewsloomError('parse feed: the parser pool closed', 'NL_POOL_CLOSED', false));
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
      slot.timer = setTimeout(() => this.fail(slot, timeoutError(job, this.timeoutMs)), this.timeoutMs);
      slot.worker.postMessage(job.req);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: this.maxOldGenerationSizeMb } });
    // Idle threads must not keep a finished CLI alive; a pending parse's timer does while it runs.
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    worker.on('message', (reply: ThreadReply | 'ready') => {
      if (reply !== 'ready') return this.answer(slot, reply);
      slot.ready = true;
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => this.fail(slot, crashError(slot.job, err, this.maxOldGenerationSizeMb)));
    worker.on('exit', () => this.fail(slot, crashError(slot.job, new Error('parser thread exited'), this.maxOldGenerationSizeMb)));
    this.slots.push(slot);
    return slot;
  }

  private answer(slot: Slot, reply: ThreadReply): void {
    const job = slot.job;
    if (job === null || job.req.id !== reply.id) return;
    this.release(slot);
    if (reply.ok) job.resolve(reply.doc);
    else job.reject(rebuildError(reply.error));
    this.dispatch();
  }

  /** Ends a thread that timed out, ran out of memory or died; its job fails, the next parse gets a new thread. */
  private fail(slot: Slot, err: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const job = slot.job;
    this.release(slot);
    void this.stop(slot);
    job?.reject(err);
    // A thread that dies before it is ready would die again (the parser does not load): fail the waiting parses instead of respawning for ever.
    if (!slot.ready) for (const waiting of this.queue.splice(0)) waiting.reject(err);
    this.dispatch();
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

const shownUrl = (job: Job | null) => job?.req.opts.url ?? '(document)';

function timeoutError(job: Job, timeoutMs: number): NewsloomError {
  // Retryable: a parse starved of CPU by a busy machine may pass next time; the attempt cap bounds the cost of one that never will.
  return new NewsloomError(`parse feed ${shownUrl(job)}: no result within ${timeoutMs} ms, parser thread stopped`, 'NL_FEED_PARSE_TIMEOUT', true);
}

function crashError(job: Job | null, err: Error & { code?: string }, limitMb: number): NewsloomError {
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new NewsloomError(`parse feed ${shownUrl(job)}: parser thread ran out of memory (limit ${limitMb} MB)`, 'NL_FEED_PARSE_MEMORY', false, { cause: err });
  }
  return new NewsloomError(`parse feed ${shownUrl(job)}: parser thread failed: ${err.message}`, 'NL_FEED_PARSE_CRASH', true, { cause: err });
}

/** Errors cross the thread as plain objects: a FeedParseError again by its code, else a NewsloomError with the same code. */
function rebuildError(e: ThreadError): NewsloomError {
  return e.code === 'NL_FEED_PARSE' ? new FeedParseError(e.message) : new NewsloomError(e.message, e.code, e.retryable);
}
