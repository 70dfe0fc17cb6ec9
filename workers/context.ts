import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import type { QueueName } from '../queues/names.js';
import type { Payload } from '../queues/payloads.js';
import { enqueue, type Queues } from '../queues/queues.js';
import type { HttpGetOptions, HttpResponse } from '../adapters/http/http-get.js';
import { httpGet } from '../adapters/http/http-get.js';
import { redisPageStore, type PageStore } from '../adapters/redis/page-store.js';
import { redisSeenStore, type SeenStore } from '../adapters/redis/seen-store.js';
import { redisDedupeIndex, type DedupeIndex } from '../adapters/redis/dedupe-index.js';
import { redisFeedStateStore, type FeedStateStore } from '../adapters/redis/feed-state-store.js';
import { redisEventStream, type EventStream } from '../adapters/redis/event-stream.js';
import type { Storage } from '../adapters/storage/storage.js';
import { FeedParserPool } from '../adapters/feed-parser-thread/feed-parser-pool.js';
import type { FeedDocument } from '../stages/feeds/feed-document.js';
import { openSqliteStorage } from '../adapters/storage/sqlite-storage.js';

/** Everything a worker may touch: adapters, config, logging. Stages get only what they ask for. */
export interface WorkerContext {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  redis: Redis;
  queues: Queues;
  enqueue<Q extends QueueName>(stage: Q, payload: Payload<Q>, identity: string): Promise<void>;
  /** A guarded GET with the configured limits; a page by default, `maxBytes` for feeds. */
  http(url: string, extra?: Partial<Pick<HttpGetOptions, 'accept' | 'headers' | 'maxBytes'>>): Promise<HttpResponse>;
  pages: PageStore;
  seen: SeenStore;
  dedupe: DedupeIndex;
  feedState: FeedStateStore;
  events: EventStream;
  /** Opened on first use: only the process that runs the store stage needs the database. */
  storage(): Storage;
  /** Parses a feed in a worker thread with a time limit and a memory cap (a parse cannot be interrupted otherwise). */
  parseFeed(bytes: Buffer, opts: { contentType: string | null; url: string }): Promise<FeedDocument>;
  close(): Promise<void>;
}

export interface ContextParts {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  redis: Redis;
  queues: Queues;
}

export function createWorkerContext({ config, log, metrics, redis, queues }: ContextParts): WorkerContext {
  const prefix = config.redis.prefix;
  let storage: Storage | null = null;
  let parser: FeedParserPool | null = null;
  return {
    config, log, metrics, redis, queues,
    enqueue: (stage, payload, identity) => enqueue(queues, stage, payload, identity),
    http: (url, extra) =>
      httpGet(url, {
        userAgent: config.fetch.userAgent,
        timeoutMs: config.fetch.timeout,
        connectTimeoutMs: config.fetch.connectTimeout,
        firstByteTimeoutMs: config.fetch.firstByteTimeout,
        maxBytes: config.fetch.maxPageBytes,
        maxRedirects: config.fetch.maxRedirects,
        allowPrivateNetworks: config.fetch.allowPrivateNetworks,
        ...extra,
      }),
    pages: redisPageStore(redis, prefix),
    seen: redisSeenStore(redis, prefix),
    dedupe: redisDedupeIndex(redis, prefix),
    feedState: redisFeedStateStore(redis, prefix),
    events: redisEventStream(redis, prefix, config.events.maxLen),
    storage: () => (storage ??= openSqliteStorage(config.storage.sqlite)),
    parseFeed: (bytes, opts) => (parser ??= new FeedParserPool()).parse(bytes, opts),
    async close() {
      storage?.close();
      storage = null;
      await parser?.close();
      parser = null;
    },
  };
}
