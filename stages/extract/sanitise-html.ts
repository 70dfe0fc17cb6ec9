import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify';
import { JSDOM } from 'jsdom';
import { NewsloomError } from '../../lib/errors.js';
import { copyForPurify, type CopyRules } from './copy-for-purify.js';
import { resolveUrl } from './resolve-url.js';
import { writeCleanHtml, type CleanHtmlRules } from './write-clean-html.js';

// Structure only: what a reader needs to see paragraphs, headings, lists, quotes, tables, links and pictures.
// h1 is allowed only to be turned into h2 below: the page's title is the article's one h1.
const ATTRIBUTES_BY_TAG: Record<string, readonly string[]> = {
  a: ['href'], img: ['src', 'alt'], th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'],
};
const ALLOWED_TAGS = [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'br',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'dl', 'dt', 'dd',
  'a', 'em', 'strong', 'b', 'i', 'sub', 'sup', 'img',
];
// Containers whose content stays but whose tag goes. DOMPurify would unwrap them itself, but by cloning their
// children deep for every level (KEEP_CONTENT), quadratic in the nesting: they pass its walk, which strips their
// attributes, and writeCleanHtml then writes their children only.
const UNWRAP_TAGS = [
  'div', 'span', 'section', 'article', 'main', 'header', 'footer', 'aside', 'figure', 'figcaption', 'picture', 'font', 'center',
  'small', 'big', 'u', 's', 'mark', 'abbr', 'cite', 'q', 'time', 'ins', 'del', 'address', 'hgroup', 'label',
];
// Elements whose text goes with them, on top of DOMPurify's own list (script, style, svg, math, iframe, template…).
const DROP_WITH_CONTENT = ['textarea', 'option', 'button', 'select', 'object', 'embed', 'canvas'];
// DOMPurify's own list (DEFAULT_FORBID_CONTENTS in purify.es.mjs 3.4): an element it removes takes these along.
const PURIFY_FORBID_CONTENTS = [
  'annotation-xml', 'audio', 'colgroup', 'desc', 'foreignobject', 'head', 'iframe', 'math', 'mi', 'mn', 'mo', 'ms', 'mtext',
  'noembed', 'noframes', 'noscript', 'plaintext', 'script', 'selectedcontent', 'style', 'svg', 'template', 'thead', 'title', 'video', 'xmp',
];
// Only web and mail links; relative URLs pass here and are made absolute below.
const ALLOWED_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS: [...ALLOWED_TAGS, ...UNWRAP_TAGS],
  ALLOWED_ATTR: [...new Set(Object.values(ATTRIBUTES_BY_TAG).flat())],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: ALLOWED_URI,
  ADD_FORBID_CONTENTS: DROP_WITH_CONTENT,
  KEEP_CONTENT: true,
  WHOLE_DOCUMENT: false,
  // In a detached <div> of the sanitising window: see sanitiseHtml.
  IN_PLACE: true,
};
// Only the allowlist is written, whatever DOMPurify kept: a second line of defence.
const WRITE_RULES: CleanHtmlRules = {
  attributesByTag: ATTRIBUTES_BY_TAG,
  bareTags: new Set(ALLOWED_TAGS.filter((tag) => !(tag in ATTRIBUTES_BY_TAG))),
  dropWhenEmpty: new Set(['p', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']),
  rename: { h1: 'h2' },
};
// What an element's copy for DOMPurify keeps: the output's allowlist, without what DOMPurify would drop with its
// content. DOMPurify is slow on deep trees (its KEEP_CONTENT unwrapping is quadratic in the nesting): it gets a small,
// flat one, and still judges every tag, attribute and URL in it.
const COPY_RULES: CopyRules = {
  attributesByTag: ATTRIBUTES_BY_TAG,
  bareTags: WRITE_RULES.bareTags,
  dropWithContent: new Set([...PURIFY_FORBID_CONTENTS, ...DROP_WITH_CONTENT]),
};

interface Sanitiser {
  document: Document;
  purifier: DOMPurify;
}

// One blank jsdom window per thread, for sanitising only, kept for its life: a window costs ~5 ms to build.
// Nothing is ever attached to its document: jsdom tracks the id and name of every element attached to any document
// of a window (window-properties.js, for named access) and never forgets those of a document dropped unclosed, so
// DOMPurify's string input (a DOMParser document per call) would keep each page alive.
let sanitiser: Sanitiser | null = null;
// The page URL of the sanitiseHtml call running now, for the hook below: sanitising is synchronous, so one at a time.
let currentPageUrl = '';

/**
 * Body HTML (a string, or an element whose children are the body, from jsdom or linkedom) reduced to an allowlist
 * with DOMPurify on jsdom: no script, style, iframe, form, event handler, class, style attribute, or
 * javascript:/data: URL; links and image URLs made absolute against `pageUrl`. The input element is not changed.
 * Idempotent, but for an element whose inline formatting wraps blocks inside a <p> (see copyForPurify).
 */
export function sanitiseHtml(input: string | Element, pageUrl: string): string {
  sanitiser ??= createSanitiser();
  const holder = sanitiser.document.createElement('div');
  if (typeof input === 'string') holder.innerHTML = input;
  else copyForPurify(input, holder, COPY_RULES);
  currentPageUrl = pageUrl;
  sanitiser.purifier.sanitize(holder);
  // Written out, not edited in place: moving nodes under DOMPurify's NodeIterator costs jsdom a tree walk each.
  return writeCleanHtml(holder, WRITE_RULES).replace(/\n{3,}/g, '\n\n').trim();
}

function createSanitiser(): Sanitiser {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  const purifier = createDOMPurify(window as unknown as WindowLike);
  if (!purifier.isSupported) throw new NewsloomError('sanitise: DOMPurify does not support a blank jsdom window', 'NL_EXTRACT_FAILED', false);
  // Set once, not per call: DOMPurify otherwise rebuilds its allowlists from the config on every sanitize().
  purifier.setConfig(PURIFY_CONFIG);
  // DOMPurify drops an element with an `is` attribute (a customised built-in) with all it holds: one such
  // wrapper would take a whole article with it. The attribute is cut first; the element is then judged as itself.
  purifier.addHook('beforeSanitizeElements', (node) => {
    if (node.nodeType === 1 && (node as Element).hasAttribute('is')) (node as Element).removeAttribute('is');
  });
  purifier.addHook('afterSanitizeAttributes', (node) => tidy(node as Element, currentPageUrl));
  return { document: window.document, purifier };
}

// Run by DOMPurify on each element it keeps, after its own checks: attributes narrowed per tag, URLs made
// absolute (or dropped). Inside its walk, so no second walk over the tree; it only changes attributes.
function tidy(el: Element, pageUrl: string): void {
  if (el.nodeType !== 1) return;
  const tag = el.tagName.toLowerCase();
  if (tag === 'body') return;
  const allowed = ATTRIBUTES_BY_TAG[tag] ?? [];
  for (const name of el.getAttributeNames()) if (!allowed.includes(name)) el.removeAttribute(name);
  if (tag === 'a') absolutise(el, 'href', pageUrl);
  if (tag === 'img') absolutise(el, 'src', pageUrl);
}

// A relative URL read away from its page points nowhere: made absolute; anything but http(s) (and mailto: for links) removed.
function absolutise(el: Element, attr: 'href' | 'src', pageUrl: string): void {
  const raw = el.getAttribute(attr);
  const url = attr === 'href' && raw && /^mailto:/i.test(raw.trim()) ? raw.trim() : resolveUrl(raw, pageUrl);
  if (url) el.setAttribute(attr, url);
  else el.removeAttribute(attr);
}
