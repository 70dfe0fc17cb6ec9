import type { Article } from '../../stages/article.js';
import { articleId, contentHash } from '../../stages/normalise/normalise-article.js';

/** A valid stored article for storage and stage tests; override what the test is about. */
export function makeArticle(overrides: Partial<Article> & { canonicalUrl?: string } = {}): Article {
  const canonicalUrl = overrides.canonicalUrl ?? 'https://news.example.com/2026/11/council-budget';
  const text = overrides.text ?? 'The council approved the budget on Tuesday.\n\nThe vote was close.';
  const id = overrides.id ?? articleId(canonicalUrl);
  return {
    id,
    url: canonicalUrl,
    canonicalUrl,
    feed: { url: 'https://news.example.com/rss', title: 'Example News' },
    siteName: 'Example News',
    title: 'Council approves budget',
    subtitle: null,
    authors: ['Ana Ruiz'],
    publishedAt: '2026-11-24T07:30:00.000Z',
    modifiedAt: null,
    fetchedAt: '2026-11-25T10:00:00.000Z',
    language: 'en',
    section: null,
    tags: [],
    text,
    html: text.split('\n\n').map((p) => `<p>${p}</p>`).join(''),
    wordCount: 13,
    images: [],
    contentHash: contentHash(text),
    storyId: id,
    duplicateOf: null,
    enrichment: {},
    ...overrides,
  };
}
