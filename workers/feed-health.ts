import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';
import type { FeedPollRecord } from '../adapters/redis/feed-state-store.js';
import type { FeedEventBody } from '../adapters/storage/storage.js';
import type { WorkerContext } from './context.js';
import { publishOutbox } from './publish-outbox.js';

/**
 * Whether a recorded poll may change what was announced about the feed: failing once
 * `failingAfter` tries in a row failed, recovered on the first success after. Only a candidate:
 * storage decides, atomically, so racing workers announce each transition once.
 */
export function feedTransition(rec: FeedPollRecord, ok: boolean, failingAfter: number): FeedEventBody['type'] | null {
  if (!ok) return rec.consecutiveFailures >= failingAfter && !rec.failing ? 'feed.failing' : null;
  return rec.failing || rec.previousFailures >= failingAfter ? 'feed.recovered' : null;
}

/**
 * Announces feed.failing or feed.recovered when this poll is a candidate: storage writes the event
 * with the feed's new health in one transaction, or nothing when another worker already did; the
 * Redis flag then follows storage. A fault here is logged, never the poll's outcome: the flag is
 * unchanged, so the next poll of the feed tries again.
 */
export async function announceFeedHealth(
  ctx: WorkerContext, log: Logger, poll: { feedUrl: string; name: string | null; rec: FeedPollRecord; error: string | null },
): Promise<void> {
  const type = feedTransition(poll.rec, poll.error === null, ctx.config.events.feedFailingAfter);
  if (type === null) return;
  try {
    const storage = await ctx.storage();
    const event = await storage.recordFeedEvent({
      type, feedUrl: poll.feedUrl, feedName: poll.name, error: type === 'feed.failing' ? poll.error : null,
      consecutiveFailures: type === 'feed.failing' ? poll.rec.consecutiveFailures : poll.rec.previousFailures, at: new Date().toISOString(),
    });
    await ctx.feedState.markFailing(poll.feedUrl, type === 'feed.failing');
    if (event === null) return;
    log.info({ feedUrl: poll.feedUrl, event: type, consecutiveFailures: poll.rec.consecutiveFailures }, 'feed health announced');
    await publishOutbox(ctx);
  } catch (err) {
    log.warn({ feedUrl: poll.feedUrl, event: type, err: describeError(err) }, 'cannot announce feed health');
  }
}
