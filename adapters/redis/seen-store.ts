import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';
import { sha1Hex } from '../../lib/sha1.js';

/** One item as the seen-set knows it: its identity in its feed, and the article URL behind it. */
export interface SeenItem {
  /** guid / Atom id, else canonical link (seenKey). */
  seenKey: string;
  /** Canonical article URL (itemKey). */
  urlKey: string;
}

/** Items already stored (or judged not to be articles), so a re-poll fetches only new ones. */
export interface SeenStore {
  /** The seen keys of the items that are new: unseen in this feed, and their article not stored from any feed. */
  unseen(feedUrl: string, items: SeenItem[]): Promise<Set<string>>;
  markSeen(feedUrl: string, item: SeenItem): Promise<void>;
}

/**
 * Per feed, a sorted set of seen-key hashes scored by when the item was last in the feed: each
 * full poll touches the items still listed, and an entry untouched for `forgetAfterMs` (the item
 * left the feed three days ago; a stale CDN copy listing it again is hours old) is dropped, so a
 * feed's set holds about its current items plus three days of departures instead of growing to
 * `keepPerFeed` (the hard cap, newest kept). Plus one set of article URL hashes for every feed
 * (trimmed to `keepUrls`), so one story in two feeds under two guids is fetched once.
 */
export function redisSeenStore(redis: Redis, prefix: string, keepPerFeed = 1000, keepUrls = 500_000, forgetAfterMs = 3 * 86_400_000): SeenStore {
  const feedKey = (feedUrl: string) => key(prefix, 'seen', sha1Hex(feedUrl));
  const urlsKey = key(prefix, 'seen-urls');
  // Items marked within one millisecond keep their order, so trimming drops the oldest.
  let seq = 0;
  const score = () => Date.now() + (seq = (seq + 1) % 1000) / 1000;
  return {
    async unseen(feedUrl, items) {
      if (items.length === 0) return new Set();
      const k = feedKey(feedUrl);
      const hashes = items.map((i) => sha1Hex(i.seenKey));
      const now = Date.now();
      // XX: only entries already there are touched; the scores read first are from before the touch.
      const [[, inFeed], [, asUrl]] = (await redis
        .multi()
        .zmscore(k, ...hashes)
        .zmscore(urlsKey, ...items.map((i) => sha1Hex(i.urlKey)))
        .zadd(k, 'XX', ...hashes.flatMap((h) => [now, h]))
        .exec()) as [[null, Array<string | null>], [null, Array<string | null>], unknown];
      return new Set(items.filter((_, i) => inFeed[i] === null && asUrl[i] === null).map((i) => i.seenKey));
    },
    async markSeen(feedUrl, item) {
      const k = feedKey(feedUrl);
      const s = score();
      await redis
        .multi()
        .zadd(k, s, sha1Hex(item.seenKey))
        .zremrangebyscore(k, '-inf', s - forgetAfterMs)
        .zremrangebyrank(k, 0, -keepPerFeed - 1)
        .zadd(urlsKey, s, sha1Hex(item.urlKey))
        .zremrangebyrank(urlsKey, 0, -keepUrls - 1)
        .exec();
    },
  };
}

