import type { EnrichmentStage } from '../stage.js';
import { scoreSentiment } from './score-sentiment.js';

/**
 * Lexicon-based, approximate document sentiment from AFINN-165 (see scoreSentiment). The lexicon
 * is English, so other languages (and articles of unknown language) get null rather than a guess.
 */
export const sentimentStage: EnrichmentStage = {
  name: 'sentiment',
  version: '1',
  writes: ['sentiment'],
  readsTerms: false,
  run(article) {
    const english = (article.language ?? '').toLowerCase().split(/[-_]/)[0] === 'en';
    return { sentiment: english ? scoreSentiment(`${article.title}\n${article.text}`) : null };
  },
};
