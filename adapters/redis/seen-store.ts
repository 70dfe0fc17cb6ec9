import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

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
 * Per feed, a sorted set of seen-key hashes scored by time, trimmed to the newest `keepPerFeed`;
 * plus one set of article URL hashes for every feed (trimmed to `keepUrls`), so one story in two
 * feeds under two guids is fetched once.
 */
export function redisSeenStore(redis: Redis, prefix: string, keepPerFeed = 5000, keepUrls = 500_000): SeenStore {
  const feedKey = (feedUrl: string) => key(prefix, 'seen', sha1(feedUrl));
  const urlsKey = key(prefix, 'seen-urls');
  // Items marked within one millisecond keep their order, so trimming drops the oldest.
  let seq = 0;
  const score = () => Date.now() + (seq = (seq + 1) % 1000) / 1000;
  return {
    async unseen(feedUrl, items) {
      if (items.length === 0) return new Set();
      const [inFeed, asUrl] = await Promise.all([
        redis.zmscore(feedKey(feedUrl), ...items.map((i) => sha1(i.seenKey))),
        redis.zmscore(urlsKey, ...items.map((i) => sha1(i.urlKey))),
      ]);
      return new Set(items.filter((_, i) => inFeed[i] === null && asUrl[i] === null).map((i) => i.seenKey));
    },
    async markSeen(feedUrl, item) {
      const k = feedKey(feedUrl);
      const s = score();
      await redis
        .multi()
        .zadd(k, s, sha1(item.seenKey))
        .zremrangebyrank(k, 0, -keepPerFeed - 1)
        .zadd(urlsKey, s, sha1(item.urlKey))
        .zremrangebyrank(urlsKey, 0, -keepUrls - 1)
        .exec();
    },
  };
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
