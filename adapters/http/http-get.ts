import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { NewsloomError } from '../../lib/errors.js';
import type { ContentCoding } from './create-decoder.js';
import { guardedLookup, ssrfError } from './guarded-lookup.js';
import { nonPublicRange } from './non-public-range.js';
import { readBody } from './read-body.js';

export interface HttpGetOptions {
  userAgent: string;
  /** Total deadline for the whole exchange: every redirect hop, headers and body. */
  timeoutMs: number;
  /** Per hop: TCP (and TLS) connection established within this (default 10 s; catalogue F3). */
  connectTimeoutMs?: number;
  /** Per hop: first byte of the answer within this after connecting (default 15 s; catalogue F2). */
  firstByteTimeoutMs?: number;
  /** Cap on body bytes, after decompression (and on the wire). */
  maxBytes: number;
  maxRedirects: number;
  /** Off in production: loopback, RFC 1918, link-local, … addresses are refused. */
  allowPrivateNetworks: boolean;
  accept?: string;
  /** Extra request headers, e.g. If-None-Match, If-Modified-Since. */
  headers?: Record<string, string>;
  /** POST sends `body` (HTTP enrichment stages); a POST's redirects are answers, never followed. Default GET. */
  method?: 'GET' | 'POST';
  body?: string | Buffer;
  /** Aborts the exchange from outside (a stage's time limit); fails like the deadline. */
  signal?: AbortSignal;
  /** Told the final status of each exchange, or null when none came (metrics: workers/context.ts). */
  onAnswer?: (status: number | null, url: string) => void;
}

export interface HttpResponse {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decoded body; empty for 304. */
  body: Buffer;
  /** Every URL a redirect led to, in order; the last one is `url`. */
  redirects: string[];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CODINGS = new Map<string, ContentCoding>([['gzip', 'gzip'], ['x-gzip', 'gzip'], ['deflate', 'deflate'], ['br', 'br']]);
// undici allows 5 codings; nobody legitimately stacks more than 2 (catalogue F5).
const MAX_CODINGS = 2;

type Answer =
  | { kind: 'redirect'; location: string }
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer };

/**
 * GET one URL over node:http/https with the guards of catalogue §5.6: http(s) only, every hop
 * checked against non-public addresses (the resolved address, not the name), manual redirects,
 * one total deadline, a decoded-size cap and at most two content codings.
 */
export async function httpGet(url: string, opts: HttpGetOptions): Promise<HttpResponse> {
  const method = opts.method ?? 'GET';
  let target = parseTarget(url, `${method} ${url}`);
  const redirects: string[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  const abort = () => controller.abort();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const answer = await requestOnce(target, opts, controller.signal);
      if (answer.kind === 'response') {
        opts.onAnswer?.(answer.status, target.href);
        return { status: answer.status, url: target.href, headers: answer.headers, body: answer.body, redirects };
      }
      if (redirects.length >= opts.maxRedirects) {
        throw new NewsloomError(
          `GET ${url}: too many redirects (more than ${opts.maxRedirects}, last to ${answer.location})`,
          'NL_TOO_MANY_REDIRECTS',
          false,
        );
      }
      target = parseTarget(answer.location, `GET ${target.href}: redirect to ${answer.location}`, target);
      redirects.push(target.href);
    }
  } catch (err) {
    opts.onAnswer?.(null, target.href);
    if (err instanceof NewsloomError) throw err;
    if (controller.signal.aborted) {
      throw new NewsloomError(`${method} ${target.href}: deadline of ${opts.timeoutMs} ms passed before the answer was complete`, 'NL_TIMEOUT', true, {
        cause: err,
      });
    }
    const code = (err as { code?: unknown }).code;
    const reason = typeof code === 'string' ? `${code} ${(err as Error).message}` : String(err);
    throw new NewsloomError(`${method} ${target.href}: network error: ${reason}`, 'NL_NETWORK', true, { cause: err });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', abort);
  }
}

/** Parses and vets a URL: http(s) only, and a literal IP host is classified here because Node skips `lookup` for it. */
function parseTarget(raw: string, what: string, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch (cause) {
    throw new NewsloomError(`${what}: not a valid URL`, 'NL_URL', false, { cause });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new NewsloomError(`${what}: refused ${target.protocol} URL, only http: and https: are fetched`, 'NL_URL', false);
  }
  return target;
}

function checkLiteralHost(target: URL, allowPrivateNetworks: boolean): void {
  if (allowPrivateNetworks) return;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const range = nonPublicRange(host);
    if (range !== null) throw ssrfError(target.href, host, host, range);
    return;
  }
  // "localhost" and "*.localhost" are loopback by definition (RFC 6761 §6.3), with or without the root dot.
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) throw ssrfError(target.href, host, '127.0.0.1', 'loopback');
}

function requestOnce(target: URL, opts: HttpGetOptions, signal: AbortSignal): Promise<Answer> {
  checkLiteralHost(target, opts.allowPrivateNetworks);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  // Lower-cased so that a caller's "Accept-Encoding" cannot sit beside ours: we decode only what we ask for.
  const extra = Object.entries(opts.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]);
  const method = opts.method ?? 'GET';
  const body = method === 'POST' ? (opts.body ?? '') : undefined;
  const headers = {
    ...Object.fromEntries(extra),
    'user-agent': opts.userAgent,
    accept: opts.accept ?? '*/*',
    'accept-encoding': 'gzip, deflate, br',
    ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
  };
  return new Promise<Answer>((resolve, reject) => {
    // agent: false gives each request its own socket, closed after the answer: nothing idles in a pool.
    const options = { method, headers, agent: false, signal, lookup: guardedLookup(target.href, opts.allowPrivateNetworks) };
    const phase = (what: string, ms: number) =>
      setTimeout(() => req.destroy(new NewsloomError(`${method} ${target.href}: ${what} within ${ms} ms`, 'NL_TIMEOUT', true)), ms);
    const connectMs = opts.connectTimeoutMs ?? 10_000;
    const firstByteMs = opts.firstByteTimeoutMs ?? 15_000;
    let timer = phase('no connection', connectMs);
    const req = send(target, options, (res) => {
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (method === 'GET' && REDIRECT_STATUSES.has(status) && location !== undefined) {
        res.destroy();
        resolve({ kind: 'redirect', location });
        return;
      }
      let codings: ContentCoding[];
      try {
        codings = parseCodings(target.href, res.headers['content-encoding']);
      } catch (err) {
        res.destroy();
        reject(err);
        return;
      }
      readBody(res, { url: target.href, codings, maxBytes: opts.maxBytes, signal }).then(
        (body) => resolve({ kind: 'response', status, headers: flattenHeaders(res.headers), body }),
        (err: unknown) => {
          req.destroy();
          reject(err);
        },
      );
    });
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(timer);
        timer = phase('no answer', firstByteMs);
      };
      const event = target.protocol === 'https:' ? 'secureConnect' : 'connect';
      if (socket.connecting) socket.once(event, connected);
      else connected();
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

function parseCodings(url: string, header: string | undefined): ContentCoding[] {
  const tokens = (header ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '' && t !== 'identity');
  if (tokens.length > MAX_CODINGS) {
    throw new NewsloomError(`GET ${url}: refused ${tokens.length} stacked content codings (${header})`, 'NL_CONTENT_ENCODING', false);
  }
  return tokens.map((t) => {
    const coding = CODINGS.get(t);
    if (coding === undefined) throw new NewsloomError(`GET ${url}: unsupported content coding ${t}`, 'NL_CONTENT_ENCODING', false);
    return coding;
  });
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
