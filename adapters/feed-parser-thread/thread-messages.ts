import type { FeedDocument } from '../../stages/feeds/feed-document.js';
import type { ParseFeedDocumentOptions } from '../../stages/feeds/parse-feed-document.js';

/** What the pool sends a parser thread. */
export interface ThreadRequest {
  id: number;
  bytes: Uint8Array | string;
  opts: ParseFeedDocumentOptions;
}

/** An error as it crosses the thread boundary: a plain object, rebuilt on the other side by code. */
export interface ThreadError {
  message: string;
  code: string;
  retryable: boolean;
  name: string;
}

/** What a parser thread answers; it also sends 'ready' once, when the parser has loaded. */
export type ThreadReply = { id: number; ok: true; doc: FeedDocument } | { id: number; ok: false; error: ThreadError };
