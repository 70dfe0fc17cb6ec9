import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

/** Content hash → id of the first article seen with that text, shared by every worker. */
export interface DedupeIndex {
  /** Records `articleId` as the first holder of `contentHash` unless one exists; returns the first holder. */
  claim(contentHash: string, articleId: string): Promise<string>;
}

export function redisDedupeIndex(redis: Redis, prefix: string): DedupeIndex {
  return {
    async claim(contentHash, articleId) {
      const k = key(prefix, 'hash', contentHash);
      // SET NX GET (Redis ≥ 7.0) claims and reads in one atomic step: two workers racing on
      // copies of one text agree on the first.
      const previous = await redis.call('SET', k, articleId, 'NX', 'GET');
      return typeof previous === 'string' ? previous : articleId;
    },
  };
}
