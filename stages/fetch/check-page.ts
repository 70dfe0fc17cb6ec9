import { NewsloomError } from '../../lib/errors.js';
import { httpStatusError } from './errors.js';

/** What checkPage needs from an HTTP answer (adapters/http's HttpResponse fits). */
export interface PageResponse {
  status: number;
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface CheckedPage {
  kind: 'page';
  url: string;
  /** The Content-Type header as sent (its charset matters to decodeText), or text/html when sniffed. */
  contentType: string;
  body: Buffer;
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
// Types servers send when they do not know better; the body decides then (WHATWG MIME Sniffing §7.1).
const UNKNOWN_TYPES = new Set(['', 'application/octet-stream', 'application/unknown', 'unknown/unknown', '*/*']);
const SNIFF_BYTES = 1024;

/** A 2xx answer that is not a page to extract (a PDF, an image): recorded as skipped, not failed. */
export interface SkippedPage {
  kind: 'skipped';
  reason: 'not-html';
  detail: string;
}

/**
 * Accepts a fetched page worth extracting: a 2xx HTML answer with a body. A 2xx answer of another
 * type is a skip with its reason (an outcome, not a fault); a non-2xx or empty answer throws.
 */
export function checkPage(res: PageResponse): CheckedPage | SkippedPage {
  if (res.status < 200 || res.status >= 300) throw httpStatusError(res.url, res.status);
  if (isBlank(res.body)) {
    throw new NewsloomError(`GET ${res.url} answered ${res.status} with an empty body`, 'NL_EMPTY_BODY', false);
  }
  const header = res.headers['content-type']?.trim() ?? '';
  const mediaType = header.split(';')[0]!.trim().toLowerCase();
  if (HTML_TYPES.has(mediaType)) return { kind: 'page', url: res.url, contentType: header, body: res.body };
  if (UNKNOWN_TYPES.has(mediaType) && looksLikeHtml(res.body)) return { kind: 'page', url: res.url, contentType: 'text/html', body: res.body };
  return { kind: 'skipped', reason: 'not-html', detail: `GET ${res.url} answered ${mediaType || 'no content type'}, not HTML` };
}

/** Nothing but whitespace, NULs and byte-order marks (read as latin1: ï»¿, þÿ, ÿþ). */
function isBlank(body: Buffer): boolean {
  if (body.length > SNIFF_BYTES) return false;
  return /^(?:\s|\u0000|ï»¿|þÿ|ÿþ)*$/.test(body.toString('latin1'));
}

function looksLikeHtml(body: Buffer): boolean {
  // UTF-16 pages sniff too: drop the zero bytes of ASCII code units before matching.
  const head = body.subarray(0, SNIFF_BYTES).toString('latin1').replace(/\u0000/g, '');
  return /^(?:\s|\ufeff|ï»¿|þÿ|ÿþ|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body)[\s>]/i.test(head);
}
