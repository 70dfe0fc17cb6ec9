import type { ExtractOptions, ExtractOutcome, FetchedPage } from '../../stages/extract/extract-article.js';

/** What the pool sends an extraction thread. */
export interface ThreadRequest {
  id: number;
  page: FetchedPage;
  opts: ExtractOptions;
}

/** An error as it crosses the thread boundary: a plain object, rebuilt on the other side by code. */
export interface ThreadError {
  message: string;
  code: string;
  retryable: boolean;
  name: string;
}

/** What an extraction thread answers; it also sends 'ready' once, when the extractor has loaded. */
export type ThreadReply = { id: number; ok: true; outcome: ExtractOutcome } | { id: number; ok: false; error: ThreadError };
