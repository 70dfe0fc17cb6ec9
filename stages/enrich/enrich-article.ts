import type { Article } from '../article.js';
import { countWords } from '../normalise/clean-text.js';
import { detectLanguage } from './detect-language.js';

/** A built-in enrichment stage: a name, a version, and a pure patch function. */
export interface EnrichmentStage {
  name: string;
  version: string;
  run(article: Article): Partial<Article>;
}

export const languageStage: EnrichmentStage = {
  name: 'language',
  version: '1',
  run: (a) => ({ language: detectLanguage(`${a.title}\n\n${a.text}`, a.language) }),
};

export const wordCountStage: EnrichmentStage = {
  name: 'wordcount',
  version: '1',
  run: (a) => ({ wordCount: countWords(a.text) }),
};

export const BUILTIN_STAGES: readonly EnrichmentStage[] = [languageStage, wordCountStage];

/**
 * Runs enrichment stages in order. A stage that throws records its error on the article and the
 * article goes on: enrichment never loses an article. Each stage's version and time are recorded.
 */
export function enrichArticle(article: Article, stages: readonly EnrichmentStage[] = BUILTIN_STAGES): Article {
  let current = article;
  const enrichment = { ...article.enrichment };
  for (const stage of stages) {
    const started = performance.now();
    try {
      current = { ...current, ...stage.run(current) };
      enrichment[stage.name] = { version: stage.version, ms: round(performance.now() - started), error: null };
    } catch (err) {
      enrichment[stage.name] = { version: stage.version, ms: round(performance.now() - started), error: (err as Error).message ?? String(err) };
    }
  }
  return { ...current, enrichment };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
