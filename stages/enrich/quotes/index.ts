import type { EnrichmentStage } from '../stage.js';
import { extractQuotes } from './extract-quotes.js';

/**
 * Direct quotations with their speaker's fullest name (see extractQuotes). Uses the NER's
 * `entities.people` when the entities stage ran; otherwise names found next to speech verbs.
 */
export const quotesStage: EnrichmentStage = {
  name: 'quotes',
  version: '1',
  writes: ['quotes'],
  readsTerms: false,
  run(article) {
    return { quotes: extractQuotes(article.text, article.entities?.people ?? null) };
  },
};
