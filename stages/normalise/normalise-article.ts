import { createHash } from 'node:crypto';
import type { ExtractedArticle, FeedRef, ItemHints, NormalisedArticle } from '../article.js';
import { chooseCanonicalUrl } from './canonical-url.js';
import { cleanHtml, cleanLine, cleanText, cleanTitle, countWords } from './clean-text.js';
import { toUtc } from './to-utc.js';

export interface NormaliseInput {
  article: ExtractedArticle;
  fetchedAt: string;
  feed: FeedRef | null;
  hints?: ItemHints;
  /** More tracking query parameters to drop from URLs (config normalise.trackingParams). */
  trackingParams?: readonly string[];
}

/** Stable article id: derived from the canonical URL only, so every fetch of it lands on one row. */
export function articleId(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

/** Hash of the text as a reader sees it: case and spacing do not make a new version. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text.toLowerCase().replace(/\s+/g, ' ').trim()).digest('hex');
}

/** Normalises an extracted article: canonical URL and id, UTC dates, clean text and metadata. */
export function normaliseArticle({ article, fetchedAt, feed, hints, trackingParams = [] }: NormaliseInput): NormalisedArticle {
  const canonical = chooseCanonicalUrl(article.url, article.canonicalUrl, { trackingParams });
  const text = cleanText(article.text);
  const authors = [...new Set(article.authors.map(cleanLine).filter(Boolean))];
  const tags = [...new Set(article.tags.map(cleanLine).filter(Boolean))];
  return {
    ...article,
    id: articleId(canonical),
    canonicalUrl: canonical,
    title: cleanTitle(article.title) || cleanTitle(hints?.title ?? '') || canonical,
    subtitle: article.subtitle ? cleanTitle(article.subtitle) || null : null,
    authors: authors.length > 0 ? authors : hints?.author ? [cleanLine(hints.author)] : [],
    publishedAt: toUtc(article.publishedAt) ?? toUtc(hints?.publishedAt),
    modifiedAt: toUtc(article.modifiedAt),
    fetchedAt: toUtc(fetchedAt) ?? new Date().toISOString(),
    siteName: article.siteName ? cleanLine(article.siteName) || null : null,
    section: article.section ? cleanLine(article.section) || null : null,
    tags,
    text,
    html: cleanHtml(article.html),
    images: article.images.map((img) => ({
      url: img.url,
      caption: img.caption ? cleanLine(img.caption) || null : null,
      credit: img.credit ? cleanLine(img.credit) || null : null,
      alt: img.alt ? cleanLine(img.alt) || null : null,
    })),
    feed,
    contentHash: contentHash(text),
    wordCount: countWords(text),
  };
}
