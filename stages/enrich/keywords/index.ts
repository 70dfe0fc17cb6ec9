import type { EnrichmentStage } from '../stage.js';
import { rankKeywords } from './rank-keywords.js';

const DEFAULT_LIMIT = 10;

/**
 * Ranked keywords and key phrases (see rankKeywords), against the pipeline's document
 * frequencies when it has counted enough articles. Option `limit`: how many (default 10).
 */
export const keywordsStage: EnrichmentStage = {
  name: 'keywords',
  version: '1',
  writes: ['keywords'],
  readsTerms: true,
  run(article, context) {
    return { keywords: rankKeywords(article, context.terms, limitOption(context.options['limit'])) };
  },
};

function limitOption(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 100 ? value : DEFAULT_LIMIT;
}
