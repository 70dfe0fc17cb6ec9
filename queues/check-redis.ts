import type { Redis } from 'ioredis';
import { NewsloomError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';

/**
 * BullMQ works only with `maxmemory-policy noeviction`: any other policy lets Redis delete job
 * keys (and seen-sets, schedules) under memory pressure, losing articles silently. Refuses to run
 * (NL_REDIS_POLICY, naming the setting) when the server says otherwise; managed services that hide
 * CONFIG are let through with a debug line.
 */
export async function checkEvictionPolicy(redis: Redis, log: Logger): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? null;
    if (policy !== null && policy !== 'noeviction') {
      throw new NewsloomError(
        `redis maxmemory-policy is ${policy}: expected noeviction, or Redis may delete queued jobs under memory pressure; set it with CONFIG SET maxmemory-policy noeviction or in redis.conf`,
        'NL_REDIS_POLICY',
        false,
      );
    }
    return policy;
  } catch (err) {
    if (err instanceof NewsloomError) throw err;
    log.debug({ err: (err as Error).message }, 'cannot read redis maxmemory-policy');
    return null;
  }
}
