import type { FeedDocument, FeedDocumentItem } from './feed-document.js';
import { feedValues as v } from './feed-values.js';
import { parseFeedDate } from './parse-feed-date.js';
import { isElement, xmlElement as x, type XmlElement } from './xml-element.js';

// Atom elements, and those of an Atom feed that forgot its xmlns.
const CORE = ['atom', 'atom03', ''];
const HTML_TYPES = /^(?:html|text\/html|xhtml|application\/xhtml\+xml)$/i;

/** A <feed> root (Atom 1.0, RFC 4287, or the Atom 0.3 draft) to a FeedDocument. */
export function readAtomFeed(root: XmlElement): FeedDocument {
  const isAtom03 = root.ns === 'atom03' || x.attr(root, 'version') === '0.3';
  const feedAuthor = authorsOf(root);
  const items = x
    .containers(root, 'entry', CORE)
    .filter((e) => e.complete || x.child(e, 'id', CORE) !== undefined || alternateLink(e) !== null)
    .map((e) => readEntry(e, feedAuthor));
  const title = textConstruct(x.child(root, 'title', CORE));
  return {
    format: isAtom03 ? 'atom0.3' : 'atom1.0',
    feed: { title: v.plainText(title.value, title.isHtml), link: alternateLink(root) },
    items,
  };
}

function readEntry(entry: XmlElement, feedAuthor: string | null): FeedDocumentItem {
  const link = alternateLink(entry);
  const title = textConstruct(x.child(entry, 'title', CORE));
  const source = x.child(entry, 'source', CORE);
  return {
    title: v.plainText(title.value, title.isHtml),
    link,
    guid: v.collapse(x.text(x.child(entry, 'id', CORE))) ?? link,
    published: firstDate(entry, [['published', CORE], ['issued', CORE], ['created', CORE], ['date', ['dc']]]),
    updated: firstDate(entry, [['updated', CORE], ['modified', CORE], ['modified', ['dcterms']]]),
    // RFC 4287 §4.2.1: an entry without author takes its source's, then the feed's.
    author: authorsOf(entry) ?? (source ? authorsOf(source) : null) ?? feedAuthor,
    content: v.markup(textConstruct(x.child(entry, 'content', CORE)).value),
    summary: v.markup(textConstruct(x.child(entry, 'summary', CORE)).value),
    categories: v.unique([
      ...x.children(entry, 'category', CORE).map((c) => x.attr(c, 'label') ?? x.attr(c, 'term') ?? x.text(c)),
      ...x.children(entry, 'subject', ['dc']).map((c) => x.text(c)),
    ]),
  };
}

/** rel="alternate" (the default, RFC 4287 §4.2.7.2), an HTML type preferred; resolved against the link's xml:base. */
function alternateLink(el: XmlElement): string | null {
  const alternates = x
    .children(el, 'link', CORE)
    .filter((l) => (x.attr(l, 'rel')?.toLowerCase() ?? 'alternate') === 'alternate' && (x.attr(l, 'href') ?? x.text(l)) !== null);
  const best = alternates.find((l) => /html/i.test(x.attr(l, 'type') ?? 'html')) ?? alternates[0];
  return best ? v.resolve(x.attr(best, 'href') ?? x.text(best), best.base) : null;
}

function authorsOf(el: XmlElement): string | null {
  const names = x.children(el, 'author', CORE).map((a) => v.collapse(x.text(x.child(a, 'name', CORE)) ?? x.text(x.child(a, 'email', CORE)) ?? (a.children.some(isElement) ? null : x.text(a))));
  return v.joinNames(names) ?? v.joinNames(x.children(el, 'creator', ['dc']).map((c) => v.collapse(x.text(c))));
}

function firstDate(el: XmlElement, fields: Array<[string, string[]]>): string | null {
  for (const [local, ns] of fields) {
    const date = parseFeedDate(x.text(x.child(el, local, ns)));
    if (date !== null) return date;
  }
  return null;
}

/**
 * An Atom text construct's value and whether it is HTML: type text/html/xhtml (RFC 4287 §3.1) or
 * Atom 0.3's MIME types with mode xml/escaped/base64. xhtml drops its wrapping <div>.
 */
function textConstruct(el: XmlElement | undefined): { value: string | null; isHtml: boolean } {
  if (el === undefined) return { value: null, isHtml: false };
  const type = x.attr(el, 'type') ?? 'text';
  const isHtml = HTML_TYPES.test(type);
  if (x.attr(el, 'mode')?.toLowerCase() === 'base64') {
    return { value: Buffer.from(x.text(el) ?? '', 'base64').toString('utf8'), isHtml };
  }
  const elements = el.children.filter(isElement);
  if (elements.length === 0) return { value: x.text(el), isHtml };
  const only = elements.length === 1 && elements[0]!.local === 'div' && el.children.every((c) => isElement(c) || c.trim() === '');
  return { value: x.innerXml(only ? elements[0]! : el), isHtml: true };
}
