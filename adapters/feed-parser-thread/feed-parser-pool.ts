import { availableParallelism } from 'node:os';
import { NewsloomError } from '../../lib/errors.js';
import type { FeedDocument } from '../../stages/feeds/feed-document.js';
import { FeedParseError } from '../../stages/feeds/feed-parse-error.js';
import type { ParseFeedDocumentOptions } from '../../stages/feeds/parse-feed-document.js';
import { ThreadPool } from '../thread-pool/thread-pool.js';

export interface FeedParserLimits {
  /** A parse that has not answered by then is killed with its thread; default 10 s. */
  timeoutMs?: number;
  /** V8 old-space cap of each parser thread (worker_threads resourceLimits); default 512 MB. */
  maxOldGenerationSizeMb?: number;
  /** Threads kept; default 2, or 1 on a single-core machine. */
  size?: number;
}

/** What a parser thread is given: the feed's bytes (or text) and where it came from. */
export interface FeedParseTask {
  bytes: Uint8Array | string;
  opts: ParseFeedDocumentOptions;
}

const shownUrl = (task: FeedParseTask | null) => task?.opts.url ?? '(document)';

/**
 * Worker threads that run parseFeedDocument, reused across parses (adapters/thread-pool): a parse past
 * its time limit or memory cap ends its thread, and the caller gets a NewsloomError saying why.
 */
export class FeedParserPool {
  private readonly pool: ThreadPool<FeedParseTask, FeedDocument>;

  constructor(limits: FeedParserLimits = {}) {
    this.pool = new ThreadPool({
      entry: new URL('./thread-entry.mjs', import.meta.url),
      size: limits.size ?? Math.max(1, Math.min(2, availableParallelism() - 1)),
      timeoutMs: limits.timeoutMs ?? 10_000,
      maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb ?? 512,
      errors: {
        // Retryable: a parse starved of CPU by a busy machine may pass next time; the attempt cap bounds the cost of one that never will.
        timeout: (task, ms) => new NewsloomError(`parse feed ${shownUrl(task)}: no result within ${ms} ms, parser thread stopped`, 'NL_FEED_PARSE_TIMEOUT', true),
        crash: (task, err, limitMb) =>
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new NewsloomError(`parse feed ${shownUrl(task)}: parser thread ran out of memory (limit ${limitMb} MB)`, 'NL_FEED_PARSE_MEMORY', false, { cause: err })
            : new NewsloomError(`parse feed ${shownUrl(task)}: parser thread failed: ${err.message}`, 'NL_FEED_PARSE_CRASH', true, { cause: err }),
        closed: () => new NewsloomError('parse feed: the parser pool is closed', 'NL_POOL_CLOSED', false),
        // A FeedParseError again by its code, else a NewsloomError with the same code and verdict.
        rebuild: (e) => (e.code === 'NL_FEED_PARSE' ? new FeedParseError(e.message) : new NewsloomError(e.message, e.code, e.retryable)),
      },
    });
  }

  /**
   * Parses in a thread; rejects with FeedParseError, or NL_FEED_PARSE_TIMEOUT / NL_FEED_PARSE_MEMORY.
   * `timeoutMs` overrides the pool's time limit for this parse.
   */
  parse(bytes: Buffer | string, opts: ParseFeedDocumentOptions, { timeoutMs }: { timeoutMs?: number } = {}): Promise<FeedDocument> {
    // A copy of just this view: posting a pooled Buffer would clone its whole backing store.
    return this.pool.run({ bytes: typeof bytes === 'string' ? bytes : new Uint8Array(bytes), opts }, timeoutMs === undefined ? {} : { timeoutMs });
  }

  /** Live threads, busy or idle. */
  get threads(): number {
    return this.pool.threads;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
