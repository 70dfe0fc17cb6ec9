import type { FeedDocument, FeedDocumentItem, FeedFormat } from './feed-document.js';
import { feedValues as v } from './feed-values.js';
import { parseFeedDate } from './parse-feed-date.js';
import { isElement, xmlElement as x, type XmlElement } from './xml-element.js';

// RSS 0.9x/2.0 elements have no namespace; RSS 1.0 and 0.90 put theirs in 'rss' (see namespaceKey).
const CORE = ['', 'rss'];
const ATOM = ['atom', 'atom03'];

/** An <rss>, <rdf:RDF> or bare <channel> root to a FeedDocument. */
export function readRssFeed(root: XmlElement): FeedDocument {
  const channel = root.local === 'channel' ? root : (x.containers(root, 'channel', CORE)[0] ?? root);
  // RSS 1.0 and 0.90 list items beside the channel, RSS 2.0 inside it; a few feeds do both wrong.
  const candidates = [...x.containers(channel, 'item', CORE), ...(channel === root ? [] : x.containers(root, 'item', CORE))];
  const items = candidates.filter(survivedTruncation).map(readItem);
  return {
    format: rssFormat(root),
    feed: { title: v.plainText(x.text(x.child(channel, 'title', CORE))), link: rssLink(channel) },
    items,
  };
}

function rssFormat(root: XmlElement): FeedFormat {
  if (root.local === 'rdf') return isNetscape(root) ? 'rss0.9x' : 'rss1.0';
  const version = x.attr(root, 'version') ?? '2.0';
  return /^0\.9/.test(version) ? 'rss0.9x' : 'rss2.0';
}

const isNetscape = (root: XmlElement): boolean => Object.values(root.attrs).some((a) => /my\.netscape\.com\/rdf\/simple\/0\.9/i.test(a));

/** A cut-off item is kept when its identity (link or guid) arrived whole; its cut fields are then ignored. */
function survivedTruncation(item: XmlElement): boolean {
  return item.complete || x.child(item, 'link', CORE) !== undefined || x.child(item, 'guid', CORE) !== undefined;
}

function readItem(item: XmlElement): FeedDocumentItem {
  const link = rssLink(item) ?? permalinkGuid(item);
  // rdf:about is a URI reference, resolved like any other (RDF/XML §5.3).
  const about = v.resolve(x.attr(item, 'about'), item.base);
  const guid = x.text(x.child(item, 'guid', CORE)) ?? about ?? x.text(x.child(item, 'id', ATOM)) ?? link;
  return {
    title: v.plainText(x.text(x.child(item, 'title', CORE)) ?? x.text(x.child(item, 'title', ['dc', ...ATOM]))),
    link,
    guid,
    published: firstDate(item, [['pubdate', CORE], ['date', ['dc']], ['issued', ['dcterms']], ['created', ['dcterms']], ['published', ATOM]]),
    updated: firstDate(item, [['updated', ATOM], ['modified', ['dcterms']]]),
    author: rssAuthor(item),
    content: v.markup(markupOf(x.child(item, 'encoded', ['content']) ?? x.child(item, 'content', ATOM) ?? x.child(item, 'body', ['xhtml']))),
    summary: v.markup(markupOf(x.child(item, 'description', CORE) ?? x.child(item, 'summary', ['itunes', ...ATOM]))),
    categories: v.unique([
      ...x.children(item, 'category', CORE).map((c) => x.text(c) ?? x.attr(c, 'domain')),
      ...x.children(item, 'subject', ['dc']).map((c) => x.text(c)),
      ...x.children(item, 'category', ATOM).map((c) => x.attr(c, 'label') ?? x.attr(c, 'term')),
    ]),
  };
}

/** <link>text</link>, or <link href>, or an atom:link alternate; resolved against its xml:base. */
function rssLink(el: XmlElement): string | null {
  for (const link of x.children(el, 'link', CORE)) {
    const href = x.text(link) ?? x.attr(link, 'href');
    if (href !== null) return v.resolve(href, link.base);
  }
  for (const link of x.children(el, 'link', ATOM)) {
    const rel = x.attr(link, 'rel')?.toLowerCase() ?? 'alternate';
    if (rel === 'alternate' && x.attr(link, 'href') !== null) return v.resolve(x.attr(link, 'href'), link.base);
  }
  return null;
}

/** RSS 2.0: a guid is the item's permalink unless isPermaLink="false"; used only when it is a URL. */
function permalinkGuid(item: XmlElement): string | null {
  const guid = x.child(item, 'guid', CORE);
  const text = x.text(guid);
  if (text === null || x.attr(guid, 'ispermalink')?.toLowerCase() === 'false' || !/^https?:\/\//i.test(text)) return null;
  return v.resolve(text, guid!.base);
}

function firstDate(item: XmlElement, fields: Array<[string, string[]]>): string | null {
  for (const [local, ns] of fields) {
    const date = parseFeedDate(x.text(x.child(item, local, ns)));
    if (date !== null) return date;
  }
  return null;
}

function rssAuthor(item: XmlElement): string | null {
  const rss = x.text(x.child(item, 'author', CORE));
  if (rss !== null) return v.personName(rss);
  const creators = v.joinNames(x.children(item, 'creator', ['dc']).map((c) => v.collapse(x.text(c))));
  if (creators !== null) return creators;
  const itunes = v.collapse(x.text(x.child(item, 'author', ['itunes'])));
  if (itunes !== null) return itunes;
  return v.joinNames(x.children(item, 'author', ATOM).map((a) => v.collapse(x.text(x.child(a, 'name', ATOM)))));
}

/** Text of an element, or its markup when it holds unescaped HTML elements. */
function markupOf(el: XmlElement | undefined): string | null {
  if (el === undefined) return null;
  return el.children.some(isElement) ? x.innerXml(el) : x.text(el);
}
