import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { httpStage } from '../adapters/enrich/http-stage.js';
import { httpGet } from '../adapters/http/http-get.js';
import { httpOptions } from '../adapters/http/http-options.js';
import { politeGet, type PoliteGetOptions } from '../adapters/http/polite-get.js';
import { redisRobotsCache } from '../adapters/http/robots-cache.js';
import { redisHostGate } from '../adapters/redis/host-gate.js';
import { freePort, spawnRedis } from '../adapters/redis/spawn-redis.js';
import { resolveFeedUrl } from '../cli/feeds-sources.js';
import { planNextPoll } from '../stages/feeds/plan-next-poll.js';
import { makeArticle } from '../test/helpers/articles.js';
import { outcome } from './cases-fetch.js';
import { pipelineRun } from './pipeline-run.js';
import type { SecurityCase } from './report.js';
import { VECTORS } from './vectors.js';
import { webhookCases } from './cases-webhooks.js';
import { REDIRECT_STATUSES, REFUSED, sameHost, sweep, type LabEnv } from './sweep.js';

export type { LabEnv } from './sweep.js';

const vectorTotal = VECTORS.length;

export function ssrfCases(env: LabEnv): SecurityCase[] {
  const { site, fetchOpts, config } = env;
  const expected = `${vectorTotal}/${vectorTotal} refused, canary 0`;
  let redisP: Promise<{ redis: Redis; stop(): Promise<void> }> | null = null;
  const redisForPolite = () =>
    (redisP ??= (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'newsloom-sec-redis-'));
      const spawned = await spawnRedis({ port: await freePort(), dir, appendonly: false });
      const stop = async () => {
        await spawned.stop();
        rmSync(dir, { recursive: true, force: true });
      };
      return { redis: new Redis(spawned.url, { maxRetriesPerRequest: null }), stop };
    })());

  const cases: SecurityCase[] = [
    {
      id: 'X1', title: 'guarded client (cli extract, parse-feed)', expected, quick: true,
      run: () => sweep(env, (v) => outcome(() => httpGet(v.url, fetchOpts))),
    },
    {
      id: 'X2', title: 'redirect 301/302/303/307/308 to vector', expected, quick: true,
      run: () =>
        sweep(env, (v, i) => {
          const status = REDIRECT_STATUSES[i % REDIRECT_STATUSES.length]!;
          return outcome(() => httpGet(`${site.origin}/redirect?status=${status}&to=${encodeURIComponent(v.url)}`, fetchOpts)).then((o) => sameHost(o, v.url, site.origin));
        }),
    },
    {
      id: 'X1poll', title: 'worker GET: feed URL, article link, robots', expected, quick: true,
      async run() {
        const { redis } = await redisForPolite();
        const prefix = `sec${Date.now()}`;
        const parts = { gate: redisHostGate(redis, prefix), robots: redisRobotsCache(redis, prefix) };
        const opts: PoliteGetOptions = { ...fetchOpts, robots: true, perHost: { maxConcurrent: 2, minIntervalMs: 0 }, maxWaitMs: 2_000 };
        return sweep(env, (v) => outcome(() => politeGet(v.url, opts, parts)));
      },
    },
    {
      id: 'X2poll', title: 'worker GET: redirect to vector', expected, quick: true,
      async run() {
        const { redis } = await redisForPolite();
        const prefix = `sec${Date.now()}r`;
        const parts = { gate: redisHostGate(redis, prefix), robots: redisRobotsCache(redis, prefix) };
        const opts: PoliteGetOptions = { ...fetchOpts, robots: true, perHost: { maxConcurrent: 4, minIntervalMs: 0 }, maxWaitMs: 2_000 };
        return sweep(env, (v, i) => {
          const status = REDIRECT_STATUSES[(i + 2) % REDIRECT_STATUSES.length]!;
          return outcome(() => politeGet(`${site.origin}/redirect?status=${status}&to=${encodeURIComponent(v.url)}`, opts, parts)).then((o) => sameHost(o, v.url, site.origin));
        });
      },
    },
    {
      id: 'X1add', title: '`feeds add URL` (discovery)', expected, quick: true,
      run: () => sweep(env, (v) => outcome(() => resolveFeedUrl(v.url, { fetch: { ...config.fetch, timeout: fetchOpts.timeoutMs } }))),
    },
    {
      id: 'X2add', title: '`feeds add` page linking a vector feed', expected: `${vectorTotal}/${vectorTotal} not taken, canary 0`, quick: true,
      async run() {
        return sweep(
          env,
          async (v, i) => {
            // Each try also probes the page's common feed paths: --quick samples every third vector.
            if (env.quick && i % 3 !== 0) return { code: 'SKIPPED', message: '' };
            const path = `/discover/${i}`;
            site.route(path, (_req, res) =>
              res.writeHead(200, { 'content-type': 'text/html' }).end(
                `<!doctype html><html><head><title>x</title><link rel="alternate" type="application/rss+xml" href="${v.url.replace(/"/g, '&quot;')}"></head><body><a href="${v.url.replace(/"/g, '&quot;')}">feed</a></body></html>`,
              ),
            );
            const o = await outcome(() => resolveFeedUrl(`${site.origin}${path}`, { fetch: { ...config.fetch, timeout: fetchOpts.timeoutMs } }));
            return o;
          },
          'lenient',
        );
      },
    },
    {
      id: 'X1enr', title: 'HTTP enrichment stage URL', expected, quick: true,
      run: () =>
        sweep(env, async (v) => {
          const client = { ...httpOptions(config.fetch, config.enrich.http.maxBytes), timeoutMs: Math.min(fetchOpts.timeoutMs, config.enrich.http.timeout) };
          let stage;
          try {
            stage = httpStage({ url: v.url, client });
          } catch (err) {
            // new URL() in the stage's name: refused when the config is loaded.
            return { code: 'NL_URL', message: `stage not created: ${(err as Error).message}` };
          }
          const article = makeArticle();
          return outcome(() => Promise.resolve(stage.run(article, { options: {}, signal: AbortSignal.timeout(30_000), terms: { documents: 0, documentFrequency: () => 0 } })));
        }),
    },
    {
      id: 'X2enr', title: 'HTTP enrichment stage, redirect', expected: `${vectorTotal}/${vectorTotal} not followed, canary 0`, quick: true,
      run: () =>
        sweep(
          env,
          (v, i) => {
            const client = { ...httpOptions(config.fetch, config.enrich.http.maxBytes), timeoutMs: fetchOpts.timeoutMs };
            const status = REDIRECT_STATUSES[i % REDIRECT_STATUSES.length]!;
            const stage = httpStage({ url: `${site.origin}/redirect?status=${status}&to=${encodeURIComponent(v.url)}`, client });
            return outcome(() => Promise.resolve(stage.run(makeArticle(), { options: {}, signal: AbortSignal.timeout(30_000), terms: { documents: 0, documentFrequency: () => 0 } })));
          },
          'lenient',
        ),
    },
    {
      id: 'F10', title: '429 + Retry-After: 3600', expected: 'host parked ≥ 3600 s; 0 requests meanwhile', quick: true,
      async run() {
        const { redis } = await redisForPolite();
        const prefix = `sec${Date.now()}w`;
        const parts = { gate: redisHostGate(redis, prefix), robots: redisRobotsCache(redis, prefix) };
        const opts: PoliteGetOptions = { ...fetchOpts, robots: true, perHost: { maxConcurrent: 2, minIntervalMs: 0 }, maxWaitMs: 2_000 };
        site.route('/busy', (_req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end('slow down'));
        const first = await politeGet(`${site.origin}/busy`, opts, parts).then(() => null, (err: unknown) => err as { code?: string; retryAtMs?: number });
        const okBefore = site.hits('/ok');
        const second = await politeGet(`${site.origin}/ok`, opts, parts).then(() => null, (err: unknown) => err as { code?: string; retryAtMs?: number });
        const waitS = Math.round(((second?.retryAtMs ?? 0) - Date.now()) / 1000);
        return {
          observed: `first ${first?.code}; next request to the host: ${second?.code} for ${waitS} s; ${site.hits('/ok') - okBefore} requests sent`,
          pass: first?.code === 'NL_WAIT' && second?.code === 'NL_WAIT' && waitS >= 3_590 && site.hits('/ok') === okBefore,
        };
      },
    },
    {
      id: 'F9', title: 'feed failing for 72 h (every poll)', expected: `never disabled; backoff ≤ poll.maxBackoff`, quick: true,
      async run() {
        const policy = { intervalMs: config.poll.interval, maxBackoffMs: config.poll.maxBackoff, maxIntervalMs: config.poll.maxInterval };
        let now = 0;
        let polls = 0;
        let longest = 0;
        // A fake clock: poll, fail, plan the next poll, for 72 hours of failures.
        while (now < 72 * 3_600_000) {
          polls++;
          const next = planNextPoll({ kind: 'error', consecutiveFailures: polls, askedMs: [] }, policy, now);
          longest = Math.max(longest, next - now);
          now = next;
        }
        const after = planNextPoll({ kind: 'ok', askedMs: [] }, policy, now) - now;
        return {
          observed: `${polls} polls in 72 h, longest gap ${Math.round(longest / 60_000)} min (max ${Math.round(policy.maxBackoffMs / 60_000)}); after recovery next in ${Math.round(after / 60_000)} min`,
          pass: Number.isFinite(longest) && longest <= policy.maxBackoffMs && polls > 1 && after <= Math.max(policy.intervalMs, 0) + 1,
        };
      },
    },
    ...webhookCases(env, expected),
    rebinding(env),
    {
      id: 'X6', title: 'allowlist is not a bypass: other ports', expected: 'canary 0', quick: true,
      async run() {
        // newsloom has no per-host allowlist, only allowPrivateNetworks (all or nothing): nothing to leak through.
        const before = env.canaries.hits();
        const o = await outcome(() => httpGet('http://127.0.0.1:6379/', fetchOpts));
        return { observed: `no allowlist setting; 127.0.0.1:6379 → ${o.code}, canary ${env.canaries.hits() - before}`, pass: REFUSED.has(o.code) && env.canaries.hits() === before };
      },
    },
    {
      id: 'X-pipe', title: 'OPML import + start --once: feeds, links, redirects, enrichment', expected: 'every vector failed NL_SSRF/NL_URL or refused by config, canary 0', quick: true,
      async run() {
        const r = await pipelineRun(env);
        return r.ssrf;
      },
    },
  ];
  // Close the Redis used by the polite GET cases (X1poll, X2poll, F10) after the last of them.
  const last = cases.findIndex((c) => c.id === 'F10');
  const inner = cases[last]!.run;
  cases[last]!.run = async () => {
    try {
      return await inner();
    } finally {
      const r = await redisP;
      r?.redis.disconnect();
      await r?.stop();
    }
  };
  return cases;
}

/** Catalogue X4: a TTL-0 name that answers public and private in turn; the validated address is the one connected to. */
function rebinding(env: LabEnv): SecurityCase {
  const tries = env.quick ? 30 : 100;
  return {
    id: 'X4', title: `DNS rebinding, TTL 0, ${tries} tries`, expected: 'each try public or refused; canary 0', quick: true,
    async run() {
      const before = env.canaries.hits();
      const qBefore = env.dns.queries('rebind.test');
      const counts = new Map<string, number>();
      for (let i = 0; i < tries; i++) {
        const o = await outcome(() => httpGet('http://rebind.test:8080/ok', env.fetchOpts));
        counts.set(o.code, (counts.get(o.code) ?? 0) + 1);
      }
      const hits = env.canaries.hits() - before;
      const shown = [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
      const onlyExpected = [...counts.keys()].every((k) => k === 'ok 200' || k === 'NL_SSRF');
      return {
        observed: `${shown}; ${env.dns.queries('rebind.test') - qBefore} DNS queries; canary ${hits}`,
        pass: hits === 0 && onlyExpected && (counts.get('NL_SSRF') ?? 0) > 0,
      };
    },
  };
}
