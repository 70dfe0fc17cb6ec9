import { canonicalUrl } from '../normalise/canonical-url.js';

export interface FeedItemLike {
  url: string;
  guid: string;
}

/** The identity of a feed item across polls: its canonical URL (GUIDs are too often reused or missing). */
export function itemKey(item: FeedItemLike): string {
  return canonicalUrl(item.url) ?? item.url;
}

/** Items whose key is in `unseen`, each key once, in feed order. */
export function selectNewItems<T extends FeedItemLike>(items: readonly T[], unseen: ReadonlySet<string>): T[] {
  const taken = new Set<string>();
  return items.filter((item) => {
    const k = itemKey(item);
    if (!unseen.has(k) || taken.has(k)) return false;
    taken.add(k);
    return true;
  });
}

/**
 * Drops items published before `cutoffMs` (a first poll of a feed with 500 old items takes only
 * the recent ones). Items without a date are kept: their age is unknown, not old.
 */
export function dropOldItems<T extends { publishedAt: string | null }>(items: readonly T[], cutoffMs: number): T[] {
  return items.filter((item) => item.publishedAt === null || Date.parse(item.publishedAt) >= cutoffMs);
}
