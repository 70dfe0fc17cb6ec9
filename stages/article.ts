import { z } from 'zod';

/** One image of an article: the lead image first. Captions and credits live here, never in the text. */
export const ArticleImage = z.object({
  url: z.string(),
  caption: z.string().nullable(),
  credit: z.string().nullable(),
  alt: z.string().nullable(),
});
export type ArticleImage = z.infer<typeof ArticleImage>;

/** What the feed said about an item: hints the page may lack. */
export const ItemHints = z.object({
  title: z.string().nullable().optional(),
  author: z.string().nullable().optional(),
  publishedAt: z.string().nullable().optional(),
  categories: z.array(z.string()).optional(),
});
export type ItemHints = z.infer<typeof ItemHints>;

export const FeedRef = z.object({ url: z.string(), title: z.string().optional() });
export type FeedRef = z.infer<typeof FeedRef>;

/** The output of the extract stage: what the page says, unnormalised. */
export const ExtractedArticle = z.object({
  url: z.string(),
  canonicalUrl: z.string().nullable(),
  title: z.string(),
  subtitle: z.string().nullable(),
  authors: z.array(z.string()),
  publishedAt: z.string().nullable(),
  modifiedAt: z.string().nullable(),
  siteName: z.string().nullable(),
  language: z.string().nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  text: z.string(),
  html: z.string(),
  images: z.array(ArticleImage),
  /** Where each metadata field came from ("og:title", "json-ld:datePublished", "byline", "feed:author"…), so a wrong value can be traced. */
  provenance: z.record(z.string(), z.string()).optional(),
});
export type ExtractedArticle = z.infer<typeof ExtractedArticle>;

/** An article after normalisation: stable id, canonical URL, UTC dates, clean text. */
export const NormalisedArticle = ExtractedArticle.extend({
  id: z.string(),
  canonicalUrl: z.string(),
  fetchedAt: z.string(),
  feed: FeedRef.nullable(),
  contentHash: z.string(),
  wordCount: z.number().int(),
});
export type NormalisedArticle = z.infer<typeof NormalisedArticle>;

export const EnrichmentRecord = z.object({ version: z.string(), ms: z.number().optional(), error: z.string().nullable().optional() });

/** A named thing the article mentions. `name` is the fullest form used in the article. */
export const Entity = z.object({
  name: z.string(),
  mentions: z.number().int().min(1),
  /** Places only: ISO 3166-1 alpha-2 country and coordinates, when the place resolved. */
  country: z.string().nullable().optional(),
  lat: z.number().nullable().optional(),
  lon: z.number().nullable().optional(),
});
export type Entity = z.infer<typeof Entity>;

export const Entities = z.object({
  people: z.array(Entity),
  organizations: z.array(Entity),
  places: z.array(Entity),
  /** Other named things (events, works, nationalities, products): not in the contract, added. */
  misc: z.array(Entity).optional(),
});
export type Entities = z.infer<typeof Entities>;

export const Quote = z.object({ text: z.string(), speaker: z.string().nullable() });
export type Quote = z.infer<typeof Quote>;

/** Lexicon-based document sentiment: score in [-1, 1], approximate. */
export const Sentiment = z.object({ score: z.number(), label: z.enum(['negative', 'neutral', 'positive']) });
export type Sentiment = z.infer<typeof Sentiment>;

/** One stored article, as ../shared/contracts/article.schema.json defines it (plus contentHash). */
export const Article = NormalisedArticle.extend({
  storyId: z.string(),
  duplicateOf: z.string().nullable(),
  enrichment: z.record(z.string(), EnrichmentRecord),
  /** Written by enrichment stages; absent until the stage has run. */
  entities: Entities.optional(),
  keywords: z.array(z.string()).optional(),
  summary: z.string().nullable().optional(),
  quotes: z.array(Quote).optional(),
  sentiment: Sentiment.nullable().optional(),
  /** Country codes (ISO 3166-1 alpha-2) of the article's resolved places, most mentioned first. */
  countries: z.array(z.string()).optional(),
});
export type Article = z.infer<typeof Article>;
