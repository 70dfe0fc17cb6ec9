import { NewsloomError } from '../lib/errors.js';
import type { Article } from '../stages/article.js';
import { documentTerms } from '../stages/enrich/keywords/document-terms.js';
import { keywordLookupKeys } from '../stages/enrich/keywords/rank-keywords.js';
import { runStages } from '../stages/enrich/run-stages.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { defineWorker } from './define.js';

export const enrichWorker = defineWorker('enrich', async (job, ctx) => {
  const { article, reprocess, only, ...item } = job.data;
  const stages = await ctx.enrichStages();
  const missing = (only ?? []).filter((name) => !stages.some((s) => s.stage.name === name));
  if (missing.length > 0) {
    // Storing the article unchanged would make a reprocess look done: fail the job instead.
    throw new NewsloomError(`reprocess asks for stage ${missing.join(', ')}, which this worker's enrich.stages does not run`, 'NL_REPROCESS_STAGE', false);
  }
  // The terms looked up before the stages are, most often, the terms counted after them (same title,
  // text and language): computed once, as each is a pass over the whole text.
  let last: { of: Pick<Article, 'title' | 'text' | 'language'>; terms: string[] } | null = null;
  const termsOf = (a: Pick<Article, 'title' | 'text' | 'language'>): string[] => {
    if (last?.of.title !== a.title || last.of.text !== a.text || last.of.language !== a.language) last = { of: a, terms: documentTerms(a) };
    return last.terms;
  };
  const enriched = await runStages(article, stages, {
    only,
    lastAttempt: job.attempt >= job.attempts,
    terms: (a) => ctx.terms.lookup(a.language, keywordLookupKeys(a, termsOf(a))),
  });
  const failed = stages.map((s) => s.stage.name).filter((name) => (!only || only.includes(name)) && enriched.enrichment[name]?.error);
  if (failed.length > 0) job.log.warn({ articleId: article.id, failed: Object.fromEntries(failed.map((n) => [n, enriched.enrichment[n]!.error])) }, 'enrichment stage failed');
  // Counted once per article id (a Redis marker), so retries and reprocessing never count twice;
  // a duplicate would count its original's terms again.
  if (!reprocess && enriched.duplicateOf === null) await ctx.terms.count(enriched.id, enriched.language, termsOf(enriched));
  // A reprocess stores under its own job identity: the first store job of this item may still be kept in Redis.
  await ctx.enqueue('store', { ...item, article: enriched }, reprocess ? `reprocess ${job.id}` : itemKey(item));
  return { language: enriched.language, wordCount: enriched.wordCount, ...(failed.length > 0 ? { failed } : {}) };
});
