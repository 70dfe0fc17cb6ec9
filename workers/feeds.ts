import type { FeedConfig } from '../config/schema.js';
import { describeError, waitUntil } from '../lib/errors.js';
import { cacheMaxAgeMs } from '../stages/feeds/cache-max-age.js';
import { checkFeedResponse } from '../stages/feeds/check-feed-response.js';
import { conditionalHeaders } from '../stages/feeds/conditional-headers.js';
import { toParsedFeed } from '../stages/feeds/parse-feed.js';
import { planNextPoll, type PollOutcome } from '../stages/feeds/plan-next-poll.js';
import { readChannelHints } from '../stages/feeds/read-channel-hints.js';
import { dropOldItems, itemKey, seenKey, selectNewItems } from '../stages/feeds/select-new-items.js';
import type { WorkerContext } from './context.js';
import { defineWorker } from './define.js';
import { announceFeedHealth } from './feed-health.js';
import { acceptPolledItems } from './ledger.js';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

// A tick this close to nextPollAt is due: nextPollAt counts from when the last poll ended, its
// tick from when it was scheduled, so without this slack any tick a little earlier than the last
// one (by queueing or fetch time) would be skipped and the feed polled every other interval.
const DUE_SLACK_MAX_MS = 60_000;

// config.feeds can hold 100,000 feeds: look one up by URL, not by scanning the list on every poll.
const feedsByUrl = new WeakMap<readonly FeedConfig[], Map<string, FeedConfig>>();

function feedConfigOf(feeds: readonly FeedConfig[], url: string): FeedConfig | undefined {
  let byUrl = feedsByUrl.get(feeds);
  if (byUrl === undefined) feedsByUrl.set(feeds, (byUrl = new Map(feeds.map((f) => [f.url, f]))));
  return byUrl.get(url);
}

export const feedsWorker = defineWorker('feeds', async (job, ctx) => {
  const { feedUrl, name, force } = job.data;
  const feedConfig = feedConfigOf(ctx.config.feeds, feedUrl);
  const state = await ctx.feedState.get(feedUrl);
  const now = Date.now();
  const slackMs = Math.min(DUE_SLACK_MAX_MS, (feedConfig?.interval ?? ctx.config.poll.interval) / 10);
  // A scheduler tick while the feed backs off or asked to wait is skipped; a retry of a failed poll is not.
  if (!force && job.attempt === 1 && state.nextPollAt && Date.parse(state.nextPollAt) > now + slackMs) {
    return { skipped: 'not due', nextPollAt: state.nextPollAt };
  }
  const next = (outcome: PollOutcome) => new Date(planNextPoll(outcome, pollPolicy(ctx, feedConfig), Date.now())).toISOString();
  try {
    const res = await ctx.http(feedUrl, { accept: FEED_ACCEPT, headers: conditionalHeaders(state), maxBytes: ctx.config.fetch.maxFeedBytes, feedUrl });
    const maxAge = cacheMaxAgeMs(res.headers['cache-control']);
    if (res.status === 304) {
      const rec = await ctx.feedState.record(feedUrl, name ?? null, { kind: 'not-modified', nextPollAt: next({ kind: 'not-modified', askedMs: [maxAge] }) });
      await announceFeedHealth(ctx, job.log, { feedUrl, name: name ?? null, rec, error: null });
      return { notModified: true };
    }
    checkFeedResponse(res);
    const doc = await ctx.parseFeed(res.body, { contentType: res.headers['content-type'] ?? null, url: res.url });
    const feed = toParsedFeed(doc, { maxItems: ctx.config.poll.maxItems });
    const recent = dropOldItems(feed.items, now - (feedConfig?.maxItemAge ?? ctx.config.poll.maxItemAge));
    const fresh = selectNewItems(recent, await ctx.seen.unseen(feedUrl, recent.map((i) => ({ seenKey: seenKey(i), urlKey: itemKey(i) }))));
    const discoveredAt = new Date().toISOString();
    const title = name ?? feed.title;
    const feedRef = { url: feedUrl, ...(title ? { title } : {}) };
    // Recorded in the storage ledger as pending before they are enqueued (workers/ledger.ts).
    const accepted = await acceptPolledItems(ctx, feedUrl, fresh.map((item) => ({
      feed: feedRef, url: item.url, guid: item.guid, discoveredAt,
      hints: { title: item.title, author: item.author, publishedAt: item.publishedAt, categories: item.categories },
    })));
    const { minIntervalMs } = readChannelHints(res.body.subarray(0, 65_536).toString('latin1'));
    const rec = await ctx.feedState.record(feedUrl, name ?? null, {
      kind: 'ok', etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null,
      title: feed.title, items: feed.items.length, newItems: accepted.fresh, nextPollAt: next({ kind: 'ok', askedMs: [maxAge, minIntervalMs] }),
    });
    await announceFeedHealth(ctx, job.log, { feedUrl, name: name ?? null, rec, error: null });
    ctx.metrics.inc('newsloom_feed_items_total', { outcome: 'new' }, accepted.fresh);
    job.log.info({ feedUrl, items: feed.items.length, recent: recent.length, newItems: accepted.fresh, enqueued: accepted.enqueued, reseen: accepted.reseen }, 'feed polled');
    return { items: feed.items.length, newItems: accepted.fresh };
  } catch (err) {
    // The host asked us to wait: not a feed failure. define.ts parks this job until then; recording
    // an error here would set nextPollAt ahead and the parked job would come back "not due".
    if (waitUntil(err) !== null) throw err;
    const failures = state.consecutiveFailures + 1;
    const nextPollAt = next({ kind: 'error', consecutiveFailures: failures, askedMs: [] });
    const rec = await ctx.feedState.record(feedUrl, name ?? null, { kind: 'error', error: describeError(err), nextPollAt });
    await announceFeedHealth(ctx, job.log, { feedUrl, name: name ?? null, rec, error: describeError(err) });
    job.log.warn({ feedUrl, err: describeError(err), consecutiveFailures: failures, nextPollAt }, 'feed backing off');
    throw err;
  }
});

function pollPolicy(ctx: WorkerContext, feed: FeedConfig | undefined) {
  return { intervalMs: feed?.interval ?? ctx.config.poll.interval, maxBackoffMs: ctx.config.poll.maxBackoff, maxIntervalMs: ctx.config.poll.maxInterval };
}
