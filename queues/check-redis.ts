import type { Redis } from 'ioredis';
import type { Logger } from '../lib/log.js';

/**
 * BullMQ works only with `maxmemory-policy noeviction`: any other policy lets Redis delete job
 * keys under memory pressure. Warns when the server says otherwise; managed services that hide
 * CONFIG are let through with a debug line.
 */
export async function checkEvictionPolicy(redis: Redis, log: Logger): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? null;
    if (policy !== null && policy !== 'noeviction') {
      log.warn({ policy, expected: 'noeviction' }, 'redis maxmemory-policy is not noeviction: jobs may be evicted; set maxmemory-policy noeviction');
    }
    return policy;
  } catch (err) {
    log.debug({ err: (err as Error).message }, 'cannot read redis maxmemory-policy');
    return null;
  }
}
