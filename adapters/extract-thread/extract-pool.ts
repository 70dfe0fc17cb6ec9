import { availableParallelism } from 'node:os';
import { NewsloomError } from '../../lib/errors.js';
import type { ItemHints } from '../../stages/article.js';
import type { ExtractOptions, ExtractOutcome, FetchedPage } from '../../stages/extract/extract-article.js';
import { ThreadPool } from '../thread-pool/thread-pool.js';

export interface ExtractPoolOptions {
  /** Threads kept; default the machine's cores (at least 1). */
  size?: number;
  /** A page not extracted by then is killed with its thread and fails NL_EXTRACT_TIMEOUT; default 20 s. */
  timeBudgetMs?: number;
  /** V8 old-space cap of each thread (worker_threads resourceLimits); default 1024 MB. */
  maxOldGenerationSizeMb?: number;
  /**
   * V8 young-generation size of each thread (worker_threads resourceLimits); default 128 MB, V8's being 48.
   * Extraction allocates many short-lived nodes (linkedom gives each a WeakMap entry and a Map): a larger young
   * generation is scavenged less often, 6–13% less CPU per page for up to ~110 MB more RSS a thread.
   */
  maxYoungGenerationSizeMb?: number;
  /**
   * A thread is replaced after this many pages, so a leak in a DOM library cannot grow for ever; default 2,000.
   * A fresh thread costs ~2.5 s of CPU (tsx, jsdom, linkedom, Readability loaded again, the JIT cold): at 100
   * pages that was ~25 ms a page, more than extracting one. bench:extract shows no growth over 3 passes of its
   * 491 pages in one process (RSS after pass 3 below pass 1), so a long quota costs no memory.
   */
  pagesPerThread?: number;
}

/**
 * A page as the page store keeps it, gzipped bytes: the thread unpacks and decodes it (decodeText),
 * so neither the gunzip, the charset decoding nor a copy of the decoded text runs on the worker's
 * event loop; the bytes that cross are about a fifth of the text.
 */
export interface StoredPage {
  url: string;
  fetchedAt: string;
  hints?: ItemHints;
  gzipped: Uint8Array;
  /** The Content-Type the page was served with: its charset matters to decodeText. */
  contentType: string | null;
}

/** What an extraction thread is given. */
export interface ExtractTask {
  page: FetchedPage | StoredPage;
  opts: ExtractOptions;
}

const shownUrl = (task: ExtractTask | null) => task?.page.url ?? '(page)';
const shownSize = (page: FetchedPage | StoredPage) => ('html' in page ? `${page.html.length} characters of HTML` : `${page.gzipped.length} bytes of gzipped HTML`);

/**
 * Worker threads that run extractArticle, reused across pages (adapters/thread-pool), so extraction uses
 * every core and never blocks the caller's event loop: a page past its time budget or memory cap ends its
 * thread, and the caller gets a NewsloomError saying why.
 */
export class ExtractPool {
  private readonly pool: ThreadPool<ExtractTask, ExtractOutcome>;

  constructor(opts: ExtractPoolOptions = {}) {
    this.pool = new ThreadPool({
      entry: new URL('./thread-entry.mjs', import.meta.url),
      size: Math.max(1, opts.size ?? availableParallelism()),
      timeoutMs: opts.timeBudgetMs ?? 20_000,
      maxOldGenerationSizeMb: opts.maxOldGenerationSizeMb ?? 1024,
      maxYoungGenerationSizeMb: opts.maxYoungGenerationSizeMb ?? 128,
      tasksPerThread: opts.pagesPerThread ?? 2_000,
      errors: {
        // Retryable: the budget is wall-clock time, and a machine that is busy (or a worker that was
        // paused) runs a healthy page past it; a page slow by nature fails again, and its last try is
        // permanent (workers/define.ts), so it still reaches the failed set with this reason.
        timeout: (task, ms) =>
          new NewsloomError(
            `extract ${shownUrl(task)}: not extracted within its time budget of ${ms} ms (${shownSize(task.page)}); extraction thread stopped`,
            'NL_EXTRACT_TIMEOUT',
            true,
          ),
        crash: (task, err, limitMb) =>
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new NewsloomError(`extract ${shownUrl(task)}: extraction thread ran out of memory (limit ${limitMb} MB)`, 'NL_EXTRACT_MEMORY', false, { cause: err })
            : new NewsloomError(`extract ${shownUrl(task)}: extraction thread failed: ${err.message}`, 'NL_EXTRACT_CRASH', true, { cause: err }),
        closed: (task) => new NewsloomError(`extract ${shownUrl(task)}: the extraction pool is closed`, 'NL_POOL_CLOSED', false),
        rebuild: (e) => new NewsloomError(e.message, e.code, e.retryable),
      },
    });
  }

  /**
   * extractArticle in a thread (a stored page unpacked and decoded there first); rejects with its NewsloomError,
   * NL_PAGE_CORRUPT for a stored page that does not unpack, or NL_EXTRACT_TIMEOUT / NL_EXTRACT_MEMORY / NL_EXTRACT_CRASH.
   * `timeBudgetMs` overrides the pool's budget for this page.
   */
  extract(page: FetchedPage | StoredPage, opts: ExtractOptions = {}, { timeBudgetMs }: { timeBudgetMs?: number } = {}): Promise<ExtractOutcome> {
    // Structured clone copies a typed array's whole ArrayBuffer: a Buffer from Redis may be a view on a large shared one.
    const sent = 'gzipped' in page && page.gzipped.byteLength !== page.gzipped.buffer.byteLength ? { ...page, gzipped: new Uint8Array(page.gzipped) } : page;
    return this.pool.run({ page: sent, opts }, timeBudgetMs === undefined ? {} : { timeoutMs: timeBudgetMs });
  }

  /** Live threads, busy or idle. */
  get threads(): number {
    return this.pool.threads;
  }

  /** Pages waiting for a thread. */
  get waiting(): number {
    return this.pool.waiting;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
