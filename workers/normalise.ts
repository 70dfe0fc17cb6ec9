import { normaliseArticle } from '../stages/normalise/normalise-article.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

export const normaliseWorker = defineWorker('normalise', async (job, ctx) => {
  const { article, fetchedAt, ...item } = job.data;
  const normalised = normaliseArticle({
    article, fetchedAt, feed: item.feed, trackingParams: ctx.config.normalise.trackingParams, ...(item.hints ? { hints: item.hints } : {}),
  });
  await ctx.enqueue('dedupe', { ...item, article: normalised }, itemKey(item));
  return { id: normalised.id, canonicalUrl: normalised.canonicalUrl };
});
