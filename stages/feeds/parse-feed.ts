import type { FeedDocument } from './feed-document.js';
import { parseFeedDocument } from './parse-feed-document.js';

export interface FeedItem {
  /** Absolute http(s) URL of the item's page, resolved against the feed URL. */
  url: string;
  /** The feed's id for the item (RSS guid, Atom id, JSON Feed id), else the URL. */
  guid: string;
  title: string | null;
  author: string | null;
  /** ISO 8601 UTC ending in Z (published, else updated), or null when absent or unparseable. */
  publishedAt: string | null;
  categories: string[];
}

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  items: FeedItem[];
}

export interface ParseFeedOptions {
  /** Items kept, from the top of the feed (newest first, as feeds list them); default 200. */
  maxItems?: number;
}

const DEFAULT_MAX_ITEMS = 200;

/**
 * Feed bytes to the items the feeds worker enqueues: parseFeedDocument, then only items with an
 * http(s) URL, each URL once. Throws NL_FEED_PARSE if it is not a feed.
 */
export async function parseFeed(body: Buffer, contentType: string | null, feedUrl: string, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  return toParsedFeed(parseFeedDocument(body, { contentType, url: feedUrl }), opts);
}

/** The feeds worker's view of a FeedDocument (e.g. one parsed in a worker thread). */
export function toParsedFeed(doc: FeedDocument, opts: ParseFeedOptions = {}): ParsedFeed {
  const maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const item of doc.items) {
    if (items.length >= maxItems) break;
    // A guid only stands in for a missing link when it is itself an absolute http(s) URL.
    const url = httpUrl(item.link) ?? httpUrl(item.guid);
    if (url === null || seen.has(url)) continue;
    seen.add(url);
    items.push({
      url,
      guid: item.guid ?? url,
      title: item.title,
      author: item.author,
      publishedAt: item.published ?? item.updated,
      categories: item.categories,
    });
  }
  return { title: doc.feed.title, link: httpUrl(doc.feed.link), items };
}

function httpUrl(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
