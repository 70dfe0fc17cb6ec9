import type { Queue } from 'bullmq';
import type { Config, FeedConfig } from '../config/schema.js';
import { jobId } from './queues.js';
import { sha1Hex } from '../lib/sha1.js';

const SCHEDULER_PREFIX = 'feed-';
// Upserts in flight at once: one round trip each, so 100,000 feeds take seconds, not minutes.
const UPSERT_CONCURRENCY = 64;

export function schedulerId(feedUrl: string): string {
  return `${SCHEDULER_PREFIX}${sha1Hex(feedUrl)}`;
}

/**
 * Where in its interval each feed is polled (ms after the interval starts). A host's feeds are
 * spaced evenly over the interval, from a slot hashed from the host: 100 feeds of one site polled
 * every 15 minutes come 9 s apart, so they never queue behind fetch.perHost.minInterval, and
 * feeds of all hosts spread over the interval instead of all polling at once (BullMQ starts an
 * `every` scheduler "now" without an offset). Slots depend only on the feed list, so they survive
 * restarts. BullMQ reads offset 0 as "none", hence at least 1.
 */
export function pollOffsets(feeds: ReadonlyArray<{ url: string; everyMs: number }>): Map<string, number> {
  const groups = new Map<string, Array<{ url: string; everyMs: number; rank: string }>>();
  for (const f of feeds) {
    const group = `${hostOf(f.url)} ${f.everyMs}`;
    let list = groups.get(group);
    if (list === undefined) groups.set(group, (list = []));
    list.push({ ...f, rank: sha1Hex(f.url) });
  }
  const offsets = new Map<string, number>();
  for (const [group, list] of groups) {
    list.sort((a, b) => (a.rank < b.rank ? -1 : 1));
    const base = parseInt(sha1Hex(group).slice(0, 12), 16);
    list.forEach((f, j) => offsets.set(f.url, (base + Math.floor((j * f.everyMs) / list.length)) % f.everyMs || 1));
  }
  return offsets;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}


type Wanted = { id: string; feed: FeedConfig; every: number; offset: number; data: { feedUrl: string; name?: string } };

function wantedSchedules(config: Readonly<Config>): Map<string, Wanted> {
  const everyOf = (feed: FeedConfig) => feed.interval ?? config.poll.interval;
  const offsets = pollOffsets(config.feeds.map((f) => ({ url: f.url, everyMs: everyOf(f) })));
  return new Map(config.feeds.map((feed) => {
    const id = schedulerId(feed.url);
    return [id, { id, feed, every: everyOf(feed), offset: offsets.get(feed.url)!, data: { feedUrl: feed.url, ...(feed.name ? { name: feed.name } : {}) } }];
  }));
}

/**
 * One BullMQ job scheduler per configured feed, each at its own offset in its interval. Only new
 * or changed feeds are written; a new feed is also polled once right away rather than at its
 * slot. Schedulers of feeds no longer in config are removed, so editing the config takes effect
 * on restart.
 */
export async function scheduleFeeds(feedsQueue: Queue, config: Readonly<Config>): Promise<{ upserted: number; removed: number }> {
  const wanted = wantedSchedules(config);
  const existing = await feedsQueue.getJobSchedulers(0, -1);
  const have = new Map(existing.map((s) => [s.key, s]));
  const changed: Wanted[] = [];
  const added: Wanted[] = [];
  for (const w of wanted.values()) {
    const s = have.get(w.id);
    if (s === undefined) added.push(w);
    else if (s.every !== w.every || s.offset !== w.offset || JSON.stringify(s.template?.data) !== JSON.stringify(w.data)) changed.push(w);
  }
  // A scheduler keeps its phase when upserted, so one at another offset (or interval) is replaced.
  await inParallel(changed, (w) => feedsQueue.removeJobScheduler(w.id));
  await inParallel([...changed, ...added], (w) => upsertFeed(feedsQueue, w));
  await pollNow(feedsQueue, added);
  let removed = 0;
  await inParallel(existing.filter((s) => s.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(s.key)), async (s) => {
    await feedsQueue.removeJobScheduler(s.key);
    removed++;
  });
  return { upserted: changed.length + added.length, removed };
}

/**
 * Re-creates the schedulers that are missing (Redis restarted empty, a FLUSHALL, a failover to a
 * stale replica), leaving existing ones alone so their next poll is not pushed back.
 */
export async function restoreMissingSchedules(feedsQueue: Queue, config: Readonly<Config>): Promise<number> {
  const wanted = wantedSchedules(config);
  const have = new Set((await feedsQueue.getJobSchedulers(0, -1)).map((s) => s.key));
  const missing = [...wanted.values()].filter((w) => !have.has(w.id));
  await inParallel(missing, (w) => upsertFeed(feedsQueue, w));
  await pollNow(feedsQueue, missing);
  return missing.length;
}

function upsertFeed(feedsQueue: Queue, w: Wanted) {
  return feedsQueue.upsertJobScheduler(w.id, { every: w.every, offset: w.offset }, { name: 'poll', data: w.data });
}

/**
 * A first poll now for feeds whose slot may be up to an interval away; the same id is added once.
 * Forced: a schedule Redis lost may leave a feed state behind (written by a poll that straddled
 * the restart) whose nextPollAt would have the worker skip this poll as not due.
 */
async function pollNow(feedsQueue: Queue, feeds: Wanted[]): Promise<void> {
  for (let i = 0; i < feeds.length; i += 1000) {
    await feedsQueue.addBulk(feeds.slice(i, i + 1000).map((w) => ({ name: 'poll', data: { ...w.data, force: true }, opts: { jobId: jobId('feeds', `first ${w.feed.url}`) } })));
  }
}

async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(UPSERT_CONCURRENCY, items.length) }, lane));
}
