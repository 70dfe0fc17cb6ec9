import { NewsloomError } from '../../lib/errors.js';
import { discoverFeeds } from '../../stages/feeds/discover-feeds.js';
import { sniffFeed, type FeedFormat } from '../../stages/feeds/sniff-feed.js';
import { decodeText } from '../../stages/fetch/decode-text.js';
import { httpGet, type HttpGetOptions, type HttpResponse } from './http-get.js';

export interface DiscoveredFeed {
  /** The feed URL to subscribe to: as given, as the page links it, or the common path that answered. */
  url: string;
  format: FeedFormat;
  /** The title the page gave the link, when it gave one. */
  title: string | null;
  /** `direct`: the URL was a feed; `link`/`anchor`: the page pointed to it; `common-path`: found by probing. */
  via: 'direct' | 'link' | 'anchor' | 'common-path';
  /** Other feeds the page advertised, unchecked, for the user to choose from. */
  others: string[];
}

/**
 * Where sites put their feed when the home page does not say: WordPress (/feed, /?feed=rss2), Blogger
 * (/feeds/posts/default), Hugo (/index.xml), Jekyll (/feed.xml), Ghost (/rss), static generators.
 * The most widespread conventions come first, so a typical site costs few requests.
 */
export const COMMON_FEED_PATHS = [
  '/feed', '/rss', '/rss.xml', '/feed.xml', '/atom.xml', '/index.xml', '/feeds/posts/default',
  '/?feed=rss2', '/feed.json', '/atom', '/index.rss',
] as const;

// Up to 22 guesses run one after another: a site slow to say 404 must not hold `feeds add` for minutes.
const PROBE_TIMEOUT_MS = 10_000;
const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.9,application/atom+xml;q=0.9,application/feed+json;q=0.9,*/*;q=0.8';
const FEED_ACCEPT = 'application/rss+xml,application/atom+xml,application/feed+json,application/rdf+xml;q=0.9,application/xml;q=0.8,text/xml;q=0.8,*/*;q=0.5';

/**
 * Finds the feed behind a URL: the URL itself if it answers with a feed, else the feeds its page
 * advertises (checked in order, first that answers with a feed wins), else the common feed paths
 * under the page's folder and the site root, one request at a time. Throws NL_NO_FEED saying what
 * was tried; a network fault on the page itself is rethrown as httpGet reports it.
 */
export async function discover(url: string, http: HttpGetOptions): Promise<DiscoveredFeed> {
  const page = await httpGet(url, { ...http, accept: PAGE_ACCEPT });
  const ok = page.status >= 200 && page.status < 300;
  const direct = ok ? sniffFeed(page.body, page.headers['content-type'] ?? null) : null;
  if (direct !== null) return { url, format: direct, title: null, via: 'direct', others: [] };

  const linkFailures: string[] = [];
  const candidates = ok && looksLikeHtml(page) ? discoverFeeds(decodeText(page.body, page.headers['content-type'] ?? null, 'html'), page.url) : [];
  for (const candidate of candidates) {
    const format = await probe(candidate.url, http, linkFailures);
    if (format === null) continue;
    const others = candidates.filter((c) => c !== candidate && c.source === 'link').map((c) => c.url);
    return { url: candidate.url, format, title: candidate.title, via: candidate.source, others };
  }
  for (const path of commonPathUrls(page.url)) {
    // Misses here are the expected 404s: not worth listing.
    const format = await probe(path, http, []);
    if (format !== null) return { url: path, format, title: null, via: 'common-path', others: [] };
  }
  throw noFeedError(url, page, linkFailures);
}

/** GETs a candidate; a feed's format, or null with the reason added to `failures`. Only faults of our own making escape. */
async function probe(url: string, http: HttpGetOptions, failures: string[]): Promise<FeedFormat | null> {
  let res: HttpResponse;
  try {
    res = await httpGet(url, { ...http, accept: FEED_ACCEPT, timeoutMs: Math.min(http.timeoutMs, PROBE_TIMEOUT_MS) });
  } catch (err) {
    if (!(err instanceof NewsloomError)) throw err;
    failures.push(`${url}: ${err.code}`);
    return null;
  }
  if (res.status < 200 || res.status >= 300) {
    failures.push(`${url}: ${res.status}`);
    return null;
  }
  const format = sniffFeed(res.body, res.headers['content-type'] ?? null);
  if (format === null) failures.push(`${url}: not a feed (${res.headers['content-type'] ?? 'no content-type'})`);
  return format;
}

/** The common paths under the page's own folder (a blog at /blog/), then under the site root. */
function commonPathUrls(pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const folder = page.pathname.replace(/[^/]*$/, '');
  const bases = folder === '/' ? [page.origin] : [page.origin + folder.replace(/\/$/, ''), page.origin];
  const urls = bases.flatMap((base) => COMMON_FEED_PATHS.map((path) => new URL(base + path).href));
  return [...new Set(urls)];
}

function looksLikeHtml(page: HttpResponse): boolean {
  const type = (page.headers['content-type'] ?? '').toLowerCase();
  if (/html/.test(type)) return true;
  // No or a generic type: look at the bytes, as a browser would before rendering.
  return (type === '' || type.startsWith('text/plain') || type.startsWith('application/octet-stream')) &&
    /<(?:!doctype html|html|head|link)[\s>]/i.test(page.body.subarray(0, 4096).toString('latin1'));
}

function noFeedError(url: string, page: HttpResponse, linkFailures: string[]): NewsloomError {
  const status = page.status >= 200 && page.status < 300 ? '' : `, which answered ${page.status}`;
  const links = linkFailures.length === 0 ? '' : `; the feeds the page links gave none: ${linkFailures.join('; ')}`;
  return new NewsloomError(
    `no feed found at ${url}${status} (looked for <link rel=alternate> and ${COMMON_FEED_PATHS.join(', ')})${links}`,
    'NL_NO_FEED',
    false,
  );
}
