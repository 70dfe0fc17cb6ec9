import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Runs a drain in one process at a time across every process sharing Redis, never missing a
 * request: a caller first marks work as pending, then takes the lock or leaves it to its holder,
 * who drains again while the mark keeps coming back, and checks it once more after letting go.
 */
export interface DrainLock {
  /** Drains (with `extend` to keep the lock through a long drain); false when another holder will. */
  run(drain: (extend: () => Promise<void>) => Promise<void>): Promise<boolean>;
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export function redisDrainLock(redis: Redis, lockKey: string, ttlMs: number): DrainLock {
  const pendingKey = `${lockKey}:pending`;
  return {
    async run(drain) {
      await redis.set(pendingKey, '1');
      for (;;) {
        const token = randomUUID();
        if ((await redis.set(lockKey, token, 'PX', ttlMs, 'NX')) === null) return false;
        try {
          const extend = async () => void (await redis.eval(EXTEND, 1, lockKey, token, String(ttlMs)));
          while ((await redis.del(pendingKey)) === 1) await drain(extend);
        } finally {
          await redis.eval(RELEASE, 1, lockKey, token);
        }
        // Marked after our last look but while we held the lock: that caller left it to us.
        if ((await redis.exists(pendingKey)) === 0) return true;
      }
    },
  };
}
