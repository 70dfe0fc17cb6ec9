import { readJsonLd } from './read-json-ld.js';
import { resolveUrl } from './resolve-url.js';
import { splitAuthors } from './split-authors.js';
import { toIsoDate } from './to-iso-date.js';

/** What the page's head, JSON-LD and byline say about the article, before any body extraction. */
export interface PageMetadata {
  title: string | null;
  subtitle: string | null;
  authors: string[];
  publishedAt: string | null;
  modifiedAt: string | null;
  siteName: string | null;
  language: string | null;
  section: string | null;
  tags: string[];
  canonicalUrl: string | null;
  leadImage: { url: string; alt: string | null } | null;
  /** og:type, lower-cased ("article", "website"), or null. */
  pageType: string | null;
  /** True when JSON-LD declares an Article (or a subtype). */
  declaresArticle: boolean;
  /** JSON-LD isAccessibleForFree, when the page says. */
  accessibleForFree: boolean | null;
}

type MetaMap = Map<string, string[]>;

/** Read title, authors, dates, site, language, section, tags, canonical URL and lead image from a parsed page. */
export function readMetadata(document: Document, pageUrl: string): PageMetadata {
  const meta = readMetaTags(document);
  const ld = readJsonLd(document);
  const first = (...keys: string[]): string | null => keys.map((k) => meta.get(k)?.[0] ?? null).find((v) => v !== null) ?? null;
  const siteName = clean(first('og:site_name', 'application-name')) ?? clean(ld.publisherName);
  const imageUrl = resolveUrl(first('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src') ?? ld.image, pageUrl);
  return {
    title: readTitle(document, meta, ld.headline, siteName),
    subtitle: clean(first('og:description', 'description', 'twitter:description') ?? ld.description),
    authors: readAuthors(document, meta, ld.authors),
    publishedAt: readDate(document, meta, ld.datePublished, ['article:published_time', 'datepublished', 'date', 'pubdate', 'publishdate', 'publish-date', 'parsely-pub-date', 'sailthru.date', 'dc.date', 'dc.date.issued', 'dcterms.created']),
    modifiedAt: readDate(null, meta, ld.dateModified, ['article:modified_time', 'og:updated_time', 'datemodified', 'last-modified', 'dcterms.modified']),
    siteName,
    language: readLanguage(document, first('og:locale', 'content-language', 'language') ?? ld.inLanguage),
    section: clean(first('article:section', 'section', 'parsely-section')) ?? clean(ld.section),
    tags: dedupe([...(meta.get('article:tag') ?? []), ...splitList(first('keywords', 'news_keywords')), ...ld.keywords]),
    canonicalUrl: resolveUrl(document.querySelector('link[rel~="canonical" i]')?.getAttribute('href'), pageUrl) ?? resolveUrl(first('og:url'), pageUrl),
    leadImage: imageUrl ? { url: imageUrl, alt: clean(first('og:image:alt', 'twitter:image:alt')) } : null,
    pageType: clean(first('og:type'))?.toLowerCase() ?? null,
    declaresArticle: ld.isArticle,
    accessibleForFree: ld.accessibleForFree,
  };
}

// One pass over <meta>, keyed by lower-cased property, name or itemprop, values in page order.
function readMetaTags(document: Document): MetaMap {
  const map: MetaMap = new Map();
  for (const el of document.querySelectorAll('meta')) {
    const content = el.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = el.getAttribute(attr)?.trim().toLowerCase();
      if (key) map.set(key, [...(map.get(key) ?? []), content]);
    }
  }
  return map;
}

function readTitle(document: Document, meta: MetaMap, headline: string | null, siteName: string | null): string | null {
  const candidates = [meta.get('og:title')?.[0], headline, meta.get('twitter:title')?.[0], document.querySelector('h1')?.textContent];
  const found = candidates.map(clean).find((t): t is string => t !== null);
  if (found) return stripSiteSuffix(found, siteName, false);
  const tag = clean(document.querySelector('title')?.textContent);
  return tag ? stripSiteSuffix(tag, siteName, true) : null;
}

/** "Headline | Site" and "Headline - Site" lose the site; from <title> any short last segment goes. */
function stripSiteSuffix(title: string, siteName: string | null, fromTitleTag: boolean): string {
  const m = /^(.+?)\s+(?:\||-|–|—|::|·|•)\s+([^|–—]+)$/.exec(title);
  if (!m?.[1] || !m[2]) return title;
  const [head, tail] = [m[1].trim(), m[2].trim()];
  const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const isSite = siteName !== null && key(siteName).length > 0 && (key(tail) === key(siteName) || key(tail).includes(key(siteName)) || key(siteName).includes(key(tail)));
  const shortTail = tail.split(/\s+/).length <= 4 && head.split(/\s+/).length >= 2;
  return isSite || (fromTitleTag && shortTail) ? stripSiteSuffix(head, siteName, fromTitleTag) : title;
}

function readAuthors(document: Document, meta: MetaMap, fromLd: string[]): string[] {
  const sources: (() => string[])[] = [
    () => fromLd.flatMap(splitAuthors),
    () => [...(meta.get('author') ?? []), ...(meta.get('article:author') ?? []), ...(meta.get('parsely-author') ?? [])].flatMap(splitAuthors),
    () => textsOf(document, '[itemprop~="author" i] [itemprop~="name" i], [itemprop~="author" i], a[rel~="author" i]').flatMap(splitAuthors),
    () => textsOf(document, '.byline, .author, .author-name, [class*="byline" i], [rel="author"]').flatMap(splitAuthors),
  ];
  for (const source of sources) {
    const names = dedupe(source());
    if (names.length > 0) return names;
  }
  return [];
}

function textsOf(document: Document, selector: string): string[] {
  return [...document.querySelectorAll(selector)]
    .slice(0, 6)
    .map((el) => el.getAttribute('content') ?? el.textContent ?? '')
    .filter((t) => t.trim().length > 0 && t.length < 200);
}

function readDate(document: Document | null, meta: MetaMap, fromLd: string | null, keys: string[]): string | null {
  for (const value of [...keys.slice(0, 1).map((k) => meta.get(k)?.[0]), fromLd, ...keys.slice(1).map((k) => meta.get(k)?.[0])]) {
    const iso = toIsoDate(value);
    if (iso) return iso;
  }
  if (!document) return null;
  const el = document.querySelector('[itemprop~="datePublished" i]') ?? document.querySelector('article time[datetime]') ?? document.querySelector('time[datetime]');
  return toIsoDate(el?.getAttribute('datetime') ?? el?.getAttribute('content') ?? el?.textContent);
}

function readLanguage(document: Document, fallback: string | null): string | null {
  for (const value of [document.documentElement?.getAttribute('lang'), document.documentElement?.getAttribute('xml:lang'), fallback]) {
    const primary = value?.trim().split(/[-_]/)[0]?.toLowerCase();
    if (primary && /^[a-z]{2,3}$/.test(primary)) return primary;
  }
  return null;
}

function splitList(value: string | null): string[] {
  return value ? value.split(/[,;]/).map((v) => v.trim()).filter(Boolean) : [];
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values.map(clean)) {
    if (value === null || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    out.push(value);
  }
  return out;
}

function clean(value: string | null | undefined): string | null {
  const out = value?.replace(/\s+/g, ' ').trim();
  return out ? out : null;
}
