import type { Article } from '../../article.js';
import { keywordCandidates } from './candidates.js';

/**
 * The unique terms and key-phrase candidates of one article, lowercase: what the pipeline counts
 * into its document-frequency table, so keyword ranking looks up exactly the keys it scores.
 */
export function documentTerms(article: Pick<Article, 'title' | 'text' | 'language'>): string[] {
  const keys = new Set(keywordCandidates(article.text, article.language).keys());
  for (const key of keywordCandidates(article.title, article.language, true).keys()) keys.add(key);
  return [...keys];
}
