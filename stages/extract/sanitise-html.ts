import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify';
import { JSDOM } from 'jsdom';
import { NewsloomError } from '../../lib/errors.js';
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
  RETURN_DOM: true,
};
// Only the allowlist is written, whatever DOMPurify kept: a second line of defence.
const WRITE_RULES: CleanHtmlRules = {
  attributesByTag: ATTRIBUTES_BY_TAG,
  bareTags: new Set(ALLOWED_TAGS.filter((tag) => !(tag in ATTRIBUTES_BY_TAG))),
  dropWhenEmpty: new Set(['p', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']),
  rename: { h1: 'h2' },
};

export interface SanitiseOptions {
  /**
   * The page's DOM window (jsdom or linkedom), to sanitise on; for an Element input, its document's window
   * by default. DOMPurify needs a spec-conformant DOM (`document.implementation`, `NodeFilter`, an HTML5
   * parser for its mXSS defences): linkedom has none of these, so on a window DOMPurify does not support, the
   * HTML is serialised and sanitised on a small blank jsdom window kept for sanitising only.
   */
  window?: unknown;
}

const purifiers = new WeakMap<object, DOMPurify>();
// The page URL of the sanitiseHtml call running now, for the hook below: sanitising is synchronous, so one at a time.
let currentPageUrl = '';

/**
 * Body HTML (a string, or an element whose children are the body) reduced to an allowlist with DOMPurify: no
 * script, style, iframe, form, event handler, class, style attribute, or javascript:/data: URL; links and image
 * URLs made absolute against `pageUrl`. Idempotent. The input element is not changed.
 */
export function sanitiseHtml(input: string | Element, pageUrl: string, opts: SanitiseOptions = {}): string {
  const element = typeof input === 'string' ? null : input;
  const onPage = supportedPurifier(opts.window ?? element?.ownerDocument?.defaultView);
  // A blank window per call, closed after: DOMPurify's documents on a long-lived window are never freed
  // (measured: about 5.7 MB kept per page, RSS +30% over 3 passes of the corpus).
  const blank = onPage ? null : new JSDOM(BLANK_PAGE);
  try {
    const purifier = onPage ?? supportedPurifier(blank!.window);
    if (!purifier) throw new NewsloomError('sanitise: DOMPurify does not support a blank jsdom window', 'NL_EXTRACT_FAILED', false);
    return sanitiseWith(purifier, input, element, onPage !== null, pageUrl);
  } finally {
    blank?.window.close();
  }
}

function sanitiseWith(purifier: DOMPurify, input: string | Element, element: Element | null, isPage: boolean, pageUrl: string): string {
  // A jsdom element is sanitised as a node, cloned into DOMPurify's document, not serialised and re-parsed by
  // jsdom's slow parser. Any other DOM's element goes as HTML text.
  const asNode = element !== null && isPage;
  currentPageUrl = pageUrl;
  // RETURN_DOM gives the <body> of the document DOMPurify built: an Element, though typed as a Node.
  const body = purifier.sanitize(element ? (asNode ? element : element.innerHTML) : (input as string)) as unknown as Element | null;
  if (!body) return '';
  // An element's own tag is not part of the body, its children are: DOMPurify keeps the tag when it is allowed (a <blockquote>).
  const root = asNode && body.childElementCount === 1 && body.firstElementChild?.tagName === element.tagName ? body.firstElementChild : body;
  // Written out, not edited in place: moving nodes under DOMPurify's NodeIterator costs jsdom a tree walk each.
  return writeCleanHtml(root!, WRITE_RULES).replace(/\n{3,}/g, '\n\n').trim();
}

// Null unless DOMPurify supports the window: on one it does not (linkedom), sanitize() returns its input unchanged.
function supportedPurifier(window: unknown): DOMPurify | null {
  if (typeof window !== 'object' || window === null) return null;
  let purifier = purifiers.get(window);
  if (!purifier) {
    purifier = createDOMPurify(window as WindowLike);
    // Set once, not per call: DOMPurify otherwise rebuilds its allowlists from the config on every sanitize().
    purifier.setConfig(PURIFY_CONFIG);
    // DOMPurify drops an element with an `is` attribute (a customised built-in) with all it holds: one such
    // wrapper would take a whole article with it. The attribute is cut first; the element is then judged as itself.
    purifier.addHook('beforeSanitizeElements', (node) => {
      if (node.nodeType === 1 && (node as Element).hasAttribute('is')) (node as Element).removeAttribute('is');
    });
    purifier.addHook('afterSanitizeAttributes', (node) => tidy(node as Element, currentPageUrl));
    purifiers.set(window, purifier);
  }
  return purifier.isSupported ? purifier : null;
}

const BLANK_PAGE = '<!doctype html><html><body></body></html>';

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
