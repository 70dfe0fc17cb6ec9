import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';
import { sha1Hex } from '../../lib/sha1.js';

/** What newsloom remembers about one feed between polls: validators for conditional GET, and health. */
export interface FeedState {
  url: string;
  name: string | null;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: 'ok' | 'not-modified' | 'error' | null;
  lastError: string | null;
  consecutiveFailures: number;
  itemsLastPoll: number;
  newItemsLastPoll: number;
  /** When the feed is next due; a poll before then is skipped (backoff, or the feed asked to wait). */
  nextPollAt: string | null;
  polls: number;
  notModified: number;
  /** Share of polls answered 304 Not Modified. */
  notModifiedRatio: number;
  /** New items found over all polls. */
  itemsSeen: number;
  /** feed.failing was announced and feed.recovered not yet (mirrors storage's feed_health); always set by the store. */
  failing?: boolean;
}

/** What a recorded poll did to the feed's failure count, for the feed.failing/feed.recovered decision. */
export interface FeedPollRecord {
  /** Failed tries in a row before this poll, and after it; read and written atomically. */
  previousFailures: number;
  consecutiveFailures: number;
  /** Whether the feed was marked announced-failing when this poll was recorded. */
  failing: boolean;
}

export type FeedPollResult = { nextPollAt: string } & (
  | { kind: 'ok'; etag: string | null; lastModified: string | null; title: string | null; items: number; newItems: number }
  | { kind: 'not-modified' }
  | { kind: 'error'; error: string }
);

export interface FeedStateStore {
  get(url: string): Promise<FeedState>;
  list(): Promise<FeedState[]>;
  record(url: string, name: string | null, result: FeedPollResult, at?: Date): Promise<FeedPollRecord>;
  /** Notes that feed.failing (true) or feed.recovered (false) is what storage last recorded for this feed. */
  markFailing(url: string, failing: boolean): Promise<void>;
}

export function redisFeedStateStore(redis: Redis, prefix: string): FeedStateStore {
  const indexKey = key(prefix, 'feeds');
  const feedKey = (url: string) => key(prefix, 'feed', sha1Hex(url));
  const get = async (url: string) => toState(url, await redis.hgetall(feedKey(url)));
  return {
    get,
    async list() {
      const urls = (await redis.smembers(indexKey)).sort();
      return Promise.all(urls.map(get));
    },
    async record(url, name, result, at = new Date()) {
      const k = feedKey(url);
      const fields: Record<string, string> = { url, lastPollAt: at.toISOString(), lastStatus: result.kind, nextPollAt: result.nextPollAt };
      if (name) fields.name = name;
      // The count before and the flag are read inside the same MULTI as the write: two workers
      // recording at once each see the other's effect or none of it.
      const tx = redis.multi().sadd(indexKey, url).hincrby(k, 'polls', 1).hget(k, 'consecutiveFailures').hget(k, 'failing');
      if (result.kind === 'not-modified') tx.hincrby(k, 'notModified', 1);
      if (result.kind === 'ok') tx.hincrby(k, 'itemsSeen', result.newItems);
      if (result.kind === 'error') {
        tx.hset(k, { ...fields, lastError: result.error }).hincrby(k, 'consecutiveFailures', 1);
      } else {
        Object.assign(fields, { lastSuccessAt: fields.lastPollAt, consecutiveFailures: '0', lastError: '' });
        // A 304 found nothing new; the items count of the last full answer stands.
        if (result.kind === 'not-modified') fields.newItemsLastPoll = '0';
        if (result.kind === 'ok') {
          Object.assign(fields, {
            etag: result.etag ?? '', lastModified: result.lastModified ?? '', title: result.title ?? '',
            itemsLastPoll: String(result.items), newItemsLastPoll: String(result.newItems),
          });
        }
        tx.hset(k, fields);
      }
      const replies = (await tx.exec()) ?? [];
      const previousFailures = Number(replies[2]?.[1] ?? 0) || 0;
      return {
        previousFailures,
        consecutiveFailures: result.kind === 'error' ? previousFailures + 1 : 0,
        failing: replies[3]?.[1] === '1',
      };
    },
    async markFailing(url, failing) {
      if (failing) await redis.hset(feedKey(url), 'failing', '1');
      else await redis.hdel(feedKey(url), 'failing');
    },
  };
}

function toState(url: string, h: Record<string, string>): FeedState {
  const s = (name: string) => (h[name] ? h[name]! : null);
  const n = (name: string) => Number(h[name] ?? 0) || 0;
  const status = s('lastStatus');
  return {
    url,
    name: s('name'),
    title: s('title'),
    etag: s('etag'),
    lastModified: s('lastModified'),
    lastPollAt: s('lastPollAt'),
    lastSuccessAt: s('lastSuccessAt'),
    lastStatus: status === 'ok' || status === 'not-modified' || status === 'error' ? status : null,
    lastError: s('lastError'),
    consecutiveFailures: n('consecutiveFailures'),
    itemsLastPoll: n('itemsLastPoll'),
    newItemsLastPoll: n('newItemsLastPoll'),
    nextPollAt: s('nextPollAt'),
    polls: n('polls'),
    notModified: n('notModified'),
    notModifiedRatio: n('polls') ? Math.round((n('notModified') / n('polls')) * 1000) / 1000 : 0,
    itemsSeen: n('itemsSeen'),
    failing: h.failing === '1',
  };
}
