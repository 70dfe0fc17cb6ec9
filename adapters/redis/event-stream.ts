import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

export interface ArticleEvent {
  type: 'article.created' | 'article.updated' | 'article.duplicate';
  articleId: string;
  url: string;
  storyId: string;
  duplicateOf: string | null;
  at: string;
}

/** Events out: the `{prefix}:events` Redis Stream, trimmed to about `maxLen` entries, readable by any consumer group. */
export interface EventStream {
  publish(event: ArticleEvent): Promise<string>;
}

export function redisEventStream(redis: Redis, prefix: string, maxLen: number): EventStream {
  const streamKey = key(prefix, 'events');
  return {
    async publish(event) {
      const id = await redis.xadd(streamKey, 'MAXLEN', '~', String(maxLen), '*', 'type', event.type, 'articleId', event.articleId, 'data', JSON.stringify(event));
      return id ?? '';
    },
  };
}

export function eventStreamKey(prefix: string): string {
  return key(prefix, 'events');
}
