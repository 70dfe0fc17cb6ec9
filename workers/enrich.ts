import { enrichArticle } from '../stages/enrich/enrich-article.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

export const enrichWorker = defineWorker('enrich', async (job, ctx) => {
  const { article, ...item } = job.data;
  const enriched = enrichArticle(article);
  await ctx.enqueue('store', { ...item, article: enriched }, itemKey(item));
  return { language: enriched.language, wordCount: enriched.wordCount };
});
