import { httpGet, type HttpGetOptions } from '../adapters/http/http-get.js';
import type { HostileSite } from './hostile-site.js';
import type { CaseResult, SecurityCase } from './report.js';

/** What a failed request came to: its code and how long it took. */
export async function outcome(run: () => Promise<unknown>): Promise<{ code: string; ms: number; message: string }> {
  const started = performance.now();
  try {
    const res = (await run()) as { status?: number } | undefined;
    return { code: `ok ${res?.status ?? ''}`.trim(), ms: Math.round(performance.now() - started), message: '' };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    return { code: typeof e.code === 'string' ? e.code : 'THROWN', ms: Math.round(performance.now() - started), message: String(e.message ?? err) };
  }
}

const MiB = 1024 ** 2;
const BOMB_MS = 5_000;
const BOMB_MIB = 64;

/**
 * Catalogue C (hostile servers) through the guarded client with newsloom's configured options
 * (`opts` comes from fetch.* config: the total deadline, per-hop timeouts, the feed body cap).
 */
export function fetchCases(site: HostileSite, opts: HttpGetOptions): SecurityCase[] {
  const get = (url: string, extra: Partial<HttpGetOptions> = {}) => () => httpGet(url, { ...opts, ...extra });
  const deadline = (id: string, title: string, url: string, limitMs: number, what: string): SecurityCase => ({
    id, title, quick: true, parallel: true,
    expected: `NL_TIMEOUT ≤ ${what} ${limitMs} ms`,
    async run(): Promise<CaseResult> {
      const o = await outcome(get(url));
      // A timer fires late on a loaded machine (up to 1.3 s seen with 5 test runs on 2 cores): 2 s of
      // slack, far below what a per-chunk idle timer would allow a drip feed (unbounded).
      return { observed: `${o.code} after ${o.ms} ms`, pass: o.code === 'NL_TIMEOUT' && o.ms <= limitMs + 2_000 };
    },
  });
  const bomb = (id: string, title: string, path: string, expectCode: string): SecurityCase => ({
    id, title, quick: true,
    expected: `${expectCode} < ${BOMB_MS / 1000} s, < ${BOMB_MIB} MiB extra`,
    async run(): Promise<CaseResult> {
      const base = process.memoryUsage.rss();
      let peak = base;
      const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
      const o = await outcome(get(`${site.origin}${path}`, { timeoutMs: Math.max(opts.timeoutMs, 60_000) }));
      clearInterval(t);
      const extra = (Math.max(peak, process.memoryUsage.rss()) - base) / MiB;
      return {
        observed: `${o.code} after ${o.ms} ms (${o.message.replace(/^GET \S+: /, '').slice(0, 60)})`,
        pass: (expectCode === 'NL_*' ? o.code.startsWith('NL_') : o.code === expectCode) && o.ms < BOMB_MS && extra < BOMB_MIB,
      };
    },
  });
  const cases: SecurityCase[] = [
    deadline('F1', 'drip body 1 B/s', `${site.origin}/drip-body`, opts.timeoutMs, 'total deadline'),
    deadline('F1h', 'drip headers 1 B/s', `${site.rawOrigin}/drip-headers`, Math.min(opts.timeoutMs, opts.firstByteTimeoutMs ?? 15_000), 'first byte'),
    deadline('F2', 'accepts, never answers', `${site.rawOrigin}/silent`, Math.min(opts.timeoutMs, opts.firstByteTimeoutMs ?? 15_000), 'first byte'),
    bomb('F4', 'gzip bomb 2 GiB (2 MB wire)', '/bomb/gzip', 'NL_TOO_LARGE'),
    bomb('F5br', 'brotli bomb 2 GiB', '/bomb/br', 'NL_TOO_LARGE'),
    bomb('F5def', 'deflate bomb 2 GiB', '/bomb/deflate', 'NL_TOO_LARGE'),
    bomb('F5gzbr', 'stacked gzip+br bomb 2 GiB', '/bomb/gzip-br', 'NL_TOO_LARGE'),
    bomb('F5gzgz', 'stacked gzip+gzip bomb 2 GiB', '/bomb/gzip-gzip', 'NL_TOO_LARGE'),
    bomb('F5x6', 'gzip x6 chain of a 2 GiB bomb', '/bomb/gzip-x6', 'NL_CONTENT_ENCODING'),
    // Either the cut gzip stream or the bytes past the declared length fail the exchange: any NewsloomError, bounded.
    bomb('F5len', 'gzip bomb, Content-Length lies', '/bomb/lying-length', 'NL_*'),
    bomb('F6', '1 GiB plain, chunked, no length', '/plain-1g', 'NL_TOO_LARGE'),
    bomb('F6len', 'Content-Length 2 GiB', '/declared-huge', 'NL_TOO_LARGE'),
    {
      id: 'F7loop', title: 'redirect loop A→B→A', quick: true, expected: `NL_TOO_MANY_REDIRECTS after ${opts.maxRedirects} hops`,
      async run() {
        const before = site.hits('/loop/a') + site.hits('/loop/b');
        const o = await outcome(get(`${site.origin}/loop/a`));
        const hops = site.hits('/loop/a') + site.hits('/loop/b') - before - 1;
        return { observed: `${o.code}, ${hops} hops followed`, pass: o.code === 'NL_TOO_MANY_REDIRECTS' && hops === opts.maxRedirects };
      },
    },
    {
      id: 'F7chain', title: '20-hop redirect chain', quick: true, expected: `NL_TOO_MANY_REDIRECTS after ${opts.maxRedirects} hops`,
      async run() {
        const before = site.hits('/chain');
        const o = await outcome(get(`${site.origin}/chain?n=20`));
        const hops = site.hits('/chain') - before - 1;
        return { observed: `${o.code}, ${hops} hops followed`, pass: o.code === 'NL_TOO_MANY_REDIRECTS' && hops === opts.maxRedirects };
      },
    },
    {
      id: 'F7ok', title: `${opts.maxRedirects}-hop chain (control)`, quick: true, expected: 'ok 200',
      async run() {
        const o = await outcome(get(`${site.origin}/chain?n=${opts.maxRedirects}`));
        return { observed: o.code, pass: o.code === 'ok 200' };
      },
    },
    slowlorisSwarm(site, opts),
  ];
  if (site.blackholeOrigin !== null) {
    cases.splice(3, 0, deadline('F3', 'connect never completes', `${site.blackholeOrigin}/`, Math.min(opts.timeoutMs, opts.connectTimeoutMs ?? 10_000), 'connect'));
  }
  return cases;
}

/**
 * Catalogue F8 at the client: 100 healthy requests while 100 drip feeds hold connections open, in
 * 5 alternating rounds (alone, swarm), medians compared. httpGet keeps no pool (a socket per
 * request), so drips cannot take a healthy request's socket; worker slots are another matter (see the README).
 */
function slowlorisSwarm(site: HostileSite, opts: HttpGetOptions): SecurityCase {
  const N = 100;
  const ROUNDS = 5;
  return {
    id: 'F8', title: `slowloris swarm: ${N} drip + ${N} healthy`, quick: false, expected: 'all healthy ok, median throughput ≥ 90%',
    async run() {
      const healthy = async () => {
        const started = performance.now();
        const results = await Promise.all(Array.from({ length: N }, () => outcome(() => httpGet(`${site.origin}/ok`, opts))));
        return { ms: performance.now() - started, ok: results.filter((r) => r.code === 'ok 200').length };
      };
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      await healthy(); // warm-up
      const alone: number[] = [];
      const swarm: number[] = [];
      let ok = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const a = await healthy();
        alone.push(a.ms);
        const drips = Array.from({ length: N }, () => new AbortController());
        const dripping = drips.map((d) => outcome(() => httpGet(`${site.origin}/drip-body`, { ...opts, signal: d.signal })));
        await new Promise((r) => setTimeout(r, 300));
        const s = await healthy();
        swarm.push(s.ms);
        ok += a.ok + s.ok;
        for (const d of drips) d.abort();
        await Promise.all(dripping);
      }
      const ratio = median(alone) / median(swarm);
      return {
        observed: `healthy ${ok}/${2 * N * ROUNDS} ok; median ${Math.round(median(alone))} ms alone, ${Math.round(median(swarm))} ms in swarm (${Math.round(ratio * 100)}%)`,
        pass: ok === 2 * N * ROUNDS && ratio >= 0.9,
      };
    },
  };
}
