import { JSDOM, VirtualConsole } from 'jsdom';
import type { FeedFormat } from './sniff-feed.js';

/** A feed URL a web page points to; `format` is what the page claims, unchecked (null for a plain <a>). */
export interface FeedCandidate {
  url: string;
  title: string | null;
  format: FeedFormat | null;
  /** `link`: <link rel=alternate type=…>; `anchor`: an <a href> that looks like a feed. */
  source: 'link' | 'anchor';
}

// The media types of feed autodiscovery (RSS Advisory Board "RSS Autodiscovery"; RFC 4287 §7.1;
// JSON Feed 1.1). Plain application/json is not here: WordPress links its REST API that way.
const LINK_TYPES = new Map<string, FeedFormat>([
  ['application/rss+xml', 'rss'],
  ['application/x-rss+xml', 'rss'],
  ['application/atom+xml', 'atom'],
  ['application/rdf+xml', 'rdf'],
  ['application/feed+json', 'json'],
]);
// Comment feeds (WordPress "… » Comments Feed", per-post feeds) are rarely what someone subscribing to a site wants.
const COMMENTS = /\bcomments?\b|\/comments\/feed/i;
const FEEDISH_HREF = /\.(?:rss|rdf|atom|xml)(?:$|\?)|\/(?:feed|rss|atom)\/?$|[?&]feed=(?:rss2?|atom)\b|\/feeds\/posts\/default/i;
const FEEDBURNER = /(?:^|\.)feedburner\.com$/i;
// Anchors are a fallback from feedfinder: a few are worth probing, a link farm is not.
const MAX_ANCHORS = 5;
// jsdom's cost grows with the page; a home page over this is not worth parsing whole for its <head>.
const MAX_HTML_CHARS = 5_000_000;

/**
 * The feeds a web page advertises, best first: `<link rel=alternate>` feeds in document order with
 * comment feeds last, then `<a href>`s that look like feeds. Resolved against `<base href>` and the
 * page URL; only http(s) URLs, each once.
 */
export function discoverFeeds(html: string, pageUrl: string): FeedCandidate[] {
  const dom = new JSDOM(withoutScriptsAndStyles(html.slice(0, MAX_HTML_CHARS)), {
    url: pageUrl,
    contentType: 'text/html',
    virtualConsole: new VirtualConsole(),
  });
  try {
    const doc = dom.window.document;
    const links = [...doc.querySelectorAll('link[href]')].flatMap((el) => linkCandidate(el));
    const advertised = unique([...links.filter((c) => !isCommentsFeed(c)), ...links.filter(isCommentsFeed)]);
    const known = new Set(advertised.map((c) => c.url));
    const anchors = unique([...doc.querySelectorAll('a[href]')].flatMap((el) => anchorCandidate(el, pageUrl)));
    return [...advertised, ...anchors.filter((c) => !known.has(c.url)).slice(0, MAX_ANCHORS)];
  } finally {
    dom.window.close();
  }
}

function linkCandidate(el: Element): FeedCandidate[] {
  const rel = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
  // rel="feed" was in HTML5 drafts and a few sites still use it.
  if (!rel.includes('alternate') && !rel.includes('feed')) return [];
  const type = (el.getAttribute('type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format = LINK_TYPES.get(type);
  if (format === undefined) return [];
  const url = absolute(el, 'href');
  return url === null ? [] : [{ url, title: clean(el.getAttribute('title')), format, source: 'link' }];
}

/** An <a> to a feed-looking URL on the same site (or FeedBurner): a blogroll's links to other sites' feeds are not this site's. */
function anchorCandidate(el: Element, pageUrl: string): FeedCandidate[] {
  const url = absolute(el, 'href');
  if (url === null) return [];
  const { hostname, pathname, search } = new URL(url);
  // FeedBurner hosts nothing but feeds, at paths like /SiteName.
  if (!FEEDBURNER.test(hostname) && (siteName(hostname) !== siteName(new URL(pageUrl).hostname) || !FEEDISH_HREF.test(pathname + search))) return [];
  return [{ url, title: clean(el.textContent), format: null, source: 'anchor' }];
}

function siteName(hostname: string): string {
  return hostname.toLowerCase().replace(/^www\./, '');
}

/** The element's URL attribute resolved as the browser would (document base URL), http(s) only. */
function absolute(el: Element, attr: string): string | null {
  const raw = el.getAttribute(attr)?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw, el.ownerDocument.baseURI);
    url.hash = '';
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function isCommentsFeed(c: FeedCandidate): boolean {
  return COMMENTS.test(c.title ?? '') || /\/comments\/feed\/?$/i.test(new URL(c.url).pathname);
}

function clean(text: string | null | undefined): string | null {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

function unique(candidates: FeedCandidate[]): FeedCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => !seen.has(c.url) && seen.add(c.url) !== undefined);
}

/**
 * Script and style bodies hold no links, and one malformed CSS rule can make jsdom's parser throw.
 * One forward scan, so many unclosed tags still cost linear time (as in stages/extract/load-document.ts).
 */
function withoutScriptsAndStyles(html: string): string {
  const open = /<(style|script)[\s>/]/gi;
  const parts: string[] = [];
  let at = 0;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const close = new RegExp(`</${m[1]}`, 'gi');
    close.lastIndex = m.index + m[0].length;
    const found = close.exec(html);
    const gt = found ? html.indexOf('>', found.index) : -1;
    const end = gt === -1 ? html.length : gt + 1;
    parts.push(html.slice(at, m.index));
    at = end;
    open.lastIndex = end;
  }
  parts.push(html.slice(at));
  return parts.join('');
}
