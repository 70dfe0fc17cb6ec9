import { Article } from '../../stages/article.js';
import { enrichmentKey, planWrite, type WritePlan } from '../../stages/store/plan-write.js';
import type { ArticleEventBody } from './storage.js';

/** What a backend holds for an article id: its row's hash, title and stored JSON. */
export interface StoredRow {
  contentHash: string;
  title: string;
  doc: Article;
}

export interface Write {
  plan: WritePlan & { change: 'created' | 'updated' };
  /** The article as it is to be stored. */
  stored: Article;
  event: ArticleEventBody;
}

/**
 * What upserting `article` over `row` means, the same for every backend: null when nothing changed;
 * else the row to write (an update keeps the story the article was first filed under, and only a
 * new text or title is a modification) and the event for the outbox.
 */
export function decideWrite(row: StoredRow | null, article: Article, now: string): Write | null {
  const prev = row ? Article.parse(row.doc) : null;
  const existing = row && prev ? { contentHash: row.contentHash, title: row.title, enrichmentKey: enrichmentKey(prev) } : null;
  const plan = planWrite(existing, article);
  if (plan.change === 'unchanged' || plan.event === null) return null;
  let stored = article;
  if (plan.change === 'updated' && prev) {
    stored = { ...article, storyId: prev.storyId, duplicateOf: prev.duplicateOf, modifiedAt: plan.revision ? (article.modifiedAt ?? now) : article.modifiedAt };
  }
  const event = { type: plan.event, articleId: stored.id, url: stored.canonicalUrl, storyId: stored.storyId, duplicateOf: stored.duplicateOf, at: now };
  return { plan: { ...plan, change: plan.change }, stored, event };
}
