// Namespace URIs feeds use, to the short keys the readers look for. Several URIs share a key
// because publishers copy them with small differences (trailing slash, http vs https, case).
const KEYS: Array<[string, string]> = [
  ['http://www.w3.org/2005/atom', 'atom'],
  ['http://purl.org/atom/ns#', 'atom03'],
  ['http://purl.org/rss/1.0/', 'rss'],
  ['http://my.netscape.com/rdf/simple/0.9/', 'rss'],
  ['http://backend.userland.com/rss2', ''],
  ['http://blogs.law.harvard.edu/tech/rss', ''],
  ['http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://purl.org/dc/terms/', 'dcterms'],
  ['http://purl.org/rss/1.0/modules/content/', 'content'],
  ['http://www.itunes.com/dtds/podcast-1.0.dtd', 'itunes'],
  ['http://search.yahoo.com/mrss/', 'media'],
  ['http://search.yahoo.com/mrss', 'media'],
  ['http://www.w3.org/1999/xhtml', 'xhtml'],
  ['http://rssnamespace.org/feedburner/ext/1.0', 'feedburner'],
  ['http://www.youtube.com/xml/schemas/2015', 'yt'],
  ['http://wellformedweb.org/commentapi/', 'wfw'],
  ['http://purl.org/rss/1.0/modules/syndication/', 'sy'],
  ['http://www.w3.org/xml/1998/namespace', 'xml'],
];
const BY_URI = new Map(KEYS.map(([uri, key]) => [uri.toLowerCase(), key]));

/**
 * Prefixes used without an xmlns declaration (a common mistake), taken at their usual meaning,
 * as feedparser does.
 */
export const WELL_KNOWN_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['atom', 'atom'], ['atom10', 'atom'], ['dc', 'dc'], ['dcterms', 'dcterms'], ['content', 'content'], ['rdf', 'rdf'],
  ['itunes', 'itunes'], ['media', 'media'], ['xhtml', 'xhtml'], ['feedburner', 'feedburner'], ['yt', 'yt'],
  ['wfw', 'wfw'], ['sy', 'sy'], ['xml', 'xml'],
]);

/** The short key for a namespace URI ('' for the RSS 2.0 "namespaces" some feeds declare), else the URI itself. */
export function namespaceKey(uri: string): string {
  const u = uri.trim().toLowerCase();
  return BY_URI.get(u) ?? BY_URI.get(u.replace(/^https:/, 'http:')) ?? BY_URI.get(`${u}/`) ?? BY_URI.get(u.replace(/\/$/, '')) ?? u;
}
