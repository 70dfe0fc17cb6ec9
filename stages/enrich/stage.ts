import type { Article } from '../article.js';

/** The fields an enrichment stage may write: any article field except identity and storage ones. */
export type ArticlePatch = Partial<Omit<Article, 'id' | 'url' | 'canonicalUrl' | 'storyId' | 'duplicateOf' | 'enrichment' | 'contentHash'>>;

/**
 * Document frequencies the pipeline keeps for keyword ranking: how many articles were counted and
 * in how many of them a term occurs. A snapshot; stages only read it.
 */
export interface TermStats {
  readonly documents: number;
  documentFrequency(term: string): number;
  /** The looked-up counts as data, when the snapshot has them: what crosses into an enrichment thread. */
  readonly known?: ReadonlyMap<string, number>;
}

/** What a stage gets besides the article. */
export interface EnrichContext {
  /** This stage's own options from config (`enrich.stages[i].options`), unvalidated; the stage validates what it reads. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Aborted when the stage's time limit passes; async stages should pass it on (fetch, timers). */
  readonly signal: AbortSignal;
  /** Document-frequency snapshot for this language, or an empty one. */
  readonly terms: TermStats;
}

/**
 * An enrichment stage: a name, a version (bump it when output changes, so `newsloom reprocess`
 * can find stale articles), the article fields it writes, and a pure patch function.
 * Built-in stages live in stages/enrich/<name>/; user stages are ES modules exporting this shape
 * as their default export (or `stage`).
 */
export interface EnrichmentStage {
  readonly name: string;
  readonly version: string;
  readonly writes: readonly (keyof ArticlePatch)[];
  /**
   * False when run() never reads `context.terms`: a stage in an enrichment thread then gets empty
   * term statistics instead of a copy of the article's (hundreds of entries, copied per stage).
   * Absent: true.
   */
  readonly readsTerms?: boolean;
  run(article: Article, context: EnrichContext): ArticlePatch | Promise<ArticlePatch>;
}

export const NO_TERMS: TermStats = { documents: 0, documentFrequency: () => 0 };
