import { Readability } from '@mozilla/readability';
import { NewsloomError } from '../../lib/errors.js';
import type { ArticleImage, ExtractedArticle, ItemHints } from '../article.js';
import { cleanDom, type CleaningRules } from './clean-dom.js';
import { collectImages } from './collect-images.js';
import { flattenDeepNesting } from './flatten-deep-nesting.js';
import { loadDocument } from './load-document.js';
import { markImages } from './mark-images.js';
import { readMetadata, type PageMetadata } from './read-metadata.js';
import { renderText } from './render-text.js';
import { sanitiseHtml } from './sanitise-html.js';
import { splitAuthors } from './split-authors.js';
import { toIsoDate } from './to-iso-date.js';

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
}

export type ExtractOutcome =
  | { kind: 'article'; article: ExtractedArticle }
  | { kind: 'skipped'; reason: 'not-an-article' | 'empty' | 'paywall'; detail: string };

const DEFAULT_MAX_HTML_CHARS = 5_000_000;
// Deeper elements are unwrapped before Readability, whose time grows with the cube of the depth.
const MAX_DEPTH = 100;
// Under this many words of body there is no article to keep: a teaser, a stub, an error page.
const MIN_BODY_WORDS = 40;
// Above this share of its text in links, a "body" is a list of headlines: a section or home page.
const MAX_LINK_DENSITY = 0.5;

type Parsed = NonNullable<ReturnType<Readability<Element>['parse']>>;

/** Extract body text, sanitised HTML, images and metadata from a fetched page, or say why it holds no article. */
export function extractArticle(page: FetchedPage, opts: ExtractOptions = {}): ExtractOutcome {
  const maxHtmlChars = opts.maxHtmlChars ?? DEFAULT_MAX_HTML_CHARS;
  const first = extractOnce(page, maxHtmlChars, 'full');
  if (first.kind === 'article' || first.reason !== 'not-an-article') return first;
  // The class and text rules can hit a theme that names its post container like chrome ("trending-layout",
  // "promo-content"), leaving Readability nothing or a link list: try once more with the tag rules
  // only, on a fresh parse (Readability consumed the first one).
  const second = extractOnce(page, maxHtmlChars, 'light');
  return second.kind === 'article' ? second : first;
}

function extractOnce(page: FetchedPage, maxHtmlChars: number, rules: CleaningRules): ExtractOutcome {
  const dom = loadDocument(page.html, page.url, maxHtmlChars);
  try {
    return extractFrom(dom.window.document, page, rules);
  } catch (err) {
    if (err instanceof NewsloomError) throw err;
    // Any other fault (a jsdom bug, a pathological page) is about this page, not the moment:
    // retrying would fail the same way.
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new NewsloomError(`extract ${page.url}: extraction failed: ${what}`, 'NL_EXTRACT_FAILED', false, { cause: err });
  } finally {
    // jsdom windows hold the whole DOM until closed (and freed on the next turn of the event loop).
    dom.window.close();
  }
}

function extractFrom(document: Document, page: FetchedPage, rules: CleaningRules): ExtractOutcome {
  const body = document.body;
  const pageWords = body ? countWords(visibleText(body)) : 0;
  if (!body || pageWords === 0) return skipped('empty', `${page.url}: the page has no text`);
  flattenDeepNesting(body, MAX_DEPTH);
  const meta = readMetadata(document, page.url);
  const marked = markImages(body, page.url);
  cleanDom(body, rules);
  const parsed = new Readability<Element>(document, { keepClasses: true, disableJSONLD: true, serializer: (el) => el as Element }).parse();
  const content = parsed?.content;
  if (!parsed || !content) {
    return shortBody(meta, pageWords, 0, `${page.url}: Readability found no article body in ${pageWords} words of page text`);
  }
  // Readability keeps whole containers: chrome nested inside the article body comes out here.
  cleanDom(content, rules);
  const lead: ArticleImage | null = meta.leadImage ? { url: meta.leadImage.url, caption: null, credit: null, alt: meta.leadImage.alt } : null;
  const images = collectImages(content, marked, lead, page.url);
  const html = sanitiseHtml(content.innerHTML, page.url);
  const holder = document.createElement('div');
  holder.innerHTML = html;
  const text = renderText(holder);
  const words = countWords(text);
  if (words < MIN_BODY_WORDS) {
    return shortBody(meta, pageWords, words, `${page.url}: article body has ${words} words, under ${MIN_BODY_WORDS}, in ${pageWords} words of page text`);
  }
  // A link blog or a press digest is link-heavy too: only a page that does not call itself an article
  // (og:type or JSON-LD) is judged a headline list by its links.
  const density = linkDensity(holder);
  const callsItselfArticle = meta.pageType === 'article' || meta.declaresArticle;
  if (density > MAX_LINK_DENSITY && !callsItselfArticle) {
    return skipped('not-an-article', `${page.url}: ${Math.round(density * 100)}% of the body text is links: a list of headlines, not an article`);
  }
  return { kind: 'article', article: buildArticle(page, meta, parsed, { text, html, images }) };
}

function buildArticle(page: FetchedPage, meta: PageMetadata, parsed: Parsed, body: Pick<ExtractedArticle, 'text' | 'html' | 'images'>): ExtractedArticle {
  const hints = page.hints ?? {};
  // The page is the better witness; the feed's hints only fill what the page does not say.
  const authors = [meta.authors, splitAuthors(parsed.byline), splitAuthors(hints.author)].find((list) => list.length > 0) ?? [];
  return {
    url: page.url,
    canonicalUrl: meta.canonicalUrl,
    title: meta.title ?? clean(hints.title) ?? clean(parsed.title) ?? '',
    subtitle: meta.subtitle,
    authors,
    publishedAt: meta.publishedAt ?? toIsoDate(parsed.publishedTime) ?? toIsoDate(hints.publishedAt),
    modifiedAt: meta.modifiedAt,
    siteName: meta.siteName ?? clean(parsed.siteName),
    language: meta.language ?? (clean(parsed.lang)?.split(/[-_]/)[0]?.toLowerCase() || null),
    section: meta.section,
    tags: meta.tags.length > 0 ? meta.tags : (hints.categories ?? []).map((c) => c.trim()).filter(Boolean),
    ...body,
  };
}

function shortBody(meta: PageMetadata, pageWords: number, bodyWords: number, detail: string): ExtractOutcome {
  if (pageWords < MIN_BODY_WORDS) return skipped('empty', detail);
  // A page that says it is not free and shows a stub is behind a paywall, not a non-article.
  if (meta.accessibleForFree === false && bodyWords > 0) return skipped('paywall', `${detail}; JSON-LD says isAccessibleForFree: false`);
  return skipped('not-an-article', detail);
}

function skipped(reason: 'not-an-article' | 'empty' | 'paywall', detail: string): ExtractOutcome {
  return { kind: 'skipped', reason, detail };
}

// Text a reader would see: without the JSON-LD scripts still in the DOM at this point.
function visibleText(body: Element): string {
  let text = body.textContent ?? '';
  for (const script of body.querySelectorAll('script')) text = text.replace(script.textContent ?? '', ' ');
  return text;
}

function linkDensity(root: Element): number {
  const all = (root.textContent ?? '').replace(/\s+/g, '').length;
  let linked = 0;
  for (const a of root.querySelectorAll('a')) linked += (a.textContent ?? '').replace(/\s+/g, '').length;
  return all > 0 ? linked / all : 0;
}

/** Words: runs of letters or digits (apostrophes and hyphens inside keep one whole); each Han, kana or Thai character counts as one, as those scripts put no spaces between words. */
function countWords(text: string): number {
  return text.match(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}]|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

function clean(value: string | null | undefined): string | null {
  const out = value?.replace(/\s+/g, ' ').trim();
  return out ? out : null;
}
