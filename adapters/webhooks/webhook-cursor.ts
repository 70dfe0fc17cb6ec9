import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

/**
 * Where one webhook's delivery stands in the outbox: the seq of the last event delivered (or
 * skipped by its `types`), in the Redis hash `{prefix}:webhook:<name>`. It only moves forward,
 * one event at a time, after the receiver answered 2xx.
 */
export interface WebhookCursor {
  /** The last seq delivered, or null for a webhook never started. */
  get(): Promise<number | null>;
  /** Sets the cursor unless it exists: a new webhook starts after the events already stored. */
  init(seq: number): Promise<void>;
  /** Moves from `from` to `to` when it still stands at `from`; false when another delivery moved it. */
  advance(from: number, to: number): Promise<boolean>;
  /** When a gap before `seq` (an event not yet committed, or never) was first seen, in ms; now when first seen now. */
  gapSeenAt(seq: number, nowMs: number): Promise<number>;
}

// Compare-and-set, so two deliveries racing (a stalled job run twice) can never move it back.
const ADVANCE = `if redis.call('HGET', KEYS[1], 'seq') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'seq', ARGV[2])
  redis.call('HDEL', KEYS[1], 'gapSeq', 'gapSince')
  return 1
end
return 0`;

const GAP = `if redis.call('HGET', KEYS[1], 'gapSeq') == ARGV[1] then return redis.call('HGET', KEYS[1], 'gapSince') end
redis.call('HSET', KEYS[1], 'gapSeq', ARGV[1], 'gapSince', ARGV[2])
return ARGV[2]`;

export function webhookCursorKey(prefix: string, name: string): string {
  return key(prefix, 'webhook', name);
}

export function redisWebhookCursor(redis: Redis, prefix: string, name: string): WebhookCursor {
  const k = webhookCursorKey(prefix, name);
  return {
    async get() {
      const seq = await redis.hget(k, 'seq');
      return seq === null ? null : Number(seq);
    },
    async init(seq) {
      await redis.hsetnx(k, 'seq', String(seq));
    },
    async advance(from, to) {
      return (await redis.eval(ADVANCE, 1, k, String(from), String(to))) === 1;
    },
    async gapSeenAt(seq, nowMs) {
      return Number(await redis.eval(GAP, 1, k, String(seq), String(nowMs)));
    },
  };
}
