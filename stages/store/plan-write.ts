import type { Article } from '../article.js';

export type WriteChange = 'created' | 'updated' | 'unchanged';
export type ArticleEventType = 'article.created' | 'article.updated' | 'article.duplicate';

export interface WritePlan {
  change: WriteChange;
  /** The event to announce, or null when nothing changed. */
  event: ArticleEventType | null;
}

/**
 * Decides what storing `article` means given the row already held for its id: a new row, an
 * update in place (its text changed), or nothing (a retry or a re-poll of the same text).
 */
export function planWrite(existing: { contentHash: string; title: string } | null, article: Article): WritePlan {
  if (existing === null) {
    return { change: 'created', event: article.duplicateOf ? 'article.duplicate' : 'article.created' };
  }
  if (existing.contentHash === article.contentHash && existing.title === article.title) {
    return { change: 'unchanged', event: null };
  }
  return { change: 'updated', event: 'article.updated' };
}
