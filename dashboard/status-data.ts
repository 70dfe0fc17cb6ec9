import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FeedState, FeedStateStore } from '../adapters/redis/feed-state-store.js';
import { redisStageCounters } from '../adapters/redis/stage-counters.js';
import { ledgerSummary, type LedgerSummary } from '../adapters/storage/ledger.js';
import type { Storage } from '../adapters/storage/storage.js';
import { QUEUE_NAMES, type QueueName } from '../queues/names.js';
import type { Queues } from '../queues/queues.js';

/** Everything the status page reads; the page itself only formats it. */
export interface StatusSources {
  queues: Queues;
  redis: Redis;
  feedState: FeedStateStore;
  storage?: () => Promise<Storage>;
}

export interface FeedHealth extends FeedState {
  /** New articles stored from this feed on each of the last DAYS UTC days, today last. */
  newPerDay: number[];
}

export interface StageThroughput {
  stage: QueueName;
  /** Jobs completed in each of the last MINUTES minutes, oldest first, over every worker process. */
  perMinute: number[];
  total: number;
}

export interface FailureGroup {
  /** The "CODE" of the failed jobs' "CODE: message" reasons; "OTHER" for a reason without one. */
  code: string;
  count: number;
  byQueue: Partial<Record<QueueName, number>>;
  /** A few distinct reasons of this group, newest first. */
  examples: string[];
  lastFailedAt: string | null;
}

export interface LatestArticle {
  id: string;
  title: string;
  url: string;
  feed: string | null;
  fetchedAt: string;
  publishedAt: string | null;
}

export interface StatusData {
  generatedAt: string;
  feeds: FeedHealth[];
  throughput: StageThroughput[];
  failures: FailureGroup[];
  /** Failed jobs in all; the groups are built from the newest FAILED_SCAN per queue. */
  failedTotal: number;
  /** null when this dashboard has no storage; `articlesError` then or when it failed. */
  articles: LatestArticle[] | null;
  articlesError: string | null;
  /** The ledger of accepted items by state; null with the articles. */
  ledger: LedgerSummary | null;
}

export const MINUTES = 60;
export const DAYS = 7;
const FAILED_SCAN = 500;
const LATEST = 20;
const EXAMPLES = 3;

/** Reads what the status page shows, each part from where it lives: Redis, BullMQ, storage. */
export async function loadStatusData(src: StatusSources, now = Date.now()): Promise<StatusData> {
  const counters = redisStageCounters(src.redis, prefixOf(src.queues.feeds));
  const [feeds, perDay, perMinute, failed, stored] = await Promise.all([
    src.feedState.list(),
    counters.newArticlesPerDay(DAYS, now),
    counters.perMinute(QUEUE_NAMES, MINUTES, now),
    failureGroups(src.queues),
    fromStorage(src.storage),
  ]);
  return {
    generatedAt: new Date(now).toISOString(),
    feeds: feeds.map((f) => ({ ...f, newPerDay: perDay.get(f.url) ?? new Array<number>(DAYS).fill(0) })),
    throughput: QUEUE_NAMES.map((stage) => {
      const counts = perMinute[stage] ?? [];
      return { stage, perMinute: counts, total: counts.reduce((a, b) => a + b, 0) };
    }),
    failures: failed.groups,
    failedTotal: failed.total,
    articles: stored.articles,
    articlesError: stored.error,
    ledger: stored.ledger,
  };
}

/** The code of a failed job's reason ("NL_HTTP_STATUS: GET … answered 404" → NL_HTTP_STATUS). */
export function reasonCode(reason: string | undefined): string {
  return /^([A-Z][A-Z0-9_]{1,40}):/.exec(reason ?? '')?.[1] ?? 'OTHER';
}

async function failureGroups(queues: Queues): Promise<{ groups: FailureGroup[]; total: number }> {
  const groups = new Map<string, FailureGroup>();
  let total = 0;
  for (const name of QUEUE_NAMES) {
    total += await queues[name].getFailedCount();
    // getFailed answers newest first.
    for (const job of await queues[name].getFailed(0, FAILED_SCAN - 1)) {
      if (!job) continue;
      const code = reasonCode(job.failedReason);
      const g = groups.get(code) ?? { code, count: 0, byQueue: {}, examples: [], lastFailedAt: null };
      g.count++;
      g.byQueue[name] = (g.byQueue[name] ?? 0) + 1;
      if (g.examples.length < EXAMPLES && job.failedReason && !g.examples.includes(job.failedReason)) g.examples.push(job.failedReason);
      const at = job.finishedOn ? new Date(job.finishedOn).toISOString() : null;
      if (at && (!g.lastFailedAt || at > g.lastFailedAt)) g.lastFailedAt = at;
      groups.set(code, g);
    }
  }
  return { groups: [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)), total };
}

/**
 * Moves every failed job whose reason has `code` back to waiting, in every queue (or in `queue`
 * only); answers how many went back. Ids are collected first: retrying shifts the failed set.
 */
export async function retryFailedGroup(queues: Queues, code: string, queue?: QueueName): Promise<number> {
  let retried = 0;
  for (const name of queue ? [queue] : QUEUE_NAMES) {
    const matching: Job[] = [];
    const count = await queues[name].getFailedCount();
    for (let start = 0; start < count; start += FAILED_SCAN) {
      for (const job of await queues[name].getFailed(start, start + FAILED_SCAN - 1)) {
        if (job && reasonCode(job.failedReason) === code) matching.push(job);
      }
    }
    for (const job of matching) {
      // A job retried meanwhile (another click, Bull Board) is no longer failed: skip it.
      const ok = await job.retry('failed').then(() => true, () => false);
      if (ok) retried++;
    }
  }
  return retried;
}

/** The latest articles and the ledger, read together: both need storage, and fail together when it is down. */
async function fromStorage(storage: StatusSources['storage']): Promise<{ articles: LatestArticle[] | null; ledger: LedgerSummary | null; error: string | null }> {
  if (!storage) return { articles: null, ledger: null, error: 'storage is not available to this dashboard' };
  try {
    const db = await storage();
    const [{ articles: rows }, ledger] = await Promise.all([db.listArticles({}, null, LATEST), ledgerSummary(db)]);
    const articles = rows.map((a) => ({ id: a.id, title: a.title, url: a.url, feed: a.feed?.title ?? a.feed?.url ?? null, fetchedAt: a.fetchedAt, publishedAt: a.publishedAt }));
    return { articles, ledger, error: null };
  } catch (err) {
    return { articles: null, ledger: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The config's redis.prefix, read back from a queue's `{prefix}` hash tag. */
function prefixOf(queue: Queue): string {
  return (queue.opts.prefix ?? '{newsloom}').replace(/^\{|\}$/g, '');
}
