import { canonicalUrl } from '../normalise/canonical-url.js';

export interface FeedItemLike {
  url: string;
  guid: string;
}

/**
 * The identity of the article behind an item: its canonical URL. The same story linked from two
 * feeds, or with tracking parameters, is one fetch job.
 */
export function itemKey(item: FeedItemLike): string {
  return canonicalUrl(item.url) ?? item.url;
}

/**
 * The identity of an item within its feed across polls: its guid / Atom id, else its canonical
 * link. An item whose title or link is edited under the same guid is not new.
 */
export function seenKey(item: FeedItemLike): string {
  return item.guid.trim() || itemKey(item);
}

/** Items whose seen key is in `unseen`, each key once, in feed order. */
export function selectNewItems<T extends FeedItemLike>(items: readonly T[], unseen: ReadonlySet<string>): T[] {
  const taken = new Set<string>();
  return items.filter((item) => {
    const k = seenKey(item);
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
