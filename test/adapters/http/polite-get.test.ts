import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostWaitError, politeGet, type PoliteGetOptions, type PoliteParts } from '../../../adapters/http/polite-get.js';
import { redisRobotsCache } from '../../../adapters/http/robots-cache.js';
import { redisHostGate } from '../../../adapters/redis/host-gate.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../../helpers/redis.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const base: PoliteGetOptions = {
  userAgent: 'newsloom/0.1 (+https://github.com/newsloom/newsloom)',
  timeoutMs: 10_000,
  maxBytes: 1 << 20,
  maxRedirects: 5,
  allowPrivateNetworks: true,
  robots: true,
  perHost: { maxConcurrent: 2, minIntervalMs: 0 },
};

let redis: TestRedis;
let conn: Redis;
let site: FixtureServer;
beforeAll(async () => {
  redis = await startTestRedis();
  conn = new Redis(redis.url);
});
afterAll(async () => {
  await conn?.quit();
  await redis?.stop();
});
// A fresh server per test is a fresh host (its port differs), so host state never leaks between tests.
afterEach(async () => site?.close());

function parts(prefix = testPrefix()): PoliteParts {
  return { gate: redisHostGate(conn, prefix), robots: redisRobotsCache(conn, prefix) };
}

async function waitError(p: Promise<unknown>): Promise<HostWaitError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toMatchObject({ code: 'NL_WAIT', retryable: true });
  expect(typeof (err as HostWaitError).retryAtMs).toBe('number');
  return err as HostWaitError;
}

describe('politeGet: robots.txt', () => {
  it('refuses a disallowed URL for good without requesting it, and fetches robots.txt once per host', async () => {
    site = await startFixtureServer();
    site.route('/robots.txt', { body: 'User-agent: *\nDisallow: /private/\n' });
    site.route('/private/1', { body: 'secret' });
    site.route('/news/1', { body: 'news' });
    const prefix = testPrefix();
    const err = await politeGet(`${site.url}/private/1`, base, parts(prefix)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NL_ROBOTS',
      retryable: false,
      message: `GET ${site.url}/private/1: disallowed by 127.0.0.1:${site.port}/robots.txt for newsloom (Disallow: /private/)`,
    });
    expect(site.hits('/private/1')).toBe(0);
    expect((await politeGet(`${site.url}/news/1`, { ...base, maxWaitMs: 5_000 }, parts(prefix))).body.toString()).toBe('news');
    // A second process (fresh parts, same prefix) finds robots.txt in Redis.
    expect(site.hits('/robots.txt')).toBe(1);
    expect(site.requests.find((r) => r.path === '/robots.txt')?.headers['user-agent']).toBe(base.userAgent);
  });

  it('fetches what robots.txt forbids when robots is switched off for the feed', async () => {
    site = await startFixtureServer();
    site.route('/robots.txt', { body: 'User-agent: *\nDisallow: /\n' });
    site.route('/mine/1', { body: 'ours' });
    const res = await politeGet(`${site.url}/mine/1`, { ...base, robots: false }, parts());
    expect(res.body.toString()).toBe('ours');
    expect(site.hits('/robots.txt')).toBe(0);
  });

  it('waits out the crawl-delay between the robots.txt request and the page, and between pages', async () => {
    site = await startFixtureServer();
    const starts: number[] = [];
    site.route('/robots.txt', (_req, res) => {
      starts.push(Date.now());
      res.end('User-agent: newsloom\nCrawl-delay: 1\n');
    });
    site.route('/a', (_req, res) => {
      starts.push(Date.now());
      res.end('a');
    });
    const p = parts();
    await politeGet(`${site.url}/a`, { ...base, maxWaitMs: 10_000 }, p);
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1_000 - WIRE_SLACK_MS);
    const err = await waitError(politeGet(`${site.url}/a`, base, p));
    expect(err.message).toContain('within its request interval');
    expect(err.retryAtMs).toBeGreaterThanOrEqual(starts[1]! + 1_000 - 50);
    expect(site.hits('/a')).toBe(1);
  });

  it('treats a 404 robots.txt as no rules, and a 5xx as "keep off for a while" so the article waits', async () => {
    site = await startFixtureServer();
    site.route('/robots.txt', { status: 404 });
    site.route('/a', { body: 'a' });
    expect((await politeGet(`${site.url}/a`, { ...base, maxWaitMs: 5_000 }, parts())).status).toBe(200);
    await site.close();

    site = await startFixtureServer();
    site.route('/robots.txt', { status: 503, body: 'down' });
    site.route('/a', { body: 'a' });
    const p = parts();
    const before = Date.now();
    const err = await waitError(politeGet(`${site.url}/a`, { ...base, maxWaitMs: 5_000 }, p));
    expect(err.message).toContain('/robots.txt is unreachable');
    expect(err.retryAtMs).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1_000);
    expect(site.hits('/a')).toBe(0);
    // Every later request to the host waits too, without asking robots.txt again.
    await waitError(politeGet(`${site.url}/b`, base, p));
    expect(site.hits('/robots.txt')).toBe(1);
  });

  it('keeps obeying the last good robots.txt while the file answers 5xx', async () => {
    site = await startFixtureServer();
    site.route('/robots.txt', (_req, res, hit) => {
      res.writeHead(hit === 1 ? 200 : 500);
      res.end(hit === 1 ? 'User-agent: *\nDisallow: /old/\n' : 'oops');
    });
    const cache = redisRobotsCache(conn, testPrefix(), { memoMs: 0 });
    const first = await cache.refresh(site.url, base);
    const second = await cache.refresh(site.url, base);
    expect(first.kind).toBe('rules');
    expect(second).toMatchObject({ kind: 'rules', robots: first.kind === 'rules' ? first.robots : null });
    expect(second.kind === 'rules' && second.source).toBe(`${site.url}/robots.txt answered 500`);
  });
});

describe('politeGet: 429 and 503', () => {
  it('backs the whole host off for Retry-After seconds; the next request waits instead of failing', async () => {
    site = await startFixtureServer();
    const starts: number[] = [];
    site.route('/a', (_req, res, hit) => {
      starts.push(Date.now());
      res.writeHead(hit === 1 ? 429 : 200, hit === 1 ? { 'retry-after': '1' } : {});
      res.end('a');
    });
    site.route('/b', { body: 'b' });
    const prefix = testPrefix();
    const p = parts(prefix);
    const opts = { ...base, robots: false };
    const before = Date.now();
    const first = await waitError(politeGet(`${site.url}/a`, opts, p));
    expect(first.message).toBe(`GET ${site.url}/a answered 429; backing off 127.0.0.1:${site.port} until ${new Date(first.retryAtMs).toISOString()}`);
    expect(first.retryAtMs).toBeGreaterThanOrEqual(before + 1_000);
    // Another URL on the same host, from another worker: not sent, told to come back then.
    const second = await waitError(politeGet(`${site.url}/b`, opts, parts(prefix)));
    expect(second.retryAtMs).toBeGreaterThanOrEqual(first.retryAtMs - 20);
    expect(site.hits('/b')).toBe(0);
    expect(await p.gate.blockedUntil(`127.0.0.1:${site.port}`)).toBeGreaterThanOrEqual(first.retryAtMs - 20);
    // Waiting (in-process here; a job would be delayed) gets the page once the back-off is over.
    expect((await politeGet(`${site.url}/a`, { ...opts, maxWaitMs: 10_000 }, p)).status).toBe(200);
    expect(starts[1]!).toBeGreaterThanOrEqual(first.retryAtMs - 20);
  });

  it('reads Retry-After as an HTTP-date on a 503', async () => {
    site = await startFixtureServer();
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 30_000);
    site.route('/a', { status: 503, headers: { 'retry-after': at.toUTCString() } });
    const err = await waitError(politeGet(`${site.url}/a`, { ...base, robots: false }, parts()));
    expect(err.retryAtMs).toBe(at.getTime());
  });

  it('backs off a default minute when a 503 names no time', async () => {
    site = await startFixtureServer();
    site.route('/a', { status: 503 });
    const before = Date.now();
    const err = await waitError(politeGet(`${site.url}/a`, { ...base, robots: false }, parts()));
    expect(err.retryAtMs).toBeGreaterThanOrEqual(before + 60_000);
    expect(err.retryAtMs).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});

describe('politeGet across processes', () => {
  it('keeps two OS processes hammering one host within maxConcurrent and minInterval, by the server\'s own clock', async () => {
    site = await startFixtureServer();
    const limits = { maxConcurrent: 2, minIntervalMs: 200 };
    const starts: Array<{ path: string; at: number }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const serve = (body: string) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      starts.push({ path: req.url ?? '', at: performance.timeOrigin + performance.now() });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      res.on('close', () => inFlight--);
      // A slow answer, so that requests overlap and the concurrency cap has something to stop.
      setTimeout(() => res.end(body), 250);
    };
    site.route('/robots.txt', serve('User-agent: *\nAllow: /\n'));
    site.route('/page', serve('<p>page</p>'));
    site.route('/warm', { body: 'warm' });
    const prefix = testPrefix();
    const children = [0, 1].map(() => hammer({ redisUrl: redis.url, prefix, url: site.url, loops: 3, perLoop: 3, limits }));
    try {
      await Promise.all(children.map((c) => firstLine(c)));
      for (const c of children) c.stdin!.end('go\n');
      const results = await Promise.all(children.map(async (c) => JSON.parse(await firstLine(c)) as { done: number; waits: number }));
      expect(results.map((r) => r.done)).toEqual([9, 9]);
      expect(results[0]!.waits + results[1]!.waits).toBeGreaterThan(0);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    }
    expect(site.hits('/page')).toBe(18);
    // Each gated turn that finds no cached robots.txt fetches it, so at most one per concurrent slot.
    expect(site.hits('/robots.txt')).toBeLessThanOrEqual(limits.maxConcurrent);
    expect(maxInFlight).toBeLessThanOrEqual(limits.maxConcurrent);
    const at = starts.map((s) => s.at).sort((x, y) => x - y);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // The gate spaces grants exactly on the Redis clock (host-gate.test.ts checks each gap). On the
    // wire, one gap shrinks by however late its process sent the request after the grant: 5 ms on an
    // idle 2-core box, 85 ms once under a load of 15, which is the OS scheduler, not the gate. So the
    // wire check is on the whole run: the server saw the requests spread over at least all but one
    // of the intervals (one interval of send lateness allowed). Without the gate the 20 requests,
    // 2 at a time for 250 ms each, would arrive within ~2.5 s instead of ≥ 3.6 s.
    expect(at.at(-1)! - at[0]!, JSON.stringify(gaps.map(Math.round))).toBeGreaterThanOrEqual((gaps.length - 1) * limits.minIntervalMs);
  });
});

interface HammerArgs {
  redisUrl: string;
  prefix: string;
  url: string;
  loops: number;
  perLoop: number;
  limits: { maxConcurrent: number; minIntervalMs: number };
}

const WIRE_SLACK_MS = 20;

/**
 * A separate OS process: warms its HTTP client, prints "ready", waits for "go" on stdin, then runs
 * `loops` parallel loops of `perLoop` politeGet calls, sleeping until retryAtMs on NL_WAIT as a
 * delayed job would, and prints {done, waits}.
 */
function hammer(args: HammerArgs): ChildProcess {
  const code = `
    const { Redis } = await import('ioredis');
    const { setTimeout: sleep } = await import('node:timers/promises');
    const { once } = await import('node:events');
    const { redisHostGate } = await import(${JSON.stringify(`${root}adapters/redis/host-gate.ts`)});
    const { redisRobotsCache } = await import(${JSON.stringify(`${root}adapters/http/robots-cache.ts`)});
    const { httpGet } = await import(${JSON.stringify(`${root}adapters/http/http-get.ts`)});
    const { politeGet } = await import(${JSON.stringify(`${root}adapters/http/polite-get.ts`)});
    const a = JSON.parse(process.argv[1]);
    const redis = new Redis(a.redisUrl);
    const parts = { gate: redisHostGate(redis, a.prefix), robots: redisRobotsCache(redis, a.prefix) };
    const opts = { ...${JSON.stringify(base)}, perHost: a.limits };
    await httpGet(a.url + '/warm', opts);
    await parts.gate.blockedUntil('warm.invalid');
    console.log('ready');
    await once(process.stdin, 'data');
    let done = 0, waits = 0;
    const loop = async (i) => {
      for (let j = 0; j < a.perLoop; j++) {
        for (;;) {
          try { await politeGet(a.url + '/page?p=' + process.pid + '-' + i + '-' + j, opts, parts); done++; break; }
          catch (e) { if (e.code !== 'NL_WAIT') throw e; waits++; await sleep(Math.max(0, e.retryAtMs - Date.now())); }
        }
      }
    };
    await Promise.all(Array.from({ length: a.loops }, (_, i) => loop(i)));
    console.log(JSON.stringify({ done, waits }));
    await redis.quit();
  `;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, JSON.stringify(args)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

const readers = new WeakMap<ChildProcess, AsyncIterator<string>>();

/** The child's next stdout line; rejects if it exits first. */
async function firstLine(child: ChildProcess): Promise<string> {
  let lines = readers.get(child);
  if (lines === undefined) {
    lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    readers.set(child, lines);
  }
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`child exited with ${String(code)} before printing`);
  });
  exited.catch(() => {}); // the child exits normally later; only a race it wins matters
  const next = await Promise.race([lines.next(), exited]);
  if (next.done) throw new Error('child closed stdout');
  return next.value;
}
