import { getDomain } from 'tldts';

/** Query parameters that only track the reader; never part of an article's identity. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_ga', '_gl', 'ref_src', 'cmpid', 'ocid',
]);

/**
 * The canonical form of an article URL: lower-case scheme and host (URL does it), no default
 * port, no fragment, no tracking parameters, the rest sorted. Idempotent. Null for non-http(s).
 */
export function canonicalUrl(raw: string, extraTrackingParams: readonly string[] = []): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  if (u.hostname.endsWith('.')) u.hostname = u.hostname.slice(0, -1);
  const extra = new Set(extraTrackingParams.map((p) => p.toLowerCase()));
  const kept = [...u.searchParams].filter(([name]) => {
    const n = name.toLowerCase();
    return !n.startsWith('utm_') && !TRACKING_PARAMS.has(n) && !extra.has(n);
  });
  kept.sort(([a, av], [b, bv]) => (a === b ? cmp(av, bv) : cmp(a, b)));
  u.search = new URLSearchParams(kept).toString();
  return u.toString();
}

/**
 * The URL an article is known by: the page's own canonical link when it is on the same
 * registrable domain as the fetched URL (a canonical pointing at another site is not trusted),
 * else the fetched URL, both canonicalised.
 */
export function chooseCanonicalUrl(fetchedUrl: string, declared: string | null): string {
  const fetched = canonicalUrl(fetchedUrl) ?? fetchedUrl;
  const own = declared ? canonicalUrl(declared) : null;
  if (own === null) return fetched;
  const a = getDomain(new URL(fetched).hostname);
  const b = getDomain(new URL(own).hostname);
  return a !== null && a === b ? own : fetched;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
