import { checkPage } from '../stages/fetch/check-page.js';
import { itemKey, seenKey } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';

export const fetchWorker = defineWorker('fetch', async (job, ctx) => {
  const res = await ctx.http(job.data.url, { accept: PAGE_ACCEPT, feedUrl: job.data.feed.url });
  const page = checkPage(res);
  if (page.kind === 'skipped') {
    // A PDF or an image is not an article: remembered, so the next poll does not fetch it again.
    await ctx.seen.markSeen(job.data.feed.url, { seenKey: seenKey(job.data), urlKey: itemKey(job.data) });
    ctx.metrics.inc('newsloom_pages_skipped_total', { reason: page.reason });
    job.log.info({ reason: page.reason, detail: page.detail }, 'page skipped');
    return { skipped: page.reason, detail: page.detail };
  }
  const ref = await ctx.pages.put(page.url, page.body);
  await ctx.enqueue(
    'extract',
    { ...job.data, finalUrl: page.url, fetchedAt: new Date().toISOString(), contentType: page.contentType, page: { key: ref, bytes: page.body.length } },
    itemKey(job.data),
  );
  return { bytes: page.body.length, finalUrl: page.url };
});
