import type { Article } from '../../article.js';
import type { ArticlePatch, EnrichmentStage } from '../stage.js';
import { extractEntities } from './extract-entities.js';
import { defaultNerBundle } from './load-ner-model.js';

export { extractEntities } from './extract-entities.js';
export { groupEntities, type Mention } from './group-entities.js';
export { tokenizeText, type TextToken } from './tokenize-text.js';

const EMPTY = { people: [], organizations: [], places: [], misc: [] };

/**
 * Named entities of the title and text. The model is English-only (trained on English news,
 * Wikipedia and web text), so articles in other languages get empty lists rather than noise;
 * a null language is treated as English because detection fails mostly on short English texts
 * ("en-GB" counts as English too).
 */
export const entitiesStage: EnrichmentStage = {
  name: 'entities',
  version: '4', // 2: longer organisation list, retrained, and the span rules (refine-spans.ts); 3: places ending in an organisation word are organisations; 4: GloVe word classes (models/ner/clusters.tsv.gz), retrained
  writes: ['entities'],
  readsTerms: false,
  run(article: Article): ArticlePatch {
    if (article.language !== null && article.language.toLowerCase().split('-')[0] !== 'en') return { entities: EMPTY };
    return { entities: extractEntities(article.title ?? '', article.text, defaultNerBundle()) };
  },
};
