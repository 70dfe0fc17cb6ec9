import type { FeedDocument, FeedDocumentItem } from './feed-document.js';
import { FeedParseError, NOT_A_FEED } from './feed-parse-error.js';
import { feedValues as v } from './feed-values.js';
import { parseFeedDate } from './parse-feed-date.js';
import { parseLenientJson } from './parse-lenient-json.js';

type JsonObject = Record<string, unknown>;

// Hostile JSON: JSON.parse makes "__proto__" an own property, which is harmless as long as
// nothing copies or merges these objects; so we only ever read own properties and build fresh results.
const isObject = (o: unknown): o is JsonObject => typeof o === 'object' && o !== null && !Array.isArray(o);
const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const str = (s: unknown): string | null => (typeof s === 'string' ? s.trim() || null : null);

/** JSON Feed 1.0/1.1 text (https://jsonfeed.org/version/1.1) to a FeedDocument; relative URLs resolve against `feedUrl`. */
export function parseJsonFeed(text: string, feedUrl: string | null): FeedDocument {
  const shown = feedUrl ?? '(document)';
  let doc: unknown;
  try {
    doc = parseLenientJson(text.replace(/^\ufeff/, ''));
  } catch (cause) {
    throw new FeedParseError(`parse feed ${shown}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const version = isObject(doc) ? str(own(doc, 'version')) : null;
  // 1.0 feeds in the wild also say http://; the version URL is the format's only marker.
  if (!isObject(doc) || version === null || !/^https?:\/\/jsonfeed\.org\/version\//i.test(version)) {
    throw new FeedParseError(`parse feed ${shown}: ${NOT_A_FEED}`);
  }
  const items = own(doc, 'items');
  if (!Array.isArray(items)) throw new FeedParseError(`parse feed ${shown}: JSON Feed "items" is not an array`);
  const feedAuthor = authorNames(doc);
  return {
    format: /\/version\/1\.1\b/.test(version) ? 'json1.1' : 'json1.0',
    feed: { title: v.plainText(str(own(doc, 'title'))), link: v.resolve(str(own(doc, 'home_page_url')), feedUrl) },
    items: items.filter(isObject).map((item) => toItem(item, feedUrl, feedAuthor)),
  };
}

function toItem(item: JsonObject, feedUrl: string | null, feedAuthor: string | null): FeedDocumentItem {
  const id = own(item, 'id');
  const tags = own(item, 'tags');
  const link = v.resolve(str(own(item, 'url')) ?? str(own(item, 'external_url')), feedUrl);
  return {
    title: v.plainText(str(own(item, 'title'))),
    link,
    // The spec says string; numbers are common, and equal as text.
    guid: (typeof id === 'number' && Number.isFinite(id) ? String(id) : str(id)) ?? link,
    published: parseFeedDate(str(own(item, 'date_published'))),
    updated: parseFeedDate(str(own(item, 'date_modified'))),
    // An item without authors takes the feed's (JSON Feed 1.1 "authors").
    author: authorNames(item) ?? feedAuthor,
    content: str(own(item, 'content_html')) ?? str(own(item, 'content_text')),
    summary: str(own(item, 'summary')),
    categories: Array.isArray(tags) ? v.unique(tags.map(str)) : [],
  };
}

/** 1.1 has `authors` (an array); 1.0 has `author`. Names of all, joined. */
function authorNames(o: JsonObject): string | null {
  const authors = own(o, 'authors');
  const list = Array.isArray(authors) ? authors : [own(o, 'author')];
  return v.joinNames(list.map((a) => (isObject(a) ? str(own(a, 'name')) : null)));
}
