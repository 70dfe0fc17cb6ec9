import { JSDOM, VirtualConsole } from 'jsdom';
import { parseHTML } from 'linkedom';
import { NewsloomError } from '../../lib/errors.js';

/** Which DOM parses the page: jsdom (parse5, spec-exact, slow) or linkedom (htmlparser2, several times faster). */
export type DomKind = 'jsdom' | 'linkedom';

export interface LoadOptions {
  /** Larger pages are refused with a permanent NewsloomError NL_PAGE_TOO_LARGE. */
  maxHtmlChars: number;
  /** Default 'jsdom'. */
  dom?: DomKind;
}

/** A parsed page, whichever DOM holds it. `close()` frees it; call it once the page is done with. */
export interface LoadedDocument {
  readonly document: Document;
  readonly dom: DomKind;
  close(): void;
}

// jsdom's parser slows with the square of the nesting depth and its tree walks recurse: past this depth
// the page is tag soup that would stall a worker for minutes or overflow the stack. Real pages nest < 100.
const MAX_NESTING_DEPTH = 2_000;
const LD_JSON = /^<script\b[^>]*type\s*=\s*["']?application\/ld\+json/i;
// NUL and other C0 controls are never in real HTML; many of them mean a PDF, an image or gzip.
const BINARY = /[\u0000-\u0008\u000E-\u001A]/g;

/**
 * Parse a page with jsdom or linkedom: scripts never run, nothing is fetched, console output is swallowed.
 * Refuses pages over `maxHtmlChars`, binary bodies and tag soup nested too deep with a permanent NewsloomError.
 */
export function loadDocument(html: string, url: string, opts: LoadOptions): LoadedDocument {
  if (typeof html !== 'string') {
    throw new NewsloomError(`extract ${url}: page body is ${typeof html}, not a string of HTML`, 'NL_PAGE_UNPARSEABLE', false);
  }
  if (html.length > opts.maxHtmlChars) {
    throw new NewsloomError(`extract ${url}: page is ${html.length} characters, over the limit of ${opts.maxHtmlChars}`, 'NL_PAGE_TOO_LARGE', false);
  }
  const head = html.slice(0, 4096);
  if (head.startsWith('%PDF-') || (head.match(BINARY)?.length ?? 0) > Math.max(8, head.length / 100)) {
    throw new NewsloomError(`extract ${url}: page body is binary, not HTML`, 'NL_PAGE_UNPARSEABLE', false);
  }
  if (!URL.canParse(url)) {
    throw new NewsloomError(`extract ${JSON.stringify(url)}: page URL is not an absolute URL`, 'NL_PAGE_URL_INVALID', false);
  }
  const stripped = stripUnread(html);
  const depth = estimateDepth(stripped);
  if (depth > MAX_NESTING_DEPTH) {
    throw new NewsloomError(`extract ${url}: tags nest about ${depth} levels deep, over ${MAX_NESTING_DEPTH}: too deep to parse safely`, 'NL_PAGE_UNPARSEABLE', false);
  }
  const dom = opts.dom ?? 'jsdom';
  try {
    return dom === 'linkedom' ? loadLinkedom(stripped, url) : loadJsdom(stripped, url);
  } catch (err) {
    throw new NewsloomError(`extract ${url}: ${dom} could not parse the page: ${(err as Error).message}`, 'NL_PAGE_UNPARSEABLE', false, { cause: err });
  }
}

function loadJsdom(html: string, url: string): LoadedDocument {
  const jsdom = new JSDOM(html, { url, contentType: 'text/html', virtualConsole: new VirtualConsole() });
  // A jsdom window holds the whole DOM, its timers and listeners until closed.
  return { document: jsdom.window.document, dom: 'jsdom', close: () => jsdom.window.close() };
}

function loadLinkedom(html: string, url: string): LoadedDocument {
  const document = parseHTML(html).document as unknown as Document;
  buildSkeleton(document);
  giveUrl(document, url, html);
  // linkedom keeps no window resources (no timers, no loaders): the tree is freed with the last reference.
  return { document, dom: 'linkedom', close: () => {} };
}

// Elements the HTML parser leaves in <head> while no body content has been seen (WHATWG HTML §13.2.6.4.4).
const HEAD_TAGS = new Set(['title', 'meta', 'link', 'base', 'style', 'script', 'noscript', 'template']);

/**
 * linkedom's parser (htmlparser2) builds the tree exactly as written: no implied <html>, <head> or <body>,
 * and text after </html> lands beside it. Readability and our stages need `documentElement`, `head` and
 * `body`: give the document that skeleton, as a browser would, keeping every node in document order.
 * Only top-level nodes move, so this costs nothing on a well-formed page.
 */
function buildSkeleton(document: Document): void {
  const tops = [...document.childNodes];
  const found = tops.find((n) => isElement(n, 'html'));
  const html = (found ?? document.createElement('html')) as Element;
  const at = found ? tops.indexOf(found) : tops.length;
  const sequence: Node[] = [...tops.slice(0, at), ...(found ? found.childNodes : []), ...tops.slice(at + 1)];
  const head = (sequence.find((n) => isElement(n, 'head')) ?? document.createElement('head')) as Element;
  const body = (sequence.find((n) => isElement(n, 'body')) ?? document.createElement('body')) as Element;
  // htmlparser2 keeps all an explicit <head> holds in it; the HTML parser ends the head at the first node that
  // cannot be in one (§13.2.6.4.4) and puts that node and all after it in the body.
  const before = spillFromHead(head);
  const after: Node[] = [];
  let inBody = before.length > 0;
  let bodySeen = false;
  for (const node of sequence) {
    if (node === head || node.nodeType === 10 /* DOCUMENT_TYPE_NODE */) continue;
    if (node === body) {
      inBody = bodySeen = true;
      continue;
    }
    if (isElement(node, 'head') || isElement(node, 'body')) {
      // A second <head> or <body>: its content joins the first, as browsers do.
      inBody ||= isElement(node, 'body');
      const children = [...node.childNodes];
      node.parentNode?.removeChild(node);
      if (inBody) (bodySeen ? after : before).push(...children);
      else for (const child of children) head.appendChild(child);
    } else if (!inBody && belongsInHead(node)) {
      head.appendChild(node);
    } else {
      inBody = true;
      (bodySeen ? after : before).push(node);
    }
  }
  if (html.parentNode !== document) document.appendChild(html);
  if (head.parentNode !== html || html.firstChild !== head) html.insertBefore(head, html.firstChild);
  if (body.parentNode !== html || head.nextSibling !== body) html.insertBefore(body, head.nextSibling);
  const first = body.firstChild;
  for (const node of before) body.insertBefore(node, first);
  for (const node of after) body.appendChild(node);
}

function spillFromHead(head: Element): Node[] {
  const spilled: Node[] = [];
  let node: Node | null = [...head.childNodes].find((n) => !belongsInHead(n)) ?? null;
  while (node) {
    const next: Node | null = node.nextSibling;
    head.removeChild(node);
    spilled.push(node);
    node = next;
  }
  return spilled;
}

function belongsInHead(node: Node): boolean {
  if (node.nodeType === 8 /* COMMENT_NODE */) return true;
  if (node.nodeType === 3 /* TEXT_NODE */) return !(node.textContent ?? '').trim();
  return node.nodeType === 1 && HEAD_TAGS.has((node as Element).localName);
}

function isElement(node: Node, localName: string): boolean {
  return node.nodeType === 1 && (node as Element).localName === localName;
}

/**
 * linkedom has no document URL: `documentURI` is undefined and `baseURI` null, so Readability's own
 * link fixing would leave relative URLs as they are. Give it what jsdom gives: the page URL, or the
 * first `<base href>` resolved against it.
 */
function giveUrl(document: Document, url: string, html: string): void {
  // Most pages have no <base>: a look at the text spares a query over the whole tree.
  const baseHref = /<base[\s>/]/i.test(html) ? document.querySelector('base[href]')?.getAttribute('href') : null;
  const base = baseHref && URL.canParse(baseHref, url) ? new URL(baseHref, url).href : url;
  Object.defineProperties(document, {
    URL: { value: url },
    documentURI: { value: url },
    baseURI: { value: base },
  });
}

// The end tags stripUnread looks for: built once, not per element cut (lastIndex is set before each use).
const CLOSE_TAG = { style: /<\/style/gi, script: /<\/script/gi, svg: /<\/svg/gi };

/**
 * What no stage reads is cut from the string before parsing, so no DOM is built for it: <style> blocks
 * (one malformed rule can make jsdom's CSS parser throw), <script> (never run; JSON-LD stays, for
 * metadata, and cleanDom removes it later), comments and inline <svg> icons. One forward scan: an
 * unclosed tag swallows the rest of the page, as in a browser, so many unclosed tags still cost linear time.
 */
function stripUnread(html: string): string {
  const open = /<(style|script|svg)[\s>/]|<!--/gi;
  const parts: string[] = [];
  let at = 0;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const tag = m[1]?.toLowerCase();
    let end: number;
    if (tag === undefined) {
      // "<!-->" and "<!--->" are whole (empty) comments; an unclosed one runs to the end (WHATWG HTML §13.2.5.43).
      const short = /^-?>/.exec(html.slice(m.index + 4, m.index + 6));
      const close = html.indexOf('-->', m.index + 4);
      end = short ? m.index + 4 + short[0].length : close === -1 ? html.length : close + 3;
    } else {
      const close = CLOSE_TAG[tag as keyof typeof CLOSE_TAG];
      close.lastIndex = m.index + m[0].length;
      const found = close.exec(html);
      const gt = found ? html.indexOf('>', found.index) : -1;
      end = gt === -1 ? html.length : gt + 1;
    }
    const keep = tag === 'script' && LD_JSON.test(html.slice(m.index, Math.min(end, m.index + 200)));
    parts.push(html.slice(at, m.index), keep ? html.slice(m.index, end) : '');
    at = end;
    open.lastIndex = end;
  }
  parts.push(html.slice(at));
  return parts.join('');
}

// End tags the parser may imply (p, li, td…) and void elements: leaving them open is legal and costs no depth.
const SELF_CLOSING = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen',
  'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'colgroup', 'rb', 'rt', 'rp',
  'html', 'head', 'body', '!doctype',
]);

/** How deep the tags nest, roughly, from the text alone: a cheap bound on the depth of the parsed tree. */
function estimateDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const m of html.matchAll(/<(\/?)([a-z][a-z0-9-]*)[^>]*?(\/?)>/gi)) {
    const name = (m[2] ?? '').toLowerCase();
    if (SELF_CLOSING.has(name) || m[3]) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
