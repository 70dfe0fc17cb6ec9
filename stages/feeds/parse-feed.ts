import { decodeText } from '../fetch/decode-text.js';
import { parseFeedDate } from './parse-feed-date.js';
import { parseJsonFeed } from './parse-json-feed.js';
import { parseXmlFeed } from './parse-xml-feed.js';
import type { RawFeed } from './raw-feed.js';

export interface FeedItem {
  /** Absolute http(s) URL of the item's page, resolved against the feed URL. */
  url: string;
  /** The feed's id for the item (RSS guid, Atom id, JSON Feed id), else the URL. */
  guid: string;
  title: string | null;
  author: string | null;
  /** ISO 8601 UTC ending in Z, or null when absent or unparseable. */
  publishedAt: string | null;
  categories: string[];
}

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  items: FeedItem[];
}

export interface ParseFeedOptions {
  /** Limit for the XML parser to settle; default 10 s. */
  timeoutMs?: number;
  /** Items kept, from the top of the feed (newest first, as feeds list them); default 200. */
  maxItems?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ITEMS = 200;

/** Feed bytes (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to items with absolute URLs; throws NL_FEED_PARSE if it is not a feed. */
export async function parseFeed(
  body: Buffer,
  contentType: string | null,
  feedUrl: string,
  opts: ParseFeedOptions = {},
): Promise<ParsedFeed> {
  // rss-parser would read any Buffer as UTF-8; decodeText honours BOM, HTTP charset and <?xml encoding?>.
  const text = decodeText(body, contentType, startsWithBrace(body) ? 'json' : 'xml');
  const raw = text.trimStart().startsWith('{')
    ? parseJsonFeed(text, feedUrl)
    : await parseXmlFeed(text, feedUrl, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return toParsedFeed(raw, feedUrl, opts.maxItems ?? DEFAULT_MAX_ITEMS);
}

function toParsedFeed(raw: RawFeed, feedUrl: string, maxItems: number): ParsedFeed {
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const item of raw.items) {
    if (items.length >= maxItems) break;
    // A guid only stands in for a missing link when it is itself an absolute http(s) URL (RSS 2.0 isPermaLink).
    const url = httpUrl(item.link, feedUrl) ?? httpUrl(item.guid, undefined);
    if (url === null || seen.has(url)) continue;
    seen.add(url);
    items.push({
      url,
      guid: item.guid ?? url,
      title: item.title,
      author: item.author,
      publishedAt: parseFeedDate(item.date),
      categories: item.categories,
    });
  }
  return { title: raw.title, link: httpUrl(raw.link, feedUrl), items };
}

/** The first byte that is not whitespace, a BOM byte or a UTF-16 zero byte is `{`: JSON, whatever the Content-Type says. */
function startsWithBrace(body: Buffer): boolean {
  for (let i = 0; i < Math.min(body.length, 1024); i++) {
    const b = body[i]!;
    if (b === 0x7b) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x00 && b !== 0xef && b !== 0xbb && b !== 0xbf && b !== 0xfe && b !== 0xff) return false;
  }
  return false;
}

function httpUrl(raw: string | null, base: string | undefined): string | null {
  if (raw === null) return null;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
