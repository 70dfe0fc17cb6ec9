import { Redis } from 'ioredis';

/** `{newsloom}`: the prefix as a Redis Cluster hash tag, so every key of a deployment lands in one slot. */
export function hashTagPrefix(prefix: string): string {
  return `{${prefix}}`;
}

/** Key of newsloom's own data beside BullMQ's, under the same hash tag. */
export function key(prefix: string, ...parts: string[]): string {
  return [hashTagPrefix(prefix), ...parts].join(':');
}

/**
 * An ioredis connection as BullMQ workers need it: `maxRetriesPerRequest: null` so blocking
 * commands wait through a Redis restart instead of failing, and reconnects forever with a cap.
 */
export function createRedis(url: string, name = 'newsloom'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
}
