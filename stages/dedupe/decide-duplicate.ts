import type { Article, NormalisedArticle } from '../article.js';

/**
 * Files an article under a story. `firstWithSameText` is the id of the first article seen with
 * the same content hash (its own id when it is the first). The same canonical URL is already the
 * same id; the same text under another URL is an exact duplicate: its own row (another outlet is
 * another source) pointing at the first, in the first one's story.
 */
export function decideDuplicate(article: NormalisedArticle, firstWithSameText: string): Article {
  const duplicate = firstWithSameText !== article.id;
  return {
    ...article,
    storyId: duplicate ? firstWithSameText : article.id,
    duplicateOf: duplicate ? firstWithSameText : null,
    enrichment: {},
  };
}
