import { setTimeout as sleep } from 'node:timers/promises';
import { NewsloomError } from '../../lib/errors.js';
import { retryAfter } from '../../stages/fetch/retry-after.js';
import { productToken, robotsVerdict } from '../../stages/fetch/robots.js';
import type { HostGate } from '../redis/host-gate.js';
import { httpGet, type HttpGetOptions, type HttpResponse } from './http-get.js';
import type { RobotsCache } from './robots-cache.js';

export interface PoliteGetOptions extends HttpGetOptions {
  /** Obey robots.txt (and its crawl-delay); off only for sites the user owns. */
  robots: boolean;
  perHost: { maxConcurrent: number; minIntervalMs: number };
  /** Wait in this process for a turn due within this long; a later one becomes an NL_WAIT error. */
  maxWaitMs?: number;
  /** Back-off after a 429/503 that gives no usable Retry-After. */
  defaultBackoffMs?: number;
  /** Longest back-off honoured, whatever Retry-After asks. */
  maxBackoffMs?: number;
  /** Longest crawl-delay honoured: "Crawl-delay: 86400" would starve a feed for a day per article. */
  maxCrawlDelayMs?: number;
}

export interface PoliteParts {
  gate: HostGate;
  robots: RobotsCache;
}

/** "Come back at retryAtMs": a host asked us to wait; not a failure (CONVENTIONS.md, Errors). */
export class HostWaitError extends NewsloomError {
  constructor(
    message: string,
    readonly retryAtMs: number,
  ) {
    super(message, 'NL_WAIT', true);
  }
}

const DEFAULT_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 6 * 3_600_000;
const MAX_CRAWL_DELAY_MS = 10 * 60_000;
// A lease outlives the request it covers: httpGet's deadline bounds the request, this covers the rest.
const LEASE_MARGIN_MS = 10_000;

/**
 * GET a URL as a good citizen: robots.txt obeyed (crawl-delay too), the host's shared limits
 * taken from the gate, and a 429/503 backing off the whole host. Throws HostWaitError (NL_WAIT,
 * `retryAtMs`) when the host wants us later, NL_ROBOTS when robots.txt forbids the URL.
 */
export async function politeGet(url: string, opts: PoliteGetOptions, parts: PoliteParts): Promise<HttpResponse> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return httpGet(url, opts); // httpGet words the NL_URL error
  }
  const host = target.host.toLowerCase();
  const token = productToken(opts.userAgent);
  const maxBackoffMs = opts.maxBackoffMs ?? MAX_BACKOFF_MS;
  const waitLimitMs = Date.now() + (opts.maxWaitMs ?? 0);
  for (;;) {
    let crawlDelayMs = 0;
    let needRobots = false;
    if (opts.robots) {
      const state = await parts.robots.peek(target.origin);
      if (state === null) needRobots = true;
      else if (state.kind === 'unreachable') {
        throw new HostWaitError(`GET ${url}: ${host}/robots.txt is unreachable (${state.reason}); waiting until ${iso(state.retryAtMs)}`, state.retryAtMs);
      } else {
        const verdict = robotsVerdict(state.robots, target, token);
        if (!verdict.allowed) {
          throw new NewsloomError(`GET ${url}: disallowed by ${host}/robots.txt for ${token} (${verdict.rule})`, 'NL_ROBOTS', false);
        }
        crawlDelayMs = Math.min(verdict.crawlDelayMs ?? 0, opts.maxCrawlDelayMs ?? MAX_CRAWL_DELAY_MS);
      }
    }
    const turn = await parts.gate.acquire(host, {
      maxConcurrent: opts.perHost.maxConcurrent,
      minIntervalMs: Math.max(opts.perHost.minIntervalMs, crawlDelayMs),
      leaseMs: opts.timeoutMs + LEASE_MARGIN_MS,
    });
    if (!turn.ok) {
      if (turn.retryAtMs > waitLimitMs) {
        throw new HostWaitError(`GET ${url}: ${host} is ${WHY[turn.reason]}; waiting until ${iso(turn.retryAtMs)}`, turn.retryAtMs);
      }
      await sleep(Math.max(0, turn.retryAtMs - Date.now()));
      continue;
    }
    try {
      // Fetching robots.txt spends this turn; the page takes the next one, with the crawl-delay known.
      if (needRobots) {
        await parts.robots.refresh(target.origin, opts);
        continue;
      }
      const res = await httpGet(url, opts);
      if (res.status === 429 || res.status === 503) {
        const now = Date.now();
        const untilMs = Math.min(retryAfter(res.headers['retry-after'], now) ?? now + (opts.defaultBackoffMs ?? DEFAULT_BACKOFF_MS), now + maxBackoffMs);
        await parts.gate.backoff(host, untilMs);
        throw new HostWaitError(`GET ${url} answered ${res.status}; backing off ${host} until ${iso(untilMs)}`, untilMs);
      }
      return res;
    } finally {
      await turn.release();
    }
  }
}

const WHY = { backoff: 'backing off after a 429/503', interval: 'within its request interval', busy: 'at its concurrency limit' } as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
