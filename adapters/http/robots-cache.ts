import type { Redis } from 'ioredis';
import { isRetryable } from '../../lib/errors.js';
import { key } from '../../queues/connection.js';
import { retryAfter } from '../../stages/fetch/retry-after.js';
import { parseRobots, type Robots } from '../../stages/fetch/robots.js';
import { httpGet, type HttpGetOptions } from './http-get.js';

/** What we may do at an origin: follow its rules, or keep off until `retryAtMs` because robots.txt is unreachable. */
export type RobotsState =
  | { kind: 'rules'; robots: Robots; freshUntilMs: number; source: string }
  | { kind: 'unreachable'; retryAtMs: number; reason: string };

export interface RobotsCache {
  /** The origin's cached state while fresh, else null (no request is made). */
  peek(origin: string): Promise<RobotsState | null>;
  /** Fetches `<origin>/robots.txt`, stores the outcome for every process and returns it. */
  refresh(origin: string, http: HttpGetOptions): Promise<RobotsState>;
}

export interface RobotsCacheOptions {
  /** How long a fetched robots.txt (or a 4xx, meaning "no rules") is used; RFC 9309 §2.4 says at most 24 h. */
  ttlMs?: number;
  /** How long an unreachable robots.txt (5xx, 429, network) keeps us off before asking again. */
  unreachableMs?: number;
  /** How long this process reuses a state without asking Redis. */
  memoMs?: number;
}

/** As stored in Redis: the text, not the parse, so a parser fix applies to cached entries too. */
interface Stored {
  kind: 'rules' | 'unreachable';
  /** robots.txt text; "" stands for "no rules" (a 4xx). Kept while unreachable as the last good copy. */
  text: string | null;
  freshUntilMs: number;
  source: string;
}

const DAY_MS = 86_400_000;
// A last good copy may stand in while the file is unreachable; past 30 days RFC 9309 §2.3.1.4 lets it go.
const KEEP_STALE_MS = 30 * DAY_MS;
// Parsers must read at least 500 KiB (RFC 9309 §2.5); the rest is cut in parseRobots.
const ROBOTS_MAX_BYTES = 1 << 20;
const MEMO_MAX = 10_000;

/**
 * robots.txt per origin (scheme, host and port: RFC 9309 §2.3), fetched through httpGet and
 * shared in Redis under `{prefix}:robots:<origin>`, with a short in-process memo in front.
 */
export function redisRobotsCache(redis: Redis, prefix: string, opts: RobotsCacheOptions = {}): RobotsCache {
  const ttlMs = opts.ttlMs ?? DAY_MS;
  const unreachableMs = opts.unreachableMs ?? 10 * 60_000;
  const memoMs = opts.memoMs ?? 60_000;
  const memo = new Map<string, { state: RobotsState; untilMs: number }>();
  const entryKey = (origin: string) => key(prefix, 'robots', origin.toLowerCase());

  const remember = (origin: string, stored: Stored): RobotsState => {
    const state = toState(stored);
    const untilMs = Math.min(Date.now() + memoMs, stored.freshUntilMs);
    if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
    memo.set(origin, { state, untilMs });
    return state;
  };

  return {
    async peek(origin) {
      const hit = memo.get(origin);
      if (hit !== undefined && hit.untilMs > Date.now()) return hit.state;
      memo.delete(origin);
      const raw = await redis.get(entryKey(origin));
      const stored = raw === null ? null : (JSON.parse(raw) as Stored);
      if (stored === null || stored.freshUntilMs <= Date.now()) return null;
      return remember(origin, stored);
    },
    async refresh(origin, http) {
      const url = `${origin}/robots.txt`;
      const fetched = await fetchRobots(url, http, { ttlMs, unreachableMs });
      let stored = fetched;
      if (fetched.kind === 'unreachable') {
        // A 5xx after a good copy: keep obeying the good copy (RFC 9309 §2.4) and ask again later.
        const raw = await redis.get(entryKey(origin));
        const previous = raw === null ? null : (JSON.parse(raw) as Stored);
        if (previous?.text != null) stored = { ...fetched, text: previous.text };
      }
      await redis.set(entryKey(origin), JSON.stringify(stored), 'PX', Math.max(KEEP_STALE_MS, stored.freshUntilMs - Date.now()));
      return remember(origin, stored);
    },
  };
}

async function fetchRobots(url: string, http: HttpGetOptions, t: { ttlMs: number; unreachableMs: number }): Promise<Stored> {
  const now = Date.now();
  const unreachable = (source: string, untilMs = now + t.unreachableMs): Stored => ({ kind: 'unreachable', text: null, freshUntilMs: untilMs, source });
  const noRules = (source: string, forMs: number): Stored => ({ kind: 'rules', text: '', freshUntilMs: now + forMs, source });
  let res;
  try {
    res = await httpGet(url, { ...http, accept: 'text/plain', headers: {}, maxBytes: ROBOTS_MAX_BYTES });
  } catch (err) {
    // Network faults and timeouts mean unreachable (RFC 9309 §2.3.1.4): keep off for a while.
    if (isRetryable(err)) return unreachable(`${url}: ${(err as Error).message}`);
    // Too many redirects may be taken as unavailable (§2.3.1.2); so may a file we refuse to read
    // (oversized, undecodable). Not cached for long: the cause may be on our side.
    return noRules(`${url}: ${(err as Error).message}`, t.unreachableMs);
  }
  const source = `${url} answered ${res.status}`;
  if (res.status >= 200 && res.status < 300) {
    return { kind: 'rules', text: res.body.toString('utf8'), freshUntilMs: now + t.ttlMs, source };
  }
  // 429 is a 4xx but says "too fast", not "no file": treated as unreachable, as Google does
  // (developers.google.com/search/docs/crawling-indexing/robots/robots_txt#http-status-codes).
  if (res.status === 429 || res.status >= 500) {
    const asked = retryAfter(res.headers['retry-after'], now);
    return unreachable(source, Math.min(asked ?? now + t.unreachableMs, now + t.ttlMs));
  }
  // 4xx (and anything else): unavailable, so no rules apply (RFC 9309 §2.3.1.3).
  return noRules(source, t.ttlMs);
}

function toState(stored: Stored): RobotsState {
  if (stored.text !== null) return { kind: 'rules', robots: parseRobots(stored.text), freshUntilMs: stored.freshUntilMs, source: stored.source };
  return { kind: 'unreachable', retryAtMs: stored.freshUntilMs, reason: stored.source };
}
