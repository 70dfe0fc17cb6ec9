import { feedParseError, NOT_A_FEED } from './feed-parse-error.js';
import type { RawFeed, RawFeedItem } from './raw-feed.js';

type JsonObject = Record<string, unknown>;

// Hostile JSON (catalogue P8): JSON.parse makes "__proto__" an own property, which is harmless
// as long as nothing copies or merges these objects; so we only ever read own properties and
// build fresh results.
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const str = (v: unknown): string | null => (typeof v === 'string' ? v.trim() || null : null);

/** JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) text to a RawFeed. */
export function parseJsonFeed(text: string, feedUrl: string): RawFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw feedParseError(feedUrl, `not valid JSON (${(cause as Error).message})`, cause);
  }
  const version = isObject(doc) ? str(own(doc, 'version')) : null;
  // 1.0 feeds in the wild also say http://; the version URL is the format's only marker.
  if (!isObject(doc) || version === null || !/^https?:\/\/jsonfeed\.org\/version\//.test(version)) {
    throw feedParseError(feedUrl, NOT_A_FEED);
  }
  const items = own(doc, 'items');
  if (!Array.isArray(items)) throw feedParseError(feedUrl, 'JSON Feed "items" is not an array');
  return {
    title: str(own(doc, 'title')),
    link: str(own(doc, 'home_page_url')),
    items: items.filter(isObject).map(toRawItem),
  };
}

function toRawItem(item: JsonObject): RawFeedItem {
  const id = own(item, 'id');
  const tags = own(item, 'tags');
  return {
    link: str(own(item, 'url')) ?? str(own(item, 'external_url')),
    // The spec says string; numbers are common, and equal as text.
    guid: typeof id === 'number' && Number.isFinite(id) ? String(id) : str(id),
    title: str(own(item, 'title')),
    author: authorName(item),
    date: str(own(item, 'date_published')) ?? str(own(item, 'date_modified')),
    categories: Array.isArray(tags) ? [...new Set(tags.map(str).filter((t): t is string => t !== null))] : [],
  };
}

/** 1.1 has `authors` (an array); 1.0 has `author`. Names of all, joined, as RSS gives one string. */
function authorName(item: JsonObject): string | null {
  const authors = own(item, 'authors');
  const list = Array.isArray(authors) ? authors : [own(item, 'author')];
  const names = list.map((a) => (isObject(a) ? str(own(a, 'name')) : null)).filter((n): n is string => n !== null);
  return names.length > 0 ? names.join(', ') : null;
}
