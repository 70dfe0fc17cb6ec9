import { getDomainWithoutSuffix } from 'tldts';
import type { ItemHints } from '../article.js';
import { closestElement, elementsUnder, isTag } from './elements-under.js';
import { indexMicrodata, type Microdata } from './index-microdata.js';
import { readByline } from './read-byline.js';
import { readJsonLd, type JsonLdFacts } from './read-json-ld.js';
import { readMetaTags, type MetaTags } from './read-meta-tags.js';
import { resolveUrl } from './resolve-url.js';
import { splitAuthors } from './split-authors.js';
import { stripTitleAffix } from './strip-title-affix.js';
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
  /** og:image (or twitter:image, JSON-LD image…), with JSON-LD's caption and credit when it describes the same picture. */
  leadImage: { url: string; alt: string | null; caption: string | null; credit: string | null } | null;
  /** og:type, lower-cased ("article", "website"), or null. */
  pageType: string | null;
  /** True when JSON-LD declares an Article (or a subtype). */
  declaresArticle: boolean;
  /** JSON-LD isAccessibleForFree, when the page says. */
  accessibleForFree: boolean | null;
  /** Where each field found came from ("og:title", "json-ld:datePublished", "byline", "feed:author"…): a wrong value can be traced. */
  provenance: MetadataProvenance;
}

export type MetadataField = 'title' | 'subtitle' | 'authors' | 'publishedAt' | 'modifiedAt' | 'siteName' | 'language' | 'section' | 'tags' | 'canonicalUrl' | 'leadImage';
export type MetadataProvenance = Partial<Record<MetadataField, string>>;

export interface MetadataOptions {
  /** When the page was fetched: a date more than a day after it is rejected. Defaults to now. */
  fetchedAt?: string | null;
  /** What the feed said about the item: the last resort for title, authors, date and tags. */
  hints?: ItemHints | null;
}

// One place a field can be read from: its provenance label and a reader, called only if earlier sources gave nothing.
type Source<T> = readonly [label: string, read: () => T | null | undefined];
type Found<R> = { value: R; source: string } | null;

interface Page {
  document: Document;
  /** Every element of the document in order: one walk for all the readers (none changes the page). */
  elements: readonly Element[];
  url: string;
  meta: MetaTags;
  ld: JsonLdFacts;
  hints: ItemHints;
  fetchedAt: string | null;
  /** Body microdata, indexed on first use: most pages never need it. */
  microdata: () => Microdata;
  /** `<link>` hrefs by lower-cased rel token. */
  links: Map<string, string>;
}

/** Read title, authors, dates, site, language, section, tags, canonical URL and lead image from a parsed page, recording each one's source. */
export function readMetadata(document: Document, pageUrl: string, opts: MetadataOptions = {}): PageMetadata {
  let microdata: Microdata | null = null;
  const elements = elementsUnder(document);
  const page: Page = {
    document, elements, url: pageUrl, meta: readMetaTags(document, elements), ld: readJsonLd(document, elements), hints: opts.hints ?? {}, fetchedAt: opts.fetchedAt ?? null,
    microdata: () => (microdata ??= indexMicrodata(document, elements)), links: readLinks(document),
  };
  const itemprop = (name: string) => page.microdata().get(name.toLowerCase())?.[0] ?? null;
  const { meta, ld } = page;
  const provenance: MetadataProvenance = {};
  const take = <R>(field: MetadataField, found: Found<R>): R | null => {
    if (found) provenance[field] = found.source;
    return found ? found.value : null;
  };
  const tag = (key: string): Source<string> => [key, () => meta.get(key)?.[0]];

  const siteName = take('siteName', firstOf([tag('og:site_name'), tag('application-name'), ['json-ld:publisher', () => ld.publisherName], tag('dc.publisher'), tag('citation_publisher')], clean));
  const title = take('title', readTitle(page, siteName));
  const publishedAt = take('publishedAt', readDate(page, PUBLISHED_KEYS, ['json-ld:datePublished', () => ld.datePublished], [
    ['itemprop:datePublished', () => dateOf(itemprop('datePublished'))],
    ['time[datetime]', () => dateOf(publicationTime(elements))],
    ['feed:publishedAt', () => page.hints.publishedAt],
  ]));
  return {
    title,
    subtitle: take('subtitle', firstOf(
      [tag('og:description'), tag('description'), tag('twitter:description'), ['json-ld:description', () => ld.description], ['json-ld:alternativeHeadline', () => ld.alternativeHeadline], tag('sailthru.description'), tag('dc.description')],
      // A description that only repeats the headline says nothing more.
      (raw) => { const text = clean(raw); return text && text.toLowerCase() !== title?.toLowerCase() ? text : null; },
    )),
    authors: take('authors', readAuthors(page, siteName)) ?? [],
    publishedAt,
    modifiedAt: take('modifiedAt', readDate(page, MODIFIED_KEYS, ['json-ld:dateModified', () => ld.dateModified], [
      ['itemprop:dateModified', () => dateOf(itemprop('dateModified'))],
    ])),
    siteName,
    language: take('language', firstOf(
      [['html[lang]', () => document.documentElement?.getAttribute('lang')], ['html[xml:lang]', () => document.documentElement?.getAttribute('xml:lang')], tag('content-language'), tag('og:locale'), ['json-ld:inLanguage', () => ld.inLanguage], tag('dc.language'), tag('language')],
      primaryLanguage,
    )),
    section: take('section', firstOf(
      [tag('article:section'), ['json-ld:articleSection', () => ld.section], tag('parsely-section'), tag('parsely-page:section'), tag('section'), ['itemprop:articleSection', () => textOf(itemprop('articleSection'))]],
      clean,
    )),
    tags: take('tags', readTags(page)) ?? [],
    canonicalUrl: take('canonicalUrl', firstOf(
      [['link[rel=canonical]', () => page.links.get('canonical')], tag('og:url'), ['json-ld:url', () => ld.url], tag('parsely-page:link')],
      (raw) => resolveUrl(raw, pageUrl),
    )),
    leadImage: take('leadImage', readLeadImage(page)),
    pageType: clean(meta.get('og:type')?.[0])?.toLowerCase() ?? null,
    declaresArticle: ld.isArticle,
    accessibleForFree: ld.accessibleForFree,
    provenance,
  };
}

/** The first source whose raw value `accept` turns into a value (a non-empty one, for lists). */
function firstOf<T, R>(sources: readonly Source<T>[], accept: (raw: T) => R | null): Found<R> {
  for (const [label, read] of sources) {
    const raw = read();
    if (raw === null || raw === undefined) continue;
    const value = accept(raw);
    if (value !== null && !(Array.isArray(value) && value.length === 0)) return { value, source: label };
  }
  return null;
}

function readTitle(page: Page, siteName: string | null): Found<string> {
  const { elements, meta, ld } = page;
  // `article h1`, else `h1`.
  const h1 = elements.find((el) => isTag(el, 'h1') && el.parentElement !== null && closestElement(el.parentElement, 'article') !== null) ?? elements.find((el) => isTag(el, 'h1'));
  const sources: Source<string>[] = [
    ...['og:title', 'json-ld:headline', 'twitter:title', 'parsely-page:title', 'parsely-title', 'sailthru.title', 'dc.title', 'dcterms.title', 'citation_title', 'headline'].map(
      (key): Source<string> => [key, () => (key === 'json-ld:headline' ? ld.headline : meta.get(key)?.[0])],
    ),
    ['itemprop:headline', () => textOf(page.microdata().get('headline')?.[0] ?? null)],
    ['h1', () => h1?.textContent],
    ['title', () => elements.find((el) => isTag(el, 'title'))?.textContent],
    ['feed:title', () => page.hints.title],
  ];
  const candidates = sources.map(([, read]) => clean(read())).filter((t): t is string => t !== null);
  const evidence = {
    siteNames: [siteName, meta.get('og:site_name')?.[0], meta.get('application-name')?.[0], ld.publisherName, meta.get('twitter:site')?.[0]?.replace(/^@/, ''), getDomainWithoutSuffix(page.url)].filter((s): s is string => !!s),
    otherTitles: candidates,
  };
  return firstOf(sources, (raw) => {
    const text = clean(raw);
    return text ? stripTitleAffix(text, evidence) : null;
  });
}

function readAuthors(page: Page, siteName: string | null): Found<string[]> {
  const { meta, ld } = page;
  const all = (key: string): Source<string[]> => [key, () => meta.get(key)];
  const fromHead: Source<string[]>[] = [
    ['json-ld:author', () => ld.authors],
    ...['author', 'article:author', 'parsely-author', 'parsely-page:authors', 'parsely-page:author', 'sailthru.author', 'dc.creator', 'dcterms.creator', 'citation_author', 'byl'].map(all),
  ];
  const split = (values: string[]) => dedupe(values.flatMap(splitAuthors));
  // Many sites put their own name in <meta name="author">: a person named in the body is the better answer.
  const isSiteOnly = (names: string[]) => siteName !== null && names.every((n) => key(n) === key(siteName));
  let siteOnly: Found<string[]> = null;
  for (const [source, read] of fromHead) {
    const names = split(read() ?? []);
    if (names.length === 0) continue;
    if (!isSiteOnly(names)) return { value: names, source };
    siteOnly ??= { value: names, source };
  }
  const byline = readByline(page.document, page.microdata(), page.elements);
  if (byline) return { value: byline.names, source: byline.source };
  return siteOnly ?? firstOf<string, string[]>([['feed:author', () => page.hints.author]], splitAuthors);
}

const PUBLISHED_KEYS = [
  'article:published_time', 'parsely-pub-date', 'parsely-page:pub_date', 'sailthru.date', 'og:published_time', 'article.published', 'datepublished',
  'dc.date.issued', 'dcterms.issued', 'dc.date', 'dcterms.created', 'dcterms.date', 'citation_publication_date', 'citation_online_date', 'citation_date',
  'pubdate', 'publishdate', 'publish-date', 'date',
];
const MODIFIED_KEYS = ['article:modified_time', 'og:updated_time', 'article.updated', 'datemodified', 'dc.date.modified', 'dcterms.modified', 'last-modified'];

// The first key of `keys` (the OpenGraph tag) outranks JSON-LD; the other tags follow, then `more` (microdata, <time>, the feed).
function readDate(page: Page, keys: string[], fromLd: Source<string>, more: Source<string>[]): Found<string> {
  const tag = (key: string): Source<string> => [key, () => page.meta.get(key)?.[0]];
  const sources = [...keys.slice(0, 1).map(tag), fromLd, ...keys.slice(1).map(tag), ...more];
  return firstOf(sources, (raw) => toIsoDate(raw, { fetchedAt: page.fetchedAt }));
}

// <time pubdate> says it is the publication date; else the first <time> in the article, else on the page.
function publicationTime(elements: readonly Element[]): Element | null {
  const times = elements.filter((el) => isTag(el, 'time') && el.hasAttribute('datetime'));
  return times.find((t) => t.hasAttribute('pubdate')) ?? times.find((t) => closestElement(t, 'article') !== null) ?? times[0] ?? null;
}

function dateOf(el: Element | null): string | null {
  return el ? (el.getAttribute('datetime') ?? el.getAttribute('content') ?? el.textContent) : null;
}

function readTags(page: Page): Found<string[]> {
  const { meta, ld } = page;
  const all = (key: string): Source<string[]> => [key, () => meta.get(key)];
  return firstOf(
    [
      all('article:tag'), ['json-ld:keywords', () => ld.keywords], all('news_keywords'), all('keywords'), all('parsely-tags'), all('parsely-page:tags'),
      all('sailthru.tags'), all('dc.subject'), all('citation_keywords'), ['feed:categories', () => page.hints.categories],
    ],
    (values) => dedupe(values.flatMap((v) => v.split(/[,;]/))),
  );
}

function readLeadImage(page: Page): Found<NonNullable<PageMetadata['leadImage']>> {
  const { document, meta, ld } = page;
  const tag = (key: string): Source<string> => [key, () => meta.get(key)?.[0]];
  const found = firstOf(
    [
      tag('og:image'), tag('og:image:url'), tag('og:image:secure_url'), tag('twitter:image'), tag('twitter:image:src'), ['json-ld:image', () => ld.image?.url],
      tag('parsely-page:image_url'), tag('sailthru.image.full'), tag('image'), ['link[rel=image_src]', () => page.links.get('image_src')],
    ],
    (raw) => resolveUrl(raw, page.url),
  );
  if (!found) return null;
  const described = ld.image && resolveUrl(ld.image.url, page.url) === found.value ? ld.image : null;
  const alt = clean(meta.get('og:image:alt')?.[0] ?? meta.get('twitter:image:alt')?.[0]);
  return { source: found.source, value: { url: found.value, alt, caption: clean(described?.caption), credit: clean(described?.credit) } };
}

// A microdata element's content attribute, else its text.
function textOf(el: Element | null): string | null {
  const text = el ? clean(el.getAttribute('content') ?? el.textContent) : null;
  return text && text.length < 300 ? text : null;
}

// The first href of each rel token (rel="canonical", rel="image_src"), from the head's links only.
function readLinks(document: Document): Map<string, string> {
  const links = new Map<string, string>();
  for (const link of elementsUnder(document.head ?? document, (el) => isTag(el, 'link') && el.hasAttribute('rel') && el.hasAttribute('href'))) {
    const href = link.getAttribute('href') ?? '';
    for (const token of (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/)) if (token && !links.has(token)) links.set(token, href);
  }
  return links;
}

function primaryLanguage(value: string): string | null {
  const primary = value.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
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

function key(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function clean(value: string | null | undefined): string | null {
  const out = value?.replace(/\s+/g, ' ').trim();
  return out ? out : null;
}
