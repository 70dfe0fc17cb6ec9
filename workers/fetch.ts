import { checkPage } from '../stages/fetch/check-page.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { skipPage } from './skip-page.js';
import { defineWorker } from './define.js';

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';

export const fetchWorker = defineWorker('fetch', async (job, ctx) => {
  const res = await ctx.http(job.data.url, { accept: PAGE_ACCEPT, feedUrl: job.data.feed.url });
  const page = checkPage(res);
  if (page.kind === 'skipped') return skipPage(ctx, job, job.data, page.reason, page.detail);
  const ref = await ctx.pages.put(page.url, page.body);
  await ctx.enqueue(
    'extract',
    { ...job.data, finalUrl: page.url, fetchedAt: new Date().toISOString(), contentType: page.contentType, page: { key: ref, bytes: page.body.length } },
    itemKey(job.data),
  );
  return { bytes: page.body.length, finalUrl: page.url };
});
