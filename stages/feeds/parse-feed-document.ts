import { decodeText } from '../fetch/decode-text.js';
import type { FeedDocument } from './feed-document.js';
import { FeedParseError, NOT_A_FEED } from './feed-parse-error.js';
import { parseJsonFeed } from './parse-json-feed.js';
import { parseLooseXml } from './parse-loose-xml.js';
import { readAtomFeed } from './read-atom-feed.js';
import { readRssFeed } from './read-rss-feed.js';
import { isElement, type XmlElement } from './xml-element.js';

export interface ParseFeedDocumentOptions {
  /** The HTTP Content-Type, whose charset wins over the document's own declaration. */
  contentType?: string | null;
  /** The URL the feed was fetched from: the base for relative links and xml:base. */
  url: string | null;
}

const JSON_FEED_MARKER = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//;
const ROOTS = new Set(['rss', 'feed', 'rdf', 'channel']);
// How deep junk (an unclosed <p> of a PHP warning, an HTML wrapper) may bury the real root.
const ROOT_SEARCH_DEPTH = 4;

/**
 * Feed bytes (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) to one shape, as tolerant of
 * broken feeds as feedparser; throws FeedParseError (NL_FEED_PARSE) when it is no feed at all.
 */
export function parseFeedDocument(bytes: Buffer | string, opts: ParseFeedDocumentOptions): FeedDocument {
  const contentType = opts.contentType ?? null;
  const text = typeof bytes === 'string' ? bytes : decodeText(bytes, contentType, startsWithBrace(bytes) ? 'json' : 'xml');
  const trimmed = text.replace(/^[\s\ufeff\u0000]+/, '');
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed, opts.url);
  const root = findRoot(parseLooseXml(text, opts.url), ROOT_SEARCH_DEPTH);
  // A JSON Feed behind junk (a PHP warning printed first) is still a JSON Feed.
  if (root === null && JSON_FEED_MARKER.test(text)) return parseJsonFeed(text, opts.url);
  if (root === null) throw new FeedParseError(`parse feed ${opts.url ?? '(document)'}: ${NOT_A_FEED}`);
  return root.local === 'feed' ? readAtomFeed(root) : readRssFeed(root);
}

/** Breadth-first, so an <rss> is found before the <channel> inside it. */
function findRoot(doc: XmlElement, depth: number): XmlElement | null {
  let level = [doc];
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const found = level.find((el) => d > 0 && ROOTS.has(el.local) && isFeedNamespace(el));
    if (found) return found;
    level = level.flatMap((el) => el.children.filter(isElement));
  }
  return null;
}

const isFeedNamespace = (el: XmlElement): boolean => ['', 'atom', 'atom03', 'rss', 'rdf'].includes(el.ns);

/** The first byte that is not whitespace, a BOM byte or a UTF-16 zero byte is `{`: JSON, whatever the Content-Type says. */
function startsWithBrace(body: Buffer): boolean {
  for (let i = 0; i < Math.min(body.length, 1024); i++) {
    const b = body[i]!;
    if (b === 0x7b) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x00 && b !== 0xef && b !== 0xbb && b !== 0xbf && b !== 0xfe && b !== 0xff) return false;
  }
  return false;
}
