import { Redis } from 'ioredis';
import { NewsloomError } from '../lib/errors.js';

/** `{newsloom}`: the prefix as a Redis Cluster hash tag, so every key of a deployment lands in one slot. */
export function hashTagPrefix(prefix: string): string {
  return `{${prefix}}`;
}

/** Key of newsloom's own data beside BullMQ's, under the same hash tag. */
export function key(prefix: string, ...parts: string[]): string {
  return [hashTagPrefix(prefix), ...parts].join(':');
}

export interface LivenessOptions {
  /** How often a ready connection is asked PING. */
  everyMs: number;
  /** How long a PING may go unanswered before the connection is given up and made again. */
  timeoutMs: number;
}

// Past a lock's 15 s the jobs are lost to this process anyway; a frozen Redis, which answers late
// but answers, is given as long.
const LIVENESS: LivenessOptions = { everyMs: 5000, timeoutMs: 15_000 };

/**
 * An ioredis connection as BullMQ workers need it: `maxRetriesPerRequest: null` so blocking
 * commands wait through a Redis restart instead of failing, and reconnects forever with a cap;
 * watched by `watchLiveness`.
 */
export function createRedis(url: string, name = 'newsloom', liveness: LivenessOptions = LIVENESS): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  watchLiveness(redis, liveness);
  return redis;
}

/**
 * ioredis has no read timeout: a connection whose peer stops answering without closing it (a
 * network partition, a NAT or firewall entry dropped, a half-open socket) stays "ready" while
 * every command waits, for as long as TCP keeps retrying (~15 min on Linux), or for ever behind a
 * middlebox that keeps acknowledging. BullMQ guards only its blocking connection that way. So a
 * ready connection is asked PING every `everyMs`; one left unanswered `timeoutMs` emits an
 * NL_REDIS_UNRESPONSIVE error (the workers' fault log reports it once per outage, and "redis
 * connection back" when ready again) and reconnects: commands still waiting are sent again on the
 * new connection (ioredis autoResendUnfulfilledCommands), and BullMQ's scripts check the job's
 * lock token, so one that did run before is refused, not applied twice. Chaos R11, issue 9.
 */
export function watchLiveness(redis: Redis, { everyMs, timeoutMs }: LivenessOptions): () => void {
  // The round being asked: a PING given up on may still settle later, and must not end the next round.
  let round = 0;
  let asking = 0;
  const timer = setInterval(() => {
    if (asking !== 0 || redis.status !== 'ready') return;
    const mine = ++round;
    asking = mine;
    const guard = setTimeout(() => {
      if (asking !== mine) return;
      asking = 0;
      if (redis.status !== 'ready') return;
      const err = new NewsloomError(`redis ${redis.options.host}:${redis.options.port} did not answer PING within ${timeoutMs / 1000} s: reconnecting`, 'NL_REDIS_UNRESPONSIVE', true);
      // An 'error' with no listener would throw; BullMQ and startPipeline listen.
      if (redis.listenerCount('error') > 0) redis.emit('error', err);
      redis.disconnect(true);
    }, timeoutMs);
    redis.ping().catch(() => {}).finally(() => {
      clearTimeout(guard);
      if (asking === mine) asking = 0;
    });
  }, everyMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  redis.once('end', stop);
  return stop;
}
