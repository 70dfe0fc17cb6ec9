import Parser from 'rss-parser';
import { closeTruncatedXml } from './close-truncated-xml.js';
import { feedParseError, NOT_A_FEED } from './feed-parse-error.js';
import type { RawFeed, RawFeedItem } from './raw-feed.js';
import { repairXml } from './repair-xml.js';
import { xmlValues as x, type XmlNode } from './xml-values.js';

const ROOTS = new Set(['rss', 'feed', 'rdf:RDF']);
// rss-parser 3.13 reads these itself and throws on real-world surprises: an Atom <link> without
// attributes (utils.getLink reads links[i].$.rel) and an unparseable Atom date (parseItemAtom
// calls new Date(x).toISOString() unguarded: one RangeError loses the whole feed). Renamed, it
// never sees them; we read them back as custom fields.
const RENAMED = new Map([['link', 'nl-link'], ['published', 'nl-published'], ['updated', 'nl-updated']]);
// Skips what may precede the root element: whitespace, PIs, comments, a DOCTYPE.
const PROLOG = /(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/y;

/**
 * RSS 0.9x/1.0/2.0 or Atom text to a RawFeed, through rss-parser after repairXml; a document that
 * still fails is parsed again with its unclosed elements closed (a truncated download).
 */
export async function parseXmlFeed(text: string, feedUrl: string, timeoutMs: number): Promise<RawFeed> {
  const repaired = repairXml(text);
  if (!ROOTS.has(rootName(repaired) ?? '')) throw feedParseError(feedUrl, NOT_A_FEED);
  let out: XmlNode;
  try {
    out = await parseWithin(repaired, timeoutMs);
  } catch (first) {
    try {
      out = await parseWithin(closeTruncatedXml(repaired), timeoutMs);
    } catch {
      const reason = first instanceof Error ? first.message.replace(/\s*\n\s*/g, ', ') : String(first);
      throw feedParseError(feedUrl, `not well-formed: ${reason}`, first);
    }
  }
  const items = Array.isArray(out.items) ? (out.items as XmlNode[]) : [];
  return { title: x.text(out.title), link: x.pageLink(out.nlLinks), items: items.map(toRawItem) };
}

function rootName(doc: string): string | null {
  PROLOG.lastIndex = 0;
  PROLOG.exec(doc);
  return /<([^\s/>]+)/y.exec(doc.slice(PROLOG.lastIndex, PROLOG.lastIndex + 256))?.[1] ?? null;
}

/**
 * A FRESH parser per document: xml2js keeps error state, and a reused parser never settles on a
 * later document that has no root element. The time limit guards against other ways to hang.
 */
async function parseWithin(xml: string, timeoutMs: number): Promise<XmlNode> {
  const parser = new Parser<XmlNode, XmlNode>({
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [(name: string) => RENAMED.get(name) ?? name] },
    customFields: {
      // rss-parser's types allow only names for feed fields; its code (utils.copyFromXML) takes options too.
      feed: [['nl-link', 'nlLinks', { keepArray: true }]] as unknown as string[],
      item: [
        ['nl-link', 'nlLinks', { keepArray: true }],
        ['nl-published', 'nlPublished'],
        ['nl-updated', 'nlUpdated'],
        ['category', 'nlCategories', { keepArray: true }],
        ['dc:subject', 'nlSubjects', { keepArray: true }],
      ],
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return (await Promise.race([parser.parseString(xml), limit])) as XmlNode;
  } finally {
    clearTimeout(timer);
  }
}

function toRawItem(item: XmlNode): RawFeedItem {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return {
    link: x.pageLink(item.nlLinks),
    // RSS <guid>, Atom <id>, RSS 1.0 rdf:about.
    guid: x.text(item.guid) ?? x.text(item.id) ?? x.text(item['rdf:about']),
    title: x.text(item.title),
    // rss-parser maps dc:creator and RSS <author> to creator, Atom <author><name> to author.
    author: x.text(item.creator) ?? x.text(item.author),
    date: x.text(item.nlPublished) ?? x.text(item.pubDate) ?? x.text(item.date) ?? x.text(item.nlUpdated),
    categories: x.categories([...list(item.nlCategories), ...list(item.nlSubjects)]),
  };
}
