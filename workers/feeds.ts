import { describeError } from '../lib/errors.js';
import { conditionalHeaders } from '../stages/feeds/conditional-headers.js';
import { checkFeedResponse } from '../stages/feeds/check-feed-response.js';
import { parseFeed } from '../stages/feeds/parse-feed.js';
import { itemKey, selectNewItems } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export const feedsWorker = defineWorker('feeds', async (job, ctx) => {
  const { feedUrl, name } = job.data;
  const state = await ctx.feedState.get(feedUrl);
  try {
    const res = await ctx.http(feedUrl, { accept: FEED_ACCEPT, headers: conditionalHeaders(state) });
    if (res.status === 304) {
      await ctx.feedState.record(feedUrl, name ?? null, { kind: 'not-modified' });
      job.log.info({ feedUrl, status: 304 }, 'feed not modified');
      return { notModified: true };
    }
    checkFeedResponse(res);
    const feed = await parseFeed(res.body, res.headers['content-type'] ?? null, res.url, { maxItems: ctx.config.feedDefaults.maxItems });
    const unseen = await ctx.seen.unseen(feedUrl, feed.items.map(itemKey));
    const fresh = selectNewItems(feed.items, unseen);
    const discoveredAt = new Date().toISOString();
    const feedRef = { url: feedUrl, ...(name ?? feed.title ? { title: (name ?? feed.title)! } : {}) };
    for (const item of fresh) {
      const hints = { title: item.title, author: item.author, publishedAt: item.publishedAt, categories: item.categories };
      await ctx.enqueue('fetch', { feed: feedRef, url: item.url, guid: item.guid, hints, discoveredAt }, itemKey(item));
    }
    await ctx.feedState.record(feedUrl, name ?? null, {
      kind: 'ok', etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null,
      title: feed.title, items: feed.items.length, newItems: fresh.length,
    });
    ctx.metrics.inc('newsloom_feed_items_total', { outcome: 'new' }, fresh.length);
    job.log.info({ feedUrl, items: feed.items.length, newItems: fresh.length }, 'feed polled');
    return { items: feed.items.length, newItems: fresh.length };
  } catch (err) {
    await ctx.feedState.record(feedUrl, name ?? null, { kind: 'error', error: describeError(err) });
    throw err;
  }
});
