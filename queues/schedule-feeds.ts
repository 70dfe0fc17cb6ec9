import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Config, FeedConfig } from '../config/schema.js';

const SCHEDULER_PREFIX = 'feed-';

export function schedulerId(feedUrl: string): string {
  return `${SCHEDULER_PREFIX}${createHash('sha1').update(feedUrl).digest('hex')}`;
}

/**
 * One BullMQ job scheduler per configured feed, upserted on start; schedulers of feeds no longer
 * in config are removed, so editing the config takes effect on restart.
 */
export async function scheduleFeeds(feedsQueue: Queue, config: Readonly<Config>): Promise<{ upserted: number; removed: number }> {
  const wanted = new Map(config.feeds.map((f) => [schedulerId(f.url), f]));
  for (const [id, feed] of wanted) await upsertFeed(feedsQueue, config, id, feed);
  let removed = 0;
  for (const s of await feedsQueue.getJobSchedulers(0, -1)) {
    const id = s.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) {
      await feedsQueue.removeJobScheduler(id);
      removed++;
    }
  }
  return { upserted: wanted.size, removed };
}

/**
 * Re-creates the schedulers that are missing (Redis restarted empty, a FLUSHALL, a failover to a
 * stale replica), leaving existing ones alone so their next poll is not pushed back.
 */
export async function restoreMissingSchedules(feedsQueue: Queue, config: Readonly<Config>): Promise<number> {
  let restored = 0;
  for (const feed of config.feeds) {
    const id = schedulerId(feed.url);
    if ((await feedsQueue.getJobScheduler(id)) === undefined) {
      await upsertFeed(feedsQueue, config, id, feed);
      restored++;
    }
  }
  return restored;
}

function upsertFeed(feedsQueue: Queue, config: Readonly<Config>, id: string, feed: FeedConfig) {
  return feedsQueue.upsertJobScheduler(
    id,
    { every: feed.interval ?? config.poll.interval },
    { name: 'poll', data: { feedUrl: feed.url, ...(feed.name ? { name: feed.name } : {}) } },
  );
}
