import { resolve } from 'node:path';
import { NewsloomError } from '../../lib/errors.js';
import type { Logger } from '../../lib/log.js';
import { hasRedisServer, redisAnswers, spawnRedis } from './spawn-redis.js';

export interface RedisEndpoint {
  url: string;
  /** Set when newsloom started its own redis-server: stops it. */
  stop?: () => Promise<void>;
}

export const NO_REDIS_MESSAGE =
  'newsloom needs Redis: install it (apt-get install redis-server, or brew install redis), run `docker compose up -d redis`, or set REDIS_URL';

/**
 * The Redis to use: the configured URL; else one answering on localhost:6379; else a private
 * redis-server child with its data under ./data/redis (AOF on), stopped when newsloom exits.
 */
export async function resolveRedis(configuredUrl: string | undefined, log: Logger, dataDir = './data/redis'): Promise<RedisEndpoint> {
  if (configuredUrl) return { url: configuredUrl };
  if (await redisAnswers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379' };
  if (!hasRedisServer()) throw new NewsloomError(NO_REDIS_MESSAGE, 'NL_NO_REDIS', false);
  const dir = resolve(dataDir);
  const child = await spawnRedis({ port: 6379, dir, appendonly: true });
  log.info({ dir, pid: child.pid }, 'started private redis-server');
  return { url: child.url, stop: child.stop };
}
