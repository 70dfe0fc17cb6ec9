import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { Logger } from '../lib/log.js';
import { statusClass, type Metrics } from '../lib/metrics.js';
import type { QueueName } from '../queues/names.js';
import type { Payload } from '../queues/payloads.js';
import { enqueue, type Queues } from '../queues/queues.js';
import type { HttpGetOptions, HttpResponse } from '../adapters/http/http-get.js';
import { politeGet } from '../adapters/http/polite-get.js';
import { httpOptions } from '../adapters/http/http-options.js';
import { redisRobotsCache } from '../adapters/http/robots-cache.js';
import { redisHostGate } from '../adapters/redis/host-gate.js';
import { redisPageStore, type PageStore } from '../adapters/redis/page-store.js';
import { redisSeenStore, type SeenStore } from '../adapters/redis/seen-store.js';
import { redisStoryIndex, type StoryIndex } from '../adapters/redis/story-index.js';
import { redisFeedStateStore, type FeedStateStore } from '../adapters/redis/feed-state-store.js';
import { redisEventStream, type EventStream } from '../adapters/redis/event-stream.js';
import type { Storage } from '../adapters/storage/storage.js';
import { FeedParserPool } from '../adapters/feed-parser-thread/feed-parser-pool.js';
import { ExtractPool, type StoredPage } from '../adapters/extract-thread/extract-pool.js';
import type { ExtractOutcome, FetchedPage } from '../stages/extract/extract-article.js';
import type { FeedDocument } from '../stages/feeds/feed-document.js';
import { openStorage } from '../adapters/storage/open-storage.js';
import { startRetention } from '../adapters/storage/retention.js';
import { loadEnrichStages, loadEnrichStagesInThreads } from '../adapters/enrich/load-stages.js';
import { redisTermStats, type TermStatsStore } from '../adapters/redis/term-stats.js';
import type { ConfiguredStage } from '../stages/enrich/run-stages.js';

/** Everything a worker may touch: adapters, config, logging. Stages get only what they ask for. */
export interface WorkerContext {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  redis: Redis;
  queues: Queues;
  enqueue<Q extends QueueName>(stage: Q, payload: Payload<Q>, identity: string): Promise<void>;
  /**
   * A guarded, polite GET: robots.txt, the per-host gate shared in Redis, host back-off on 429/503.
   * A page by default, `maxBytes` for feeds; `feedUrl` applies that feed's robots/perHost settings.
   * Throws NL_WAIT (with retryAtMs) when the host wants us later; define.ts parks the job.
   */
  http(url: string, extra?: HttpExtra): Promise<HttpResponse>;
  pages: PageStore;
  seen: SeenStore;
  stories: StoryIndex;
  feedState: FeedStateStore;
  events: EventStream;
  /** Opened (and migrated) on first use: only the process that runs the store stage needs the database. */
  storage(): Promise<Storage>;
  /** Parses a feed in a worker thread with a time limit and a memory cap (a parse cannot be interrupted otherwise). */
  parseFeed(bytes: Buffer, opts: { contentType: string | null; url: string }): Promise<FeedDocument>;
  /** Extracts a page (a stored one unpacked there too) in a worker thread (extract.threads of them), within extract.timeBudget. */
  extract(page: FetchedPage | StoredPage): Promise<ExtractOutcome>;
  /** The configured enrichment stages, loaded once (modules imported) on first use; startPipeline loads them at start. */
  enrichStages(): Promise<ConfiguredStage[]>;
  /** Document frequencies per language, for keyword ranking. */
  terms: TermStatsStore;
  close(): Promise<void>;
}

export type HttpExtra = Partial<Pick<HttpGetOptions, 'accept' | 'headers' | 'maxBytes'>> & { feedUrl?: string };

// A turn due within this is awaited in the worker; a later one parks the job (NL_WAIT), so a
// worker slot is never held for long.
const IN_PROCESS_WAIT_MS = 2_000;

export interface ContextParts {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  redis: Redis;
  queues: Queues;
  /** The config file, against which module stage paths are resolved; default the working directory. */
  configPath?: string;
}

export function createWorkerContext({ config, log, metrics, redis, queues, configPath }: ContextParts): WorkerContext {
  const prefix = config.redis.prefix;
  let storage: Promise<Storage> | null = null;
  let retention: { stop(): Promise<void> } | null = null;
  let parser: FeedParserPool | null = null;
  let extractor: ExtractPool | null = null;
  let enrichStages: Promise<ConfiguredStage[]> | null = null;
  let closeEnrichThreads: (() => Promise<void>) | null = null;
  const polite = { gate: redisHostGate(redis, prefix), robots: redisRobotsCache(redis, prefix) };
  const feeds = new Map(config.feeds.map((f) => [f.url, f]));
  return {
    config, log, metrics, redis, queues,
    enqueue: (stage, payload, identity) => enqueue(queues, stage, payload, identity),
    http: (url, { feedUrl, ...extra } = {}) => {
      const feed = feedUrl === undefined ? undefined : feeds.get(feedUrl);
      const opts = {
        ...httpOptions(config.fetch, config.fetch.maxPageBytes),
        robots: feed?.robots ?? config.fetch.robots,
        perHost: {
          maxConcurrent: feed?.perHost?.maxConcurrent ?? config.fetch.perHost.maxConcurrent,
          minIntervalMs: feed?.perHost?.minInterval ?? config.fetch.perHost.minInterval,
        },
        maxWaitMs: IN_PROCESS_WAIT_MS,
        // robots.txt is fetched with these options too: its answers are told apart by path.
        onAnswer: (status: number | null, answered: string) => {
          const request = answered !== url && new URL(answered).pathname === '/robots.txt' ? 'robots' : url === feedUrl ? 'feed' : 'page';
          metrics.inc('newsloom_fetch_responses_total', { request, status: statusClass(status) });
        },
        ...extra,
      };
      return politeGet(url, opts, polite);
    },
    pages: redisPageStore(redis, prefix),
    seen: redisSeenStore(redis, prefix),
    stories: redisStoryIndex(redis, prefix, { windowMs: config.dedupe.window }),
    feedState: redisFeedStateStore(redis, prefix),
    events: redisEventStream(redis, prefix, config.events.maxLen),
    storage: () => {
      // A failed open is not kept: the next job tries again (the database may be starting).
      storage ??= openStorage(config.storage).then(
        (opened) => {
          const retentionMs = config.storage.retention;
          if (retentionMs !== undefined) retention = startRetention(opened, { retentionMs, log });
          return opened;
        },
        (err: unknown) => {
          storage = null;
          throw err;
        },
      );
      return storage;
    },
    parseFeed: (bytes, opts) => (parser ??= new FeedParserPool()).parse(bytes, opts),
    extract: (page) =>
      (extractor ??= new ExtractPool({ size: config.extract.threads, timeBudgetMs: config.extract.timeBudget }))
        .extract(page, { dom: config.extract.dom, maxHtmlChars: config.extract.maxHtmlBytes }),
    enrichStages: () =>
      (enrichStages ??= config.enrich.threads > 0
        ? loadEnrichStagesInThreads(config, configPath).then((loaded) => {
            closeEnrichThreads = loaded.close;
            return loaded.stages;
          })
        : loadEnrichStages(config, configPath)),
    terms: redisTermStats(redis, prefix),
    async close() {
      const opened = storage;
      storage = null;
      await retention?.stop();
      retention = null;
      await opened?.then((s) => s.close(), () => {});
      await parser?.close();
      parser = null;
      await extractor?.close();
      extractor = null;
      await closeEnrichThreads?.();
      closeEnrichThreads = null;
    },
  };
}
