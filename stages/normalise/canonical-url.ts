import { getDomain } from 'tldts';

/** Query parameters that only track the reader; never part of an article's identity. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_ga', '_gl', 'ref_src', 'cmpid', 'ocid',
  'gbraid', 'wbraid', 'twclid', 'li_fat_id', 'oly_anon_id', 'oly_enc_id', 'vero_id', 'wt_mc', 'wt.mc_id', '__twitter_impression',
]);
// `ref` is tracking when it names a referrer ("rss", "twitter", "hp_top"), not when it is an id or a path.
const REF_LABEL = /^[a-z][a-z0-9_.-]{0,40}$/i;

/** Redirector links that carry their target in a query parameter: unwrapped to the target. */
const REDIRECTORS: ReadonlyArray<{ host: RegExp; path: RegExp; param: string }> = [
  { host: /^news\.google\.[a-z.]+$/, path: /^\/news\/url$/, param: 'url' },
  { host: /^(www\.)?google\.[a-z.]+$/, path: /^\/url$/, param: 'url' },
  { host: /^(www\.)?google\.[a-z.]+$/, path: /^\/url$/, param: 'q' },
  { host: /^l\.facebook\.com$/, path: /^\/l\.php$/, param: 'u' },
  { host: /^out\.reddit\.com$/, path: /^\//, param: 'url' },
  { host: /^(www\.)?bing\.com$/, path: /^\/news\/apiclick\.aspx$/, param: 'url' },
];

export interface CanonicalOptions {
  /** More query parameters to drop (config normalise.trackingParams). */
  trackingParams?: readonly string[];
}

/**
 * The canonical form of an article URL: redirectors unwrapped, lower-case scheme and host, no
 * default port, credentials, trailing root dot or fragment, no tracking parameters, the rest
 * sorted. Idempotent. Null for anything but http(s).
 */
export function canonicalUrl(raw: string, opts: CanonicalOptions = {}): string | null {
  let u = parseHttp(raw);
  for (let hops = 0; u !== null && hops < 3; hops++) {
    const target = redirectTarget(u);
    if (target === null) break;
    u = parseHttp(target) ?? u;
  }
  if (u === null) return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  if (u.hostname.endsWith('.')) u.hostname = u.hostname.slice(0, -1);
  const extra = new Set((opts.trackingParams ?? []).map((p) => p.toLowerCase()));
  const kept = [...u.searchParams].filter(([name, value]) => {
    const n = name.toLowerCase();
    if (n.startsWith('utm_') || TRACKING_PARAMS.has(n) || extra.has(n)) return false;
    return !(n === 'ref' && REF_LABEL.test(value));
  });
  kept.sort(([a, av], [b, bv]) => (a === b ? cmp(av, bv) : cmp(a, b)));
  u.search = new URLSearchParams(kept).toString();
  return u.toString();
}

/**
 * An URL with its AMP and mobile variants folded: `/amp/` segments, `?amp=1` / `?amp`, `.amp.html`,
 * `amp.` and `m.` / `mobile.` hosts. Used only to check that a page's own canonical link agrees.
 */
export function foldVariants(url: string): string {
  const u = new URL(url);
  u.hostname = u.hostname.replace(/^(amp|m|mobile)\./, '');
  u.pathname = u.pathname.replace(/\/amp(?=\/|$)/g, '').replace(/\.amp(\.html?)$/, '$1') || '/';
  u.searchParams.delete('amp');
  u.searchParams.delete('outputType');
  return canonicalUrl(u.toString()) ?? url;
}

/**
 * The URL an article is known by. The page's own canonical link (or og:url) is taken when it is on
 * the same registrable domain (by the public suffix list, tldts) and does not point at the site's
 * root from a deeper page (a CMS that gives every article the home page as canonical would merge
 * them all into one). Otherwise the fetched URL, canonicalised, with AMP and mobile variants kept
 * as they are: only the page knows its real address.
 */
export function chooseCanonicalUrl(fetchedUrl: string, declared: string | null, opts: CanonicalOptions = {}): string {
  const fetched = canonicalUrl(fetchedUrl, opts) ?? fetchedUrl;
  const own = declared ? canonicalUrl(declared, opts) : null;
  if (own === null || !URL.canParse(fetched)) return fetched;
  const f = new URL(fetched);
  const o = new URL(own);
  const sameSite = getDomain(f.hostname) !== null && getDomain(f.hostname) === getDomain(o.hostname);
  const rootFromDeeper = o.pathname === '/' && o.search === '' && f.pathname !== '/';
  // Another site's canonical is trusted only when it is this page's own AMP or mobile variant folded.
  const agrees = foldVariants(fetched) === foldVariants(own);
  return (sameSite || agrees) && !rootFromDeeper ? own : fetched;
}

function parseHttp(raw: string): URL | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
}

function redirectTarget(u: URL): string | null {
  // Google's AMP cache: https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp (s = https).
  if (u.hostname.endsWith('.cdn.ampproject.org')) {
    const m = /^\/[a-z]\/(s\/)?([^/]+)(\/.*)?$/.exec(u.pathname);
    if (m) return `${m[1] ? 'https' : 'http'}://${m[2]}${m[3] ?? '/'}${u.search}`;
  }
  for (const r of REDIRECTORS) {
    if (!r.host.test(u.hostname) || !r.path.test(u.pathname)) continue;
    const target = u.searchParams.get(r.param);
    if (target && /^https?:\/\//i.test(target)) return target;
  }
  return null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
