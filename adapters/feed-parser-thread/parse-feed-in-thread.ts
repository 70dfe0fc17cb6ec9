import type { FeedDocument } from '../../stages/feeds/feed-document.js';
import type { ParseFeedDocumentOptions } from '../../stages/feeds/parse-feed-document.js';
import { FeedParserPool, type FeedParserLimits } from './feed-parser-pool.js';

const pools = new Map<string, FeedParserPool>();

/**
 * parseFeedDocument in a worker thread of a shared pool (one pool per distinct limits), with a
 * time limit and a memory cap: a billion-laughs or 50 MB feed costs one thread, not the process.
 */
export function parseFeedInThread(bytes: Buffer | string, opts: ParseFeedDocumentOptions, limits: FeedParserLimits = {}): Promise<FeedDocument> {
  const key = `${limits.timeoutMs ?? ''}/${limits.maxOldGenerationSizeMb ?? ''}/${limits.size ?? ''}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new FeedParserPool(limits);
    pools.set(key, pool);
  }
  return pool.parse(bytes, opts);
}
