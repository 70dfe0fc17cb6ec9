import { NewsloomError } from '../lib/errors.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { skipPage } from './skip-page.js';
import { defineWorker } from './define.js';

export const extractWorker = defineWorker('extract', async (job, ctx) => {
  const { page, finalUrl, fetchedAt, contentType, hints, ...item } = job.data;
  // Unpacked and decoded in the extraction thread, off this event loop.
  const gzipped = await ctx.pages.getGzipped(page.key);
  if (gzipped === null) {
    throw new NewsloomError(`extract ${finalUrl}: the fetched page ${page.key} has expired from Redis; it will be fetched again on the next poll`, 'NL_PAGE_EXPIRED', false);
  }
  const out = await ctx.extract({ url: finalUrl, gzipped, contentType, fetchedAt, ...(hints ? { hints } : {}) });
  if (out.kind === 'skipped') {
    await ctx.pages.delete(page.key);
    return skipPage(ctx, job, item, out.reason, out.detail);
  }
  await ctx.enqueue('normalise', { ...item, ...(hints ? { hints } : {}), fetchedAt, article: out.article }, itemKey(item));
  await ctx.pages.delete(page.key);
  return { title: out.article.title };
});
