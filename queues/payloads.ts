import { z } from 'zod';
import { ExtractedArticle, FeedRef, ItemHints, NormalisedArticle, Article } from '../stages/article.js';
import type { QueueName } from './names.js';

/** An item found in a feed, carried from fetch to store. */
const Item = z.object({
  feed: FeedRef,
  url: z.string(),
  guid: z.string(),
  hints: ItemHints.optional(),
  discoveredAt: z.string(),
});

/**
 * One payload schema per queue. Payloads hold references and small facts: the raw HTML travels
 * from fetch to extract as a reference to a blob stored by content hash, never as job data.
 * Change them only by adding optional fields: jobs already in Redis must still parse.
 */
export const payloads = {
  feeds: z.object({
    feedUrl: z.string(),
    name: z.string().optional(),
    /** Poll even when the feed is not due (backing off, or it asked to wait): `start --once`. */
    force: z.boolean().optional(),
  }),
  fetch: Item,
  extract: Item.extend({
    finalUrl: z.string(),
    fetchedAt: z.string(),
    contentType: z.string(),
    page: z.object({ key: z.string(), bytes: z.number().int() }),
  }),
  normalise: Item.extend({ fetchedAt: z.string(), article: ExtractedArticle }),
  dedupe: Item.extend({ article: NormalisedArticle }),
  enrich: Item.extend({
    article: Article,
    /** `newsloom reprocess`: the article is already stored; run only these stages (all when absent) and store it again. */
    reprocess: z.boolean().optional(),
    only: z.array(z.string()).optional(),
  }),
  store: Item.extend({ article: Article }),
} satisfies Record<QueueName, z.ZodType>;

export type Payload<Q extends QueueName> = z.infer<(typeof payloads)[Q]>;
export type ItemRef = z.infer<typeof Item>;
