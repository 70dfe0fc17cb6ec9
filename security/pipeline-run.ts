import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRedis } from '../adapters/redis/spawn-redis.js';
import { DEFAULT_STAGES } from '../stages/enrich/builtin-stages.js';
import type { CaseResult } from './report.js';
import type { LabEnv } from './cases-ssrf.js';
import { articleHtml, registerContentPages, rss, type ContentPage } from './content-fixtures.js';
import { VECTORS } from './vectors.js';
import { xssPayloads } from './xss-payloads.js';

export interface PipelineResult {
  ssrf: CaseResult;
  /** Exit code, stdout (the run summary) and stderr of `start --once`. */
  code: number | null;
  stdout: string;
  stderr: string;
  dbPath: string;
  configPath: string;
  redisUrl: string;
  prefix: string;
  pages: ContentPage[];
  origin: string;
  ms: number;
  /** Canary hits during the run. */
  canaryHits: number;
  stop(): Promise<void>;
}

const BIN = new URL('../bin/newsloom.mjs', import.meta.url).pathname;
let running: Promise<PipelineResult> | null = null;
// --quick keeps the cheap built-in stages: the hostile input is in pages and feeds, not in what NER makes of clean text.
const QUICK_STAGES = ['language', 'wordcount', 'summary'];

/**
 * One real `newsloom feeds import` + `newsloom start --once` in the lab, shared by the cases that
 * check it: feeds imported from OPML (every SSRF vector as a feed URL), a public feed whose items
 * link to every vector and to redirects to every vector, a feed that moved to a private address,
 * HTTP enrichment stages at private addresses, and the content pages of catalogue E.
 */
export function pipelineRun(env: LabEnv): Promise<PipelineResult> {
  return (running ??= run(env));
}

function cli(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NEWSLOOM_CONFIG: '', REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const xmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

async function run(env: LabEnv): Promise<PipelineResult> {
  const { site } = env;
  const payloads = xssPayloads(site.origin);
  const started = performance.now();
  const hitsBefore = env.canaries.hits();
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-sec-pipe-'));
  const redis = await spawnRedis({ port: await freePort(), dir: join(dir, 'redis'), appendonly: false });
  const prefix = 'secpipe';

  site.route('/feeds/links.xml', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Links to vectors', VECTORS.map((v, i) => ({ link: v.url, title: `vector ${i} ${payloads[i % payloads.length]}` })))),
  );
  site.route('/feeds/redirect-links.xml', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
      rss('Redirects to vectors', VECTORS.map((v, i) => ({ link: `${site.origin}/redirect?status=${[301, 302, 303, 307, 308][i % 5]}&to=${encodeURIComponent(v.url)}&i=${i}`, title: `redirect ${i}` }))),
    ),
  );
  site.route('/feeds/moved.xml', (_req, res) => void res.writeHead(301, { location: 'http://127.0.0.1/moved.xml' }).end());
  const pages = registerContentPages(site);
  // Hostile feed titles (job data on Bull Board) and a hostile URL (failure reasons on the status page).
  const hostileLinks = [`${site.origin}/nope/"><img src=x onerror=alert(1)>`, `${site.origin}/nope?q=<script>alert(1)</script>`];
  site.route('/feeds/content.xml', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
      rss('Hostile <script>alert(1)</script> content', [
        ...pages.map((p, i) => ({ link: `${site.origin}${p.path}`, title: p.payload ?? `content ${i}` })),
        ...hostileLinks.map((link) => ({ link, title: '<svg onload=alert(1)>' })),
      ]),
    ),
  );
  // Feed-level broken text: invalid bytes and NUL in titles (XML), lone surrogates and NUL in a JSON Feed.
  site.route('/p4/feed-item', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(articleHtml('Feed item page', '<p>Linked from feeds with broken titles.</p>')));
  site.route('/feeds/p4.xml', (_req, res) => {
    const xml = rss('P4 feed', [{ link: `${site.origin}/p4/feed-item?x=1`, title: 'TITLE1' }]);
    const [a, b] = xml.split('TITLE1');
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(Buffer.concat([Buffer.from(a!), Buffer.from([0x42, 0xff, 0x00, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x41]), Buffer.from(b!)]));
  });
  site.route('/feeds/p4.json', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/feed+json' }).end(
      `{"version":"https://jsonfeed.org/version/1.1","title":"P4 \\ud800 json","items":[{"id":"1","url":"${site.origin}/p4/feed-item?x=2","title":"Lone \\ud800 high \\udfff low \\u0000 nul","date_published":"${new Date().toISOString()}"},` +
        `{"id":"2","url":"${site.origin}/p4/feed-item?x=3","title":"Proto","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"date_published":"${new Date().toISOString()}"}]}`,
    ),
  );

  const outlines = [
    ...VECTORS.map((v, i) => `<outline text="vector ${i}" type="rss" xmlUrl="${xmlAttr(v.url)}"/>`),
    ...['links.xml', 'redirect-links.xml', 'moved.xml', 'content.xml', 'p4.xml', 'p4.json'].map((f) => `<outline text="${f}" type="rss" xmlUrl="${site.origin}/feeds/${f}"/>`),
  ];
  const opmlPath = join(dir, 'feeds.opml');
  writeFileSync(opmlPath, `<?xml version="1.0"?><opml version="2.0"><head><title>hostile</title></head><body><outline text="lab">${outlines.join('\n')}</outline></body></opml>`);
  const configPath = join(dir, 'newsloom.yaml');
  const dbPath = join(dir, 'newsloom.db');
  const timeout = Math.round(env.fetchOpts.timeoutMs / 1000);
  writeFileSync(configPath, `# security lab
redis:
  url: ${redis.url}
  prefix: ${prefix}
storage:
  sqlite: ${dbPath}
fetch:
  timeout: ${timeout}s
  perHost:
    maxConcurrent: 8
    minInterval: 0s
queues:
  attempts: 2
  backoff: 50ms
enrich:
  stages:
${(env.quick ? QUICK_STAGES : DEFAULT_STAGES).map((s) => `    - ${s}`).join('\n')}
    - { http: "http://169.254.169.254/latest/meta-data/", name: meta-stage }
    - { http: "http://meta.test/enrich", name: meta-name-stage }
    - { http: "${site.origin}/redirect?status=307&to=${encodeURIComponent('http://10.0.0.1/enrich')}", name: redirect-stage }
log:
  level: warn
feeds: []
`);
  const imported = await cli(['feeds', 'import', opmlPath, '--config', configPath], 120_000);
  const once = await cli(['start', '--once', '--config', configPath, '--timeout', '480'], 600_000);
  const canaryHits = env.canaries.hits() - hitsBefore;

  // Every vector must be either skipped by the import, or a feed that failed with NL_SSRF/NL_URL.
  const config = readFileSync(configPath, 'utf8');
  const details: string[] = [];
  let blocked = 0;
  for (const v of VECTORS) {
    const inConfig = config.includes(`url: ${v.url}`) || config.includes(`url: "${v.url}"`) || config.includes(`url: '${v.url}'`);
    const failedLine = once.stdout.split('\n').find((l) => l.startsWith(`  feeds ${v.url}:`) || l.startsWith(`  feed ${v.url}:`));
    const refusedByImport = imported.stderr.includes(v.url) || !inConfig;
    const ok = refusedByImport || (failedLine !== undefined && /NL_SSRF|NL_URL/.test(failedLine));
    if (ok) blocked++;
    else details.push(`feed ${v.url}: ${failedLine ?? 'no failure reported'}`);
  }
  // Article links and redirects: no fetch job for a vector may have succeeded (each failed with NL_SSRF/NL_URL or was never enqueued).
  const fetchFailures = once.stdout.split('\n').filter((l) => l.startsWith('  fetch '));
  // A Location like `http:/127.0.0.1/x` is relative (WHATWG URL) and stays on the public host: no vector there.
  const stayedPublic = (l: string) => l.includes(`GET ${site.origin}/`) && !/NL_SSRF|NL_URL/.test(l) && !l.includes(`GET ${site.origin}/redirect`);
  const badFetch = fetchFailures.filter((l) => (l.includes('/redirect?') || VECTORS.some((v) => l.startsWith(`  fetch ${v.url}:`))) && !/NL_SSRF|NL_URL/.test(l) && !stayedPublic(l));
  details.push(...badFetch.map((l) => `article link: ${l.trim()}`));
  const ssrfFetchRefused = fetchFailures.filter((l) => /NL_SSRF|NL_URL/.test(l)).length;
  const movedOk = config.includes(`${site.origin}/feeds/moved.xml`) && !config.includes('127.0.0.1/moved.xml');
  if (!movedOk) details.push('X7: the moved feed URL was replaced in the config');
  const importOk = imported.code === 0;
  if (!importOk) details.push(`feeds import exited ${imported.code}: ${imported.stderr.slice(0, 300)}`);
  return {
    ssrf: {
      observed: `feeds blocked ${blocked}/${VECTORS.length}; ${ssrfFetchRefused} article fetches refused; canary ${canaryHits}; exit ${once.code}`,
      pass: importOk && blocked === VECTORS.length && badFetch.length === 0 && canaryHits === 0 && movedOk,
      details,
    },
    code: once.code, stdout: once.stdout, stderr: once.stderr, dbPath, configPath, redisUrl: redis.url, prefix, pages, origin: site.origin,
    ms: Math.round(performance.now() - started), canaryHits,
    stop: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
