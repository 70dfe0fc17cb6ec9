import { JSDOM, VirtualConsole } from 'jsdom';
import { NewsloomError } from '../../lib/errors.js';

// jsdom's parser slows with the square of the nesting depth and its tree walks recurse: past this depth
// the page is tag soup that would stall a worker for minutes or overflow the stack. Real pages nest < 100.
const MAX_NESTING_DEPTH = 2_000;
const LD_JSON = /^<script\b[^>]*type\s*=\s*["']?application\/ld\+json/i;
// NUL and other C0 controls are never in real HTML; many of them mean a PDF, an image or gzip.
const BINARY = /[\u0000-\u0008\u000E-\u001A]/g;

/**
 * Parse a page with jsdom: scripts never run, nothing is fetched (no `resources` option), console output
 * is swallowed. Refuses pages over `maxHtmlChars` and binary bodies with a permanent NewsloomError.
 * The caller must `window.close()` the result.
 */
export function loadDocument(html: string, url: string, maxHtmlChars: number): JSDOM {
  if (typeof html !== 'string') {
    throw new NewsloomError(`extract ${url}: page body is ${typeof html}, not a string of HTML`, 'NL_PAGE_UNPARSEABLE', false);
  }
  if (html.length > maxHtmlChars) {
    throw new NewsloomError(`extract ${url}: page is ${html.length} characters, over the limit of ${maxHtmlChars}`, 'NL_PAGE_TOO_LARGE', false);
  }
  const head = html.slice(0, 4096);
  if (head.startsWith('%PDF-') || (head.match(BINARY)?.length ?? 0) > Math.max(8, head.length / 100)) {
    throw new NewsloomError(`extract ${url}: page body is binary, not HTML`, 'NL_PAGE_UNPARSEABLE', false);
  }
  if (!URL.canParse(url)) {
    throw new NewsloomError(`extract ${JSON.stringify(url)}: page URL is not an absolute URL`, 'NL_PAGE_URL_INVALID', false);
  }
  const stripped = stripStylesAndScripts(html);
  const depth = estimateDepth(stripped);
  if (depth > MAX_NESTING_DEPTH) {
    throw new NewsloomError(`extract ${url}: tags nest about ${depth} levels deep, over ${MAX_NESTING_DEPTH}: too deep to parse safely`, 'NL_PAGE_UNPARSEABLE', false);
  }
  try {
    return new JSDOM(stripped, { url, contentType: 'text/html', virtualConsole: new VirtualConsole() });
  } catch (err) {
    throw new NewsloomError(`extract ${url}: jsdom could not parse the page: ${(err as Error).message}`, 'NL_PAGE_UNPARSEABLE', false, { cause: err });
  }
}

/**
 * <style> blocks carry no article text, and one malformed rule in them can make jsdom's CSS parser throw:
 * they are cut from the string before parsing, with <script> (never run anyway). JSON-LD scripts stay:
 * metadata reads them, then cleanDom removes them. One forward scan: an unclosed tag swallows the rest
 * of the page, as in a browser, so many unclosed tags still cost linear time.
 */
function stripStylesAndScripts(html: string): string {
  const open = /<(style|script)[\s>/]/gi;
  const parts: string[] = [];
  let at = 0;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const close = new RegExp(`</${m[1]}`, 'gi');
    close.lastIndex = m.index + m[0].length;
    const found = close.exec(html);
    const gt = found ? html.indexOf('>', found.index) : -1;
    const end = gt === -1 ? html.length : gt + 1;
    const whole = html.slice(m.index, end);
    parts.push(html.slice(at, m.index), LD_JSON.test(whole) ? whole : '');
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
