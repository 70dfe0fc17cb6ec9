import { z } from 'zod';
import { parseDuration } from './duration.js';
import { EVENT_TYPES } from '../adapters/storage/storage.js';
import { BUILTIN_STAGE_NAMES, DEFAULT_STAGES, isBuiltinStage } from '../stages/enrich/builtin-stages.js';

/** A duration written as "15m", "30s", "6h", "2d" or a number of milliseconds; parsed to ms. */
const durationValue = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "15m", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return ms;
});
const duration = (fallback: string) => durationValue.prefault(fallback);

const httpUrl = (what: string) =>
  z.string({ error: (i) => `expected ${what}, got ${JSON.stringify(i.input)}` }).refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: (i) => `expected ${what}, got ${JSON.stringify(i.input)}` },
  );

const redisUrl = z.string().refine((s) => /^rediss?:\/\/./.test(s), {
  error: (i) => `expected redis:// or rediss:// URL, got ${JSON.stringify(i.input)}`,
});

// The password is not echoed back in the error.
const postgresUrl = z.string().refine((s) => /^postgres(ql)?:\/\/./.test(s), {
  error: (i) => `expected a postgres:// or postgresql:// URL, got ${JSON.stringify(String(i.input).replace(/:[^:@/]*@/, ':***@'))}`,
});

const positiveInt = (fallback: number) => z.number().int().positive().default(fallback);

/** A feed's own per-host limits; unset keys fall back to fetch.perHost. */
const perHostOverride = z.strictObject({
  maxConcurrent: z.number().int().positive().optional().describe('Requests in flight at once to one host, for this feed; default fetch.perHost.maxConcurrent.'),
  minInterval: durationValue.optional().describe('Least time between request starts at one host, for this feed; default fetch.perHost.minInterval.'),
});

export const feedSchema = z.strictObject({
  url: httpUrl('an http:// or https:// feed URL').describe('Feed URL (RSS, Atom or JSON Feed).'),
  name: z.string().min(1).optional().describe('Display name; defaults to the feed title.'),
  interval: durationValue.optional().describe('How often to poll this feed; default poll.interval.'),
  maxItemAge: durationValue.optional().describe('Items older than this are not fetched; default poll.maxItemAge.'),
  tags: z
    .array(z.string().trim().min(1, 'expected a non-empty tag'))
    .optional()
    .describe('Labels for grouping; `feeds import` takes them from OPML folders and categories, `feeds export` writes them back.'),
  robots: z.boolean().optional().describe('Obey robots.txt for this feed and its articles; false only for a site you own. Default fetch.robots.'),
  perHost: perHostOverride.optional().describe('Per-host limits for this feed and its articles; default fetch.perHost.'),
});

/** A receiver of events: each event POSTed as JSON, signed with `secret` (README "Webhooks"). */
const webhookSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "." or "-"').describe('Names the webhook in logs, metrics and `newsloom replay --to webhook NAME`.'),
  url: httpUrl('an http:// or https:// webhook URL').describe('Where events are POSTed; fetch.allowPrivateNetworks decides whether a private address may be called.'),
  secret: z.string().refine((v) => v.length >= 16, { error: (i) => `expected a secret of at least 16 characters, got ${String(i.input).length} character${String(i.input).length === 1 ? '' : 's'}` }).describe('Key of the HMAC-SHA256 in the Newsloom-Signature header.'),
  types: z.array(z.enum(EVENT_TYPES)).min(1).optional().describe('Only these event types are sent; default all.'),
  timeout: duration('10s').describe('Deadline of one delivery, answer included; over it the delivery is retried.'),
});

const MODULE_PATH = /^(\.\.?)?\//;
const stageChoices = () => `a built-in stage (${BUILTIN_STAGE_NAMES.join(', ')}) or a module path starting with ./, ../ or /`;

/** One configured enrichment stage, as the worker loads it. */
export interface EnrichStageEntry {
  kind: 'builtin' | 'module' | 'http';
  /** Built-in name, module path (relative to the config file) or URL. */
  target: string;
  name?: string;
  version?: string;
  options: Record<string, unknown>;
  timeout?: number;
  enabled: boolean;
}

const stageObject = z.strictObject({
  stage: z.string().optional().describe('A built-in stage name.'),
  module: z.string().optional().describe('An ES module path (./, ../ or /; relative to the config file) exporting a stage.'),
  http: httpUrl('an http:// or https:// stage URL').optional().describe('A URL the article is POSTed to; answers with a JSON patch.'),
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "." or "-"').optional().describe('Name the stage is recorded under (enrichment.<name>); default the stage\'s own name, or the URL host.'),
  version: z.string().min(1).optional().describe('HTTP stages only: the version recorded; default the X-Stage-Version header, else "1".'),
  options: z.record(z.string(), z.unknown()).default({}).describe('Options handed to the stage.'),
  timeout: durationValue.optional().describe('Time limit of this stage; default enrich.timeout (HTTP stages: enrich.http.timeout).'),
  enabled: z.boolean().default(true).describe('false skips the stage.'),
});

const stageEntry = z.union([z.string(), stageObject]).transform((value, ctx): EnrichStageEntry => {
  const issue = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (typeof value === 'string') {
    if (MODULE_PATH.test(value)) return { kind: 'module', target: value, options: {}, enabled: true };
    if (isBuiltinStage(value)) return { kind: 'builtin', target: value, options: {}, enabled: true };
    return issue(`expected ${stageChoices()}, got ${JSON.stringify(value)}`);
  }
  const { stage, module, http, ...rest } = value;
  const given = [stage, module, http].filter((v) => v !== undefined).length;
  if (given !== 1) return issue(`expected exactly one of stage, module or http, got ${given === 0 ? 'none' : 'several'}`);
  if (rest.version !== undefined && http === undefined) return issue('expected version only on an http stage; a built-in or module stage declares its own');
  if (http !== undefined && Object.keys(rest.options).length > 0) return issue('expected no options on an http stage; put its settings in its URL');
  if (stage !== undefined && !isBuiltinStage(stage)) return issue(`expected stage to name ${stageChoices().split(' or ')[0]}, got ${JSON.stringify(stage)}`);
  if (module !== undefined && !MODULE_PATH.test(module)) return issue(`expected module to be a path starting with ./, ../ or /, got ${JSON.stringify(module)}`);
  const [kind, target] = stage !== undefined ? (['builtin', stage] as const) : module !== undefined ? (['module', module] as const) : (['http', http!] as const);
  return { kind, target, ...rest };
});

export const configSchema = z.strictObject({
  redis: z
    .strictObject({
      url: redisUrl.optional().describe('Redis URL. Omitted: localhost:6379, or a private redis-server child.'),
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "." or "-"')
        .default('newsloom')
        .describe('Key prefix; written as the Redis Cluster hash tag {prefix}.'),
    })
    .prefault({}),
  storage: z
    .strictObject({
      sqlite: z.string().min(1).optional().describe('SQLite database file (WAL); the default backend, ./data/newsloom.db unless storage.postgres is set.'),
      postgres: postgresUrl.optional().describe('PostgreSQL URL (postgres://user:password@host:port/db); instead of storage.sqlite.'),
      retention: durationValue.optional().describe('Articles first stored longer ago than this ("365d") are removed with their revisions (and settled ledger rows untouched as long), hourly, in batches; omitted: kept forever.'),
    })
    .prefault({})
    .superRefine((s, ctx) => {
      if (s.sqlite !== undefined && s.postgres !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['postgres'], message: 'expected either storage.sqlite or storage.postgres, not both; got both' });
      }
    })
    .transform((s) => ({ ...s, sqlite: s.sqlite ?? './data/newsloom.db' })),
  fetch: z
    .strictObject({
      userAgent: z.string().min(1).default('newsloom/0.1 (+https://github.com/newsloom/newsloom)').describe('User-Agent sent with every request.'),
      allowPrivateNetworks: z.boolean().default(false).describe('Allow loopback and private addresses (tests, intranets).'),
      timeout: duration('30s').describe('Total deadline for one request, redirects and body included.'),
      connectTimeout: duration('10s').describe('Per hop: time to establish the connection.'),
      firstByteTimeout: duration('15s').describe('Per hop: time from connecting to the first byte of the answer.'),
      maxPageBytes: positiveInt(5 * 1024 * 1024).describe('Largest article page accepted, after decompression.'),
      maxFeedBytes: positiveInt(10 * 1024 * 1024).describe('Largest feed accepted, after decompression.'),
      maxRedirects: z.number().int().min(0).max(20).default(5).describe('Redirect hops followed.'),
      robots: z.boolean().default(true).describe('Fetch, cache (24 h, in Redis) and obey robots.txt, crawl-delay included; a feed may set robots: false.'),
      perHost: z
        .strictObject({
          maxConcurrent: positiveInt(2).describe('Requests in flight at once to one host, over all workers and machines.'),
          minInterval: duration('1s').describe('Least time between two request starts at one host, over all workers and machines.'),
        })
        .prefault({})
        .describe('Politeness per host, enforced in Redis; a feed may override it with perHost.'),
    })
    .prefault({}),
  poll: z
    .strictObject({
      interval: duration('15m').describe('Default poll interval of a feed.'),
      maxItems: positiveInt(200).describe('Items taken from one poll of one feed.'),
      maxItemAge: duration('7d').describe('Items published longer ago than this are not fetched (a first poll of an old feed).'),
      maxBackoff: duration('24h').describe('Longest wait between polls of a failing feed.'),
      maxInterval: duration('24h').describe('Longest wait a feed may ask for (Cache-Control, ttl, sy:updatePeriod).'),
    })
    .prefault({}),
  queues: z
    .strictObject({
      attempts: positiveInt(5).describe('Tries per job for transient faults.'),
      backoff: duration('5s').describe('First retry delay; doubles on each try.'),
      maxWait: duration('2d').describe('How long after it was created a job may still be parked for a host (429/503, robots.txt down) without spending a try.'),
      lockDuration: duration('15s').describe('How long a worker holds a job without renewing its lock (renewed every half of it); a job whose worker died is taken back after this plus stalledInterval.'),
      stalledInterval: duration('5s').describe('How often each worker looks for jobs whose lock lapsed (their worker died or froze) and puts them back: one small Lua script per queue, run by one worker at a time.'),
      maxStalledCount: z.number().int().min(0).default(3).describe('Times one job may be taken back from a dead or frozen worker before it fails "job stalled more than allowable limit".'),
      highWater: z.number().int().min(0).default(100).describe('Jobs waiting in a stage\'s next queue at which the stage (fetch, extract, normalise, dedupe, enrich) starts no more jobs until it drains: the CPU then goes to finishing articles, and a backlog waits as small fetch jobs instead of fetched pages. Counted over every process; 0 turns it off.'),
      keepCompleted: z.number().int().min(0).default(1000).describe('Completed jobs kept per queue.'),
      keepFailed: z.number().int().min(0).default(50_000).describe('Failed jobs kept per queue, for inspection.'),
      concurrency: z
        .strictObject({
          feeds: positiveInt(4),
          fetch: positiveInt(16),
          extract: positiveInt(4),
          normalise: positiveInt(4),
          dedupe: positiveInt(4),
          enrich: positiveInt(4),
          store: positiveInt(4),
        })
        .prefault({})
        .describe('Jobs run at once per stage in one process.'),
    })
    .prefault({}),
  ledger: z
    .strictObject({
      staleAfter: duration('15m').describe('An accepted item still pending this long after it was last enqueued or checked, with no job of it in any queue (Redis lost it), is enqueued again; keep it above the time a job may wait between tries.'),
      reconcileEvery: duration('1m').describe('How often one process running the feeds stage looks for such items (one at a time over every process, under a Redis lock).'),
    })
    .prefault({})
    .describe('The storage ledger of accepted items and its reconciler (README "Guarantees").'),
  extract: z
    .strictObject({
      dom: z.enum(['jsdom', 'linkedom']).default('linkedom').describe('DOM pages are parsed into: linkedom (5x faster than jsdom, same F1 on the dev corpus) or jsdom (spec-exact HTML5 parsing).'),
      threads: positiveInt(2).describe('Worker threads extracting pages in one process; extraction is CPU-bound, so at most the cores. Each thread has a 128 MB young generation (V8 default 48): 6–13% less CPU per page for up to ~110 MB more RSS a thread.'),
      timeBudget: duration('20s').describe('Longest one page may take to extract; a page over it is stopped with its thread and fails NL_EXTRACT_TIMEOUT.'),
      maxHtmlBytes: positiveInt(5_000_000).describe('Largest decoded page (characters of HTML) extraction accepts; larger pages fail NL_PAGE_TOO_LARGE.'),
    })
    .prefault({}),
  normalise: z
    .strictObject({
      trackingParams: z.array(z.string().min(1)).default([]).describe('More query parameters to drop from article URLs (utm_*, fbclid, gclid… are always dropped).'),
    })
    .prefault({}),
  dedupe: z
    .strictObject({
      window: duration('7d').describe('How long an article can be matched by later copies; its signature, LSH buckets and content hash expire after this.'),
      threshold: z.number().min(0).max(1).default(0.53).describe('Least estimated Jaccard similarity of word shingles for a copy to join a story; npm run bench:dedupe prints precision/recall per threshold.'),
      shingle: z.number().int().min(1).max(12).default(5).describe('Words per shingle. Changing shingle, hashes, bands or rows makes signatures already in Redis incomparable: change them with an empty index or wait out dedupe.window.'),
      hashes: z.number().int().min(16).max(1024).default(128).describe('MinHash values per signature (4 bytes each in Redis).'),
      bands: positiveInt(16).describe('LSH bands: more find weaker copies; each costs one Redis key per article.'),
      rows: positiveInt(2).describe('MinHash values per LSH band; bands × rows must not exceed hashes.'),
    })
    .refine((d) => d.bands * d.rows <= d.hashes, { error: 'expected bands × rows ≤ hashes', path: ['bands'] })
    .prefault({}),
  enrich: z
    .strictObject({
      stages: z
        .array(stageEntry)
        .prefault([...DEFAULT_STAGES])
        .describe('Enrichment stages in the order they run: a built-in name, a module path, or { stage | module | http, name, version, options, timeout, enabled }.'),
      timeout: duration('20s').describe('Default time limit of one stage on one article, counted from when a thread takes it: a guard against a stage that spins, generous enough that a loaded machine does not kill healthy stages (each kill reloads the thread).'),
      threads: z.number().int().min(0).default(1).describe('Worker threads running the built-in and module stages in one process; each loads every such stage (about 350 MB with the built-ins, which then no longer load in the worker itself). A stage past its time limit or memory cap is killed with its thread, which is replaced. 0 runs them on the worker\'s own thread, where a spinning stage cannot be stopped. More than 1 uses more cores in one process; more processes do the same.'),
      threadMemory: positiveInt(1024).describe('V8 heap cap of each enrichment thread, in MB; a stage that exceeds it fails NL_ENRICH_MEMORY and its thread is replaced.'),
      http: z
        .strictObject({
          timeout: duration('5s').describe('Deadline of one HTTP stage request, body included; the default time limit of an HTTP stage.'),
          maxBytes: positiveInt(1024 * 1024).describe('Largest HTTP stage answer accepted.'),
        })
        .prefault({})
        .describe('HTTP stages: requests go through the guarded client (fetch.allowPrivateNetworks applies).'),
    })
    .prefault({}),
  events: z
    .strictObject({
      maxLen: positiveInt(100_000).describe('Approximate length the <prefix>:events stream is trimmed to.'),
      feedFailingAfter: positiveInt(3).describe('Failed poll tries in a row (each retry counts) after which feed.failing is announced; the next successful poll announces feed.recovered.'),
      webhooks: z
        .array(webhookSchema)
        .default([])
        .superRefine((hooks, ctx) => {
          const seen = new Set<string>();
          hooks.forEach((h, i) => {
            if (seen.has(h.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `expected a name no other webhook has, got ${JSON.stringify(h.name)} twice` });
            seen.add(h.name);
          });
        })
        .describe('Receivers every event is POSTed to, signed, in order, each through its own delivery cursor.'),
      delivery: z
        .strictObject({
          attempts: positiveInt(100).describe('Tries of one webhook delivery job; the next event or restart starts a new one from the same cursor, so nothing is skipped.'),
          backoff: duration('1s').describe('First retry delay of a failed webhook delivery; doubles on each try.'),
          maxBackoff: duration('5m').describe('Cap on the retry delay of a failed webhook delivery.'),
        })
        .prefault({}),
    })
    .prefault({}),
  dashboard: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(3000).describe('Port of Bull Board, /health, /metrics, /api/feeds.'),
      host: z.string().default('127.0.0.1').describe('Address the dashboard binds to.'),
      enabled: z.boolean().default(true).describe('Serve the dashboard from `newsloom start`.'),
    })
    .prefault({}),
  api: z
    .strictObject({
      token: z.string().min(16, 'expected a token of at least 16 characters (e.g. `openssl rand -hex 32`)').regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces').optional()
        .describe('When set, every /api/* request needs "Authorization: Bearer <token>" (else 401), and the dashboard pages (/, /queues, /metrics) need it too or a login at /login; /healthz and /readyz stay open.'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
      format: z.enum(['auto', 'json', 'pretty']).default('auto').describe('json: one JSON object per line; pretty: pino-pretty; auto: pretty when stderr is a terminal, else json.'),
    })
    .prefault({}),
  shutdown: z
    .strictObject({
      grace: duration('30s').describe('On SIGTERM/SIGINT, how long active jobs may run to completion before workers are closed forcibly (jobs still running then go back to the queue at once, without spending a try).'),
    })
    .prefault({}),
  feeds: z.array(feedSchema).default([]).describe('Feeds to poll.'),
});

export type Config = z.infer<typeof configSchema>;
export type FeedConfig = z.infer<typeof feedSchema>;
