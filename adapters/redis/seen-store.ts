import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

/** Items of a feed already stored (or judged not to be articles), so a re-poll fetches only new ones. */
export interface SeenStore {
  unseen(feedUrl: string, itemKeys: string[]): Promise<Set<string>>;
  markSeen(feedUrl: string, itemKey: string): Promise<void>;
}

/** Per feed, a sorted set of item-key hashes scored by time, trimmed to the newest `keep`. */
export function redisSeenStore(redis: Redis, prefix: string, keep = 5000): SeenStore {
  const setKey = (feedUrl: string) => key(prefix, 'seen', sha1(feedUrl));
  // Items marked within one millisecond keep their order, so trimming drops the oldest.
  let seq = 0;
  const score = () => Date.now() + (seq = (seq + 1) % 1000) / 1000;
  return {
    async unseen(feedUrl, itemKeys) {
      if (itemKeys.length === 0) return new Set();
      const scores = await redis.zmscore(setKey(feedUrl), ...itemKeys.map(sha1));
      return new Set(itemKeys.filter((_, i) => scores[i] === null));
    },
    async markSeen(feedUrl, itemKey) {
      const k = setKey(feedUrl);
      await redis.multi().zadd(k, score(), sha1(itemKey)).zremrangebyrank(k, 0, -keep - 1).exec();
    },
  };
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
