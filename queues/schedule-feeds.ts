import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Config } from '../config/schema.js';

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
  for (const [id, feed] of wanted) {
    await feedsQueue.upsertJobScheduler(
      id,
      { every: feed.interval ?? config.poll.interval },
      { name: 'poll', data: { feedUrl: feed.url, ...(feed.name ? { name: feed.name } : {}) } },
    );
  }
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
