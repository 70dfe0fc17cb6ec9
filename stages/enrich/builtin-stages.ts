import { countWords } from '../normalise/clean-text.js';
import type { EnrichmentStage } from './stage.js';

/**
 * The built-in enrichment stages by config name. Each entry loads its stage on first use, so
 * reading the config (which validates names against this table) never loads a model or a gazetteer.
 * Adding a built-in is one line here.
 */
export const BUILTIN_STAGES = {
  language: () => import('./language/index.js').then((m) => m.languageStage),
  wordcount: async () => wordCountStage,
  // The model and the gazetteers load here, at worker start, not inside the first article's time limit.
  entities: () => import('./entities/index.js').then(async (m) => (await import('./entities/load-ner-model.js')).defaultNerBundle() && m.entitiesStage),
  places: () => import('./places/index.js').then(async (m) => (await import('./places/gazetteer.js')).gazetteer() && m.placesStage),
  keywords: () => import('./keywords/index.js').then((m) => m.keywordsStage),
  summary: () => import('./summary/index.js').then((m) => m.summaryStage),
  quotes: () => import('./quotes/index.js').then((m) => m.quotesStage),
  sentiment: () => import('./sentiment/index.js').then((m) => m.sentimentStage),
} satisfies Record<string, () => Promise<EnrichmentStage>>;

export type BuiltinStageName = keyof typeof BUILTIN_STAGES;

/** The stages run when config names none (`enrich.stages` unset), in this order. */
export const DEFAULT_STAGES: readonly BuiltinStageName[] = ['language', 'wordcount', 'entities', 'places', 'keywords', 'summary', 'quotes', 'sentiment'];

export const BUILTIN_STAGE_NAMES = Object.keys(BUILTIN_STAGES) as BuiltinStageName[];

export function isBuiltinStage(name: string): name is BuiltinStageName {
  return Object.hasOwn(BUILTIN_STAGES, name);
}

const wordCountStage: EnrichmentStage = {
  name: 'wordcount',
  version: '1',
  writes: ['wordCount'],
  readsTerms: false,
  run: (a) => ({ wordCount: countWords(a.text) }),
};
