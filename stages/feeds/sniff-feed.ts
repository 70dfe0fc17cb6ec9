import { decodeText } from '../fetch/decode-text.js';

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

// Enough to get past a prolog, a long comment or a PHP warning; a root element sits near the top.
const HEAD_BYTES = 64 * 1024;
// The namespaces that make an <rdf:RDF> document an RSS 1.0 or Netscape RSS 0.90 feed, not any RDF.
const RSS_RDF = /purl\.org\/rss\/1\.0\/|my\.netscape\.com\/rdf\/simple\/0\.9\/|<(?:[\w.-]+:)?channel[\s>/]/;
const FEED_ROOT = /<(?:[\w.-]+:)?(?:rss|feed|RDF|channel)[\s>]/;
const JSON_FEED_VERSION = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\/\d/;

/**
 * Whether a response body really is a feed, and which kind, from its first bytes: the root element
 * (`<rss>`, `<feed>`, `<rdf:RDF>` with an RSS namespace) or a JSON Feed `version`. The content type
 * only picks the charset: servers label feeds text/html and error pages application/rss+xml.
 */
export function sniffFeed(bytes: Buffer, contentType: string | null): FeedFormat | null {
  const head = bytes.subarray(0, HEAD_BYTES);
  const text = decodeText(head, contentType, 'xml').replace(/^\ufeff/, '');
  const start = text.search(/\S/);
  if (start < 0) return null;
  if (text[start] === '{') return isJsonFeed(bytes, contentType, text) ? 'json' : null;
  return xmlRootFormat(text, start);
}

function isJsonFeed(bytes: Buffer, contentType: string | null, head: string): boolean {
  if (bytes.length <= HEAD_BYTES) {
    try {
      const doc: unknown = JSON.parse(decodeText(bytes, contentType, 'json'));
      const version = (doc as { version?: unknown } | null)?.version;
      return typeof version === 'string' && /^https?:\/\/jsonfeed\.org\/version\//.test(version);
    } catch {
      // Not valid JSON: a truncated or sloppy feed still names its version near the top.
    }
  }
  return JSON_FEED_VERSION.test(head);
}

function xmlRootFormat(text: string, from: number): FeedFormat | null {
  const root = firstElement(text, from);
  if (root === null) return null;
  const local = root.name.replace(/^[\w.-]+:/, '');
  // A bare <channel> root: RSS with the <rss> wrapper lost, which feed parsers still read.
  if (local === 'rss' || local === 'channel') return 'rss';
  if (local === 'feed') return 'atom';
  if (local === 'RDF') return RSS_RDF.test(text.slice(root.at)) ? 'rdf' : null;
  if (local.toLowerCase() === 'html') return null;
  // A PHP warning (`<br />\n<b>Warning</b>: …`) before the document: look again from the declaration,
  // or from the first feed root when the declaration is missing too.
  const decl = text.indexOf('<?xml', root.at);
  if (decl > root.at) return xmlRootFormat(text, decl);
  const later = FEED_ROOT.exec(text.slice(root.at + 1));
  if (later) return xmlRootFormat(text, root.at + 1 + later.index);
  // The same warning before a JSON Feed.
  const brace = text.indexOf('{', root.at);
  return brace > 0 && JSON_FEED_VERSION.test(text.slice(brace)) ? 'json' : null;
}

/** The first element's name and offset, skipping the declaration, PIs, comments and a DOCTYPE. */
function firstElement(text: string, from: number): { name: string; at: number } | null {
  let i = from;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) return null;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      // A DOCTYPE's internal subset may contain '>' inside [ ]; skip past the closing ']>' when there is one.
      const bracket = text.indexOf('[', i);
      const gt = text.indexOf('>', i);
      if (gt < 0) return null;
      const subsetEnd = bracket >= 0 && bracket < gt ? text.indexOf(']>', bracket) : -1;
      i = subsetEnd >= 0 ? subsetEnd + 2 : gt + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 256));
      if (m) return { name: m[1]!, at: i };
      i += 1;
    }
  }
}
