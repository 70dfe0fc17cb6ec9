import { decideDuplicate } from '../stages/dedupe/decide-duplicate.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

export const dedupeWorker = defineWorker('dedupe', async (job, ctx) => {
  const { article, ...item } = job.data;
  const first = await ctx.dedupe.claim(article.contentHash, article.id);
  const filed = decideDuplicate(article, first);
  await ctx.enqueue('enrich', { ...item, article: filed }, itemKey(item));
  return { storyId: filed.storyId, duplicateOf: filed.duplicateOf };
});
