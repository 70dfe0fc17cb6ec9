import type { Article } from '../stages/article.js';
import { decideStory } from '../stages/dedupe/decide-story.js';
import { storySignature } from '../stages/dedupe/story-signature.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

export const dedupeWorker = defineWorker('dedupe', async (job, ctx) => {
  const { article, ...item } = job.data;
  const signature = storySignature(article.text, ctx.config.dedupe);
  const story = await ctx.stories.claim(
    { articleId: article.id, contentHash: article.contentHash, ...signature },
    (candidates) => decideStory(article, signature.minhash, candidates, ctx.config.dedupe),
  );
  if (story.duplicateOf !== null) ctx.metrics.inc('newsloom_duplicates_total', { kind: story.kind });
  const filed: Article = { ...article, storyId: story.storyId, duplicateOf: story.duplicateOf, enrichment: {} };
  await ctx.enqueue('enrich', { ...item, article: filed }, itemKey(item));
  return { storyId: story.storyId, duplicateOf: story.duplicateOf, kind: story.kind, similarity: story.similarity };
});
