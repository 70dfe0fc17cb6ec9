import { Article, NormalisedArticle } from '../article.js';

export type WriteChange = 'created' | 'updated' | 'unchanged';
export type ArticleEventType = 'article.created' | 'article.updated' | 'article.duplicate';

export interface WritePlan {
  change: WriteChange;
  /** The event to announce, or null when nothing changed. */
  event: ArticleEventType | null;
  /** Keep the replaced version as a revision: only when the text or title changed, not for new enrichment. */
  revision: boolean;
}

/** What storage holds for an article already stored. */
export interface StoredVersion {
  contentHash: string;
  title: string;
  /** enrichmentKey() of the stored article. */
  enrichmentKey: string;
}

// Fields enrichment writes: the built-ins' language and word count, and every field Article adds to
// a normalised article (entities, keywords, summary, …) except the dedupe and bookkeeping ones.
const ENRICHMENT_FIELDS = [
  'language',
  'wordCount',
  ...Object.keys(Article.shape).filter((k) => !(k in NormalisedArticle.shape) && !['storyId', 'duplicateOf', 'enrichment'].includes(k)),
].sort();

/**
 * What enrichment made of an article: each stage's version and error (not its timing) and the
 * enrichment fields' values, as a stable string. Equal keys mean a retry or a re-run gave the
 * same result; a stage that writes other fields is told apart by its version.
 */
export function enrichmentKey(article: Article): string {
  const records = Object.keys(article.enrichment)
    .sort()
    .map((name) => [name, article.enrichment[name]!.version, article.enrichment[name]!.error ?? null]);
  const fields = ENRICHMENT_FIELDS.map((f) => [f, (article as Record<string, unknown>)[f] ?? null]);
  return stableJson([records, fields]);
}

/**
 * Decides what storing `article` means given what is held for its id: a new row; an update in
 * place with the old version kept as a revision (its text or title changed); an update in place
 * without a revision (same text, new enrichment: a new stage version or new output, as after
 * `newsloom reprocess`), announced as article.updated once per change; or nothing (a retry or a
 * re-poll giving the same result).
 */
export function planWrite(existing: StoredVersion | null, article: Article): WritePlan {
  if (existing === null) {
    return { change: 'created', event: article.duplicateOf ? 'article.duplicate' : 'article.created', revision: false };
  }
  if (existing.contentHash !== article.contentHash || existing.title !== article.title) {
    return { change: 'updated', event: 'article.updated', revision: true };
  }
  if (existing.enrichmentKey !== enrichmentKey(article)) return { change: 'updated', event: 'article.updated', revision: false };
  return { change: 'unchanged', event: null, revision: false };
}

/** JSON with object keys sorted, so equal values give equal strings. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
