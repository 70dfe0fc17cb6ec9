import { Readability } from '@mozilla/readability';
import { NewsloomError } from '../../lib/errors.js';
import type { ArticleImage, ExtractedArticle, ItemHints } from '../article.js';
import { cleanDom, type CleaningRules } from './clean-dom.js';
import { collectImages } from './collect-images.js';
import { elementsUnder } from './elements-under.js';
import { findStandfirst } from './find-standfirst.js';
import { judgeBody } from './judge-body.js';
import { flattenDeepNesting } from './flatten-deep-nesting.js';
import { loadDocument, type LoadOptions } from './load-document.js';
import { markImages } from './mark-images.js';
import { readMetadata, type PageMetadata } from './read-metadata.js';
import { removePromos } from './remove-promos.js';
import { renderText } from './render-text.js';
import { sanitiseHtml } from './sanitise-html.js';
import { splitAuthors } from './split-authors.js';
import { toIsoDate } from './to-iso-date.js';
import { trimTail } from './trim-tail.js';

export interface FetchedPage {
  /** Final URL after redirects. */
  url: string;
  html: string;
  fetchedAt: string;
  hints?: ItemHints;
}

export interface ExtractOptions {
  /** Larger pages are refused with a permanent NewsloomError NL_PAGE_TOO_LARGE. Default 5_000_000. */
  maxHtmlChars?: number;
  /** The DOM the page is parsed into: 'linkedom' is several times faster, 'jsdom' is spec-exact. Default 'jsdom'. */
  dom?: 'jsdom' | 'linkedom';
}

export type ExtractOutcome =
  | { kind: 'article'; article: ExtractedArticle }
  | { kind: 'skipped'; reason: 'not-an-article' | 'empty' | 'paywall'; detail: string };

const DEFAULT_MAX_HTML_CHARS = 5_000_000;
// Deeper elements are unwrapped before Readability, whose time grows with the cube of the depth.
const MAX_DEPTH = 100;
// A body this short from the full rules may be what is left of a post whose theme names it like chrome.
const MIN_FULL_BODY_WORDS = 40;
// A word for countWords; global, for its test() loop.
const WORD = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}]|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

type Parsed = NonNullable<ReturnType<Readability<Element>['parse']>>;

/** Extract body text, sanitised HTML, images and metadata from a fetched page, or say why it holds no article. */
export function extractArticle(page: FetchedPage, opts: ExtractOptions = {}): ExtractOutcome {
  const load: LoadOptions = { maxHtmlChars: opts.maxHtmlChars ?? DEFAULT_MAX_HTML_CHARS, dom: opts.dom ?? 'jsdom' };
  const first = extractOnce(page, load, 'full');
  if (first.kind === 'article' ? countWords(first.article.text) >= MIN_FULL_BODY_WORDS : first.reason !== 'not-an-article') return first;
  // The class and text rules can hit a theme that names its post container like chrome ("trending-layout",
  // "promo-content"), leaving Readability nothing, a link list or a scrap: try once more with the tag rules
  // only, on a fresh parse (Readability consumed the first one).
  const second = extractOnce(page, load, 'light');
  if (second.kind !== 'article') return first;
  return first.kind === 'article' && first.article.text.length >= second.article.text.length ? first : second;
}

function extractOnce(page: FetchedPage, load: LoadOptions, rules: CleaningRules): ExtractOutcome {
  const loaded = loadDocument(page.html, page.url, load);
  try {
    return extractFrom(loaded.document, page, rules);
  } catch (err) {
    if (err instanceof NewsloomError) throw err;
    // Any other fault (a jsdom bug, a pathological page) is about this page, not the moment:
    // retrying would fail the same way.
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new NewsloomError(`extract ${page.url}: extraction failed: ${what}`, 'NL_EXTRACT_FAILED', false, { cause: err });
  } finally {
    // jsdom windows hold the whole DOM until closed (and freed on the next turn of the event loop).
    loaded.close();
  }
}

function extractFrom(document: Document, page: FetchedPage, rules: CleaningRules): ExtractOutcome {
  const body = document.body;
  const pageText = body ? visibleText(body) : '';
  const pageWords = countWords(pageText);
  if (!body || pageWords === 0) return skipped('empty', `${page.url}: the page has no text`);
  flattenDeepNesting(body, MAX_DEPTH);
  const meta = readMetadata(document, page.url, { fetchedAt: page.fetchedAt, hints: page.hints });
  const marked = markImages(body, page.url);
  const standfirst = findStandfirst(body);
  cleanDom(body, rules);
  standfirst?.noteSurvivors(body);
  const parsed = new Readability<Element>(document, { keepClasses: true, disableJSONLD: true, serializer: (el) => el as Element }).parse();
  const content = parsed?.content;
  const facts = { url: page.url, pageWords, pageText, pageType: meta.pageType, declaresArticle: meta.declaresArticle, accessibleForFree: meta.accessibleForFree };
  if (!parsed || !content) {
    const verdict = judgeBody({ ...facts, bodyWords: 0, linkDensity: 0, imageCount: 0 });
    return skipped(verdict?.reason ?? 'not-an-article', `${page.url}: Readability found no article body in ${pageWords} words of page text`);
  }
  // Readability keeps whole containers: chrome nested inside the article body comes out here.
  cleanDom(content, rules);
  trimTail(content);
  removePromos(content);
  standfirst?.restore(content);
  const lead: ArticleImage | null = meta.leadImage ? { url: meta.leadImage.url, caption: null, credit: null, alt: meta.leadImage.alt } : null;
  const images = collectImages(content, marked, lead, page.url);
  const html = sanitiseHtml(content, page.url);
  const holder = document.createElement('div');
  holder.innerHTML = html;
  const text = renderText(holder);
  const verdict = judgeBody({ ...facts, bodyWords: countWords(text), linkDensity: linkDensity(holder), imageCount: images.length });
  if (verdict) return skipped(verdict.reason, verdict.detail);
  return { kind: 'article', article: buildArticle(page, meta, parsed, { text, html, images }) };
}

function buildArticle(page: FetchedPage, meta: PageMetadata, parsed: Parsed, body: Pick<ExtractedArticle, 'text' | 'html' | 'images'>): ExtractedArticle {
  // readMetadata read the page, then the feed's hints; Readability's guesses fill only what is still missing.
  const provenance: Record<string, string> = { ...meta.provenance };
  const orReadability = <T>(field: string, value: T | null, guess: T | null): T | null => {
    if (value !== null || guess === null) return value;
    provenance[field] = 'readability';
    return guess;
  };
  const byline = splitAuthors(parsed.byline);
  return {
    url: page.url,
    canonicalUrl: meta.canonicalUrl,
    title: orReadability('title', meta.title, clean(parsed.title)) ?? '',
    subtitle: meta.subtitle,
    authors: meta.authors.length > 0 ? meta.authors : (orReadability('authors', null, byline.length > 0 ? byline : null) ?? []),
    publishedAt: orReadability('publishedAt', meta.publishedAt, toIsoDate(parsed.publishedTime, { fetchedAt: page.fetchedAt })),
    modifiedAt: meta.modifiedAt,
    siteName: orReadability('siteName', meta.siteName, clean(parsed.siteName)),
    language: orReadability('language', meta.language, clean(parsed.lang)?.split(/[-_]/)[0]?.toLowerCase() || null),
    section: meta.section,
    tags: meta.tags,
    ...body,
    provenance,
  };
}

function skipped(reason: 'not-an-article' | 'empty' | 'paywall', detail: string): ExtractOutcome {
  return { kind: 'skipped', reason, detail };
}

// Text a reader would see: without the JSON-LD scripts still in the DOM at this point.
function visibleText(body: Element): string {
  let text = body.textContent ?? '';
  for (const script of elementsUnder(body, 'script')) text = text.replace(script.textContent ?? '', ' ');
  return text;
}

function linkDensity(root: Element): number {
  const all = (root.textContent ?? '').replace(/\s+/g, '').length;
  let linked = 0;
  for (const a of elementsUnder(root, 'a')) linked += (a.textContent ?? '').replace(/\s+/g, '').length;
  return all > 0 ? linked / all : 0;
}

/** Words: runs of letters or digits (apostrophes and hyphens inside keep one whole); each Han, kana or Thai character counts as one, as those scripts put no spaces between words. */
function countWords(text: string): number {
  // test() steps from word to word without building the array of them all that match() returns: half the time.
  WORD.lastIndex = 0;
  let words = 0;
  while (WORD.test(text)) words++;
  return words;
}

function clean(value: string | null | undefined): string | null {
  const out = value?.replace(/\s+/g, ' ').trim();
  return out ? out : null;
}
