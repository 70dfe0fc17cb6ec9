import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

export interface HostLimits {
  /** Requests to the host in flight at once, over every worker and machine. */
  maxConcurrent: number;
  /** Least time between two request starts at the host. */
  minIntervalMs: number;
  /** A lease not released by then lapses, so a killed process never holds the host. */
  leaseMs?: number;
  /** When only the concurrency cap refuses, how long to wait before asking again (at least minIntervalMs). */
  busyRetryMs?: number;
}

export type HostTurn =
  | { ok: true; /** When the gate granted it, on the Redis server's clock. */ grantedAtMs: number; release(): Promise<void> }
  | { ok: false; /** Ask again at this instant (this process's clock). */ retryAtMs: number; reason: 'backoff' | 'interval' | 'busy' };

/** Per-host politeness shared by every process through Redis. */
export interface HostGate {
  /** Takes a turn at `host` now, or says when to ask again; never waits. */
  acquire(host: string, limits: HostLimits): Promise<HostTurn>;
  /** Keeps everyone off `host` until `untilMs` (a 429/503); an earlier end never shortens a longer one. */
  backoff(host: string, untilMs: number): Promise<void>;
  /** The end of the host's current back-off, or null when none. */
  blockedUntil(host: string): Promise<number | null>;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_BUSY_RETRY_MS = 250;
// Host state outlives its last use by this much, so a slower per-feed interval still sees the last start.
const KEEP_MS = 3_600_000;

// Time comes from Redis TIME, not the callers: ten workers on three machines share one clock, so
// skew between machines cannot let two of them start inside one interval. Scripts calling TIME
// must replicate effects; Redis 7 always does, older ones need the switch.
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function keep(k, ms)
  local ttl = redis.call('PTTL', k)
  if ttl < ms then redis.call('PEXPIRE', k, ms) end
end
`;

// KEYS: state hash (last start, backoff end, horizon), leases zset (id -> expiry).
// ARGV: lease id, max concurrent, min interval ms, lease ms, busy retry ms, keep ms.
// Returns {1, now} for a turn, or {0, wait ms, reason}.
const ACQUIRE = `${NOW}
local maxConcurrent, interval, leaseMs, busyMs, keepMs = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local st = redis.call('HMGET', KEYS[1], 'last', 'backoff', 'horizon')
local last, backoff, horizon = tonumber(st[1]), tonumber(st[2]) or 0, tonumber(st[3]) or 0
local at, reason = now, ''
if backoff > at then at, reason = backoff, 'backoff' end
if last and last + interval > at then at = last + interval; if reason == '' then reason = 'interval' end end
if reason == '' and redis.call('ZCARD', KEYS[2]) >= maxConcurrent then at, reason = now + busyMs, 'busy' end
if reason == '' then
  redis.call('ZADD', KEYS[2], now + leaseMs, ARGV[1])
  keep(KEYS[2], leaseMs)
  redis.call('HSET', KEYS[1], 'last', now)
  keep(KEYS[1], interval + keepMs)
  return {1, now}
end
-- Each refused caller is promised the slot after the last one promised, so a burst of waiting
-- jobs comes back spread one interval apart instead of all at once to be refused again.
if horizon >= now and horizon + interval > at then at = horizon + interval end
redis.call('HSET', KEYS[1], 'horizon', at)
keep(KEYS[1], at - now + keepMs)
return {0, at - now, reason}
`;

// KEYS: state hash. ARGV: back-off ms from now, keep ms. Returns the back-off left in ms.
const BACKOFF = `${NOW}
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'backoff')) or 0
if untilMs > cur then redis.call('HSET', KEYS[1], 'backoff', untilMs); cur = untilMs end
keep(KEYS[1], cur - now + tonumber(ARGV[2]))
return cur - now
`;

// KEYS: state hash. Returns the back-off left in ms (0 when none). Read-only, so no TIME switch needed.
const BLOCKED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = tonumber(redis.call('HGET', KEYS[1], 'backoff')) or 0
if b > now then return b - now end
return 0
`;

type Scripted = Redis & {
  newsloomHostAcquire(state: string, leases: string, ...argv: Array<string | number>): Promise<[number, number, string?]>;
  newsloomHostBackoff(state: string, delayMs: number, keepMs: number): Promise<number>;
  newsloomHostBlocked(state: string): Promise<number>;
};

/**
 * A per-host gate in Redis, keyed under the deployment's `{prefix}` hash tag: at most
 * `maxConcurrent` leases and `minIntervalMs` between grants per host, plus host back-off.
 * Open-source BullMQ has no group rate limit (that is BullMQ Pro), hence our own Lua.
 */
export function redisHostGate(redis: Redis, prefix: string): HostGate {
  const r = redis as Scripted;
  // defineCommand loads by EVALSHA and falls back to EVAL after a script flush or failover.
  if (typeof r.newsloomHostAcquire !== 'function') {
    redis.defineCommand('newsloomHostAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('newsloomHostBackoff', { numberOfKeys: 1, lua: BACKOFF });
    redis.defineCommand('newsloomHostBlocked', { numberOfKeys: 1, lua: BLOCKED });
  }
  const stateKey = (host: string) => key(prefix, 'host', host.toLowerCase());
  const leasesKey = (host: string) => key(prefix, 'host', host.toLowerCase(), 'leases');
  return {
    async acquire(host, limits) {
      const id = randomUUID();
      const leaseMs = limits.leaseMs ?? DEFAULT_LEASE_MS;
      const busyMs = Math.max(limits.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS, limits.minIntervalMs);
      const [granted, value, reason] = await r.newsloomHostAcquire(
        stateKey(host), leasesKey(host), id, limits.maxConcurrent, limits.minIntervalMs, leaseMs, busyMs, KEEP_MS,
      );
      // Redis answers in its own clock; convert to ours as "this much from now".
      if (granted !== 1) return { ok: false, retryAtMs: Date.now() + value, reason: reason as 'backoff' | 'interval' | 'busy' };
      let released = false;
      return {
        ok: true,
        grantedAtMs: value,
        async release() {
          if (released) return;
          released = true;
          await redis.zrem(leasesKey(host), id);
        },
      };
    },
    async backoff(host, untilMs) {
      await r.newsloomHostBackoff(stateKey(host), Math.max(0, Math.ceil(untilMs - Date.now())), KEEP_MS);
    },
    async blockedUntil(host) {
      const left = await r.newsloomHostBlocked(stateKey(host));
      return left > 0 ? Date.now() + left : null;
    },
  };
}
