import type { EnrichmentStage } from '../stage.js';
import { summarise } from './summarise.js';

/** Extractive summary of 2-3 sentences (see summarise); null when the text has no full sentence. */
export const summaryStage: EnrichmentStage = {
  name: 'summary',
  version: '1',
  writes: ['summary'],
  readsTerms: false,
  run(article) {
    return { summary: summarise(article.text, article.language) };
  },
};
