import type { ChainableCommander, Redis } from 'ioredis';
import { key } from '../../queues/connection.js';
import type { EventEnvelope } from '../webhooks/event-envelope.js';

/**
 * Events out: the `{prefix}:events` Redis Stream, trimmed to about `maxLen` entries, readable by
 * any consumer group. Each entry has the fields `id` (the event id), `type`, `articleId` or
 * `feedUrl`, and `data` (the whole event as JSON); README "Events out" documents them.
 */
export interface EventStream {
  /** Appends one entry; answers its stream entry id. */
  publish(event: EventEnvelope): Promise<string>;
  /**
   * Appends entries in order, in one round trip, each at most once: an event id appended before
   * (a batch published again after a crash between the append and marking it published) is skipped.
   * Answers how many were appended.
   */
  publishAll(events: readonly EventEnvelope[]): Promise<number>;
}

// Append-once: the ids appended lately, in a sorted set scored by the numeric id, checked and
// written in the same script as the XADD. Only the last `keep` ids are kept: a batch is published
// again within seconds of the crash that interrupted it (the next store job or start does it), long
// before 10,000 newer events push its ids out.
const APPEND_ONCE = `
if redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 4))
local extra = redis.call('ZCARD', KEYS[2]) - 10000
if extra > 1000 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1) end
return 1`;

/** The append-once script as a command on a pipeline (defineCommand: EVALSHA, falling back to EVAL). */
type AppendOncePipeline = ChainableCommander & {
  newsloomEventAppendOnce(stream: string, appended: string, maxLen: string, score: string, id: string, ...fields: string[]): ChainableCommander;
};

export function redisEventStream(redis: Redis, prefix: string, maxLen: number): EventStream {
  // As host-gate.ts and story-index.ts do: the script is sent once per connection, not with every event.
  if (typeof (redis as unknown as { newsloomEventAppendOnce?: unknown }).newsloomEventAppendOnce !== 'function') {
    redis.defineCommand('newsloomEventAppendOnce', { numberOfKeys: 2, lua: APPEND_ONCE });
  }
  const streamKey = key(prefix, 'events');
  const appendedKey = key(prefix, 'events', 'appended');
  const fields = (event: EventEnvelope) => [
    'id', event.id, 'type', event.type,
    ...('articleId' in event ? ['articleId', event.articleId] : ['feedUrl', event.feedUrl]),
    'data', JSON.stringify(event),
  ];
  return {
    async publish(event) {
      return (await redis.xadd(streamKey, 'MAXLEN', '~', String(maxLen), '*', ...fields(event))) ?? '';
    },
    async publishAll(events) {
      if (events.length === 0) return 0;
      const pipeline = redis.pipeline() as AppendOncePipeline;
      for (const event of events) {
        // Outbox ids are decimal sequence numbers; a non-numeric id scores 0 and is still deduplicated by member.
        const score = /^\d+$/.test(event.id) ? event.id : '0';
        pipeline.newsloomEventAppendOnce(streamKey, appendedKey, String(maxLen), score, event.id, ...fields(event));
      }
      let appended = 0;
      for (const [err, added] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        appended += Number(added);
      }
      return appended;
    },
  };
}

export function eventStreamKey(prefix: string): string {
  return key(prefix, 'events');
}
