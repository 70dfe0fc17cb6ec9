import { spawn } from 'node:child_process';
import { FeedParserPool } from '../adapters/feed-parser-thread/feed-parser-pool.js';
import { parseFeedDocument } from '../stages/feeds/parse-feed-document.js';
import { sanitiseHtml } from '../stages/extract/sanitise-html.js';
import type { LabEnv } from './cases-ssrf.js';
import { articleHtml, rss } from './content-fixtures.js';
import { pipelineRun } from './pipeline-run.js';
import { badStoredStrings, failureOf, storedArticles } from './stored-articles.js';
import type { CaseResult, SecurityCase } from './report.js';
import { openOwnPages, renderInChromium } from './render-xss.js';
import { startRunDashboard } from './dashboard-pages.js';
import { xmlBombs } from './xml-bombs.js';

const MiB = 1024 ** 2;
// Catalogue P9: a pathological title is "truncated with a note". No real headline comes near this.
const MAX_TITLE = 10_000;

export function contentCases(env: LabEnv): SecurityCase[] {
  const { site } = env;
  const pool = () => new FeedParserPool({ size: 1 });
  // One warm parser thread for the P1 bombs, as a worker has: thread start-up is not the parse's time.
  let warm: Promise<FeedParserPool> | null = null;
  const warmPool = () =>
    (warm ??= (async () => {
      const p = pool();
      await p.parse(Buffer.from(rss('warm', [{ link: `${site.origin}/w`, title: 'w' }])), { contentType: null, url: `${site.origin}/warm.xml` });
      return p;
    })());
  const pipeline = () => pipelineRun(env);
  const cases: SecurityCase[] = [];

  for (const bomb of xmlBombs(site.origin)) {
    cases.push({
      id: bomb.id, title: bomb.title, quick: true, expected: '0 expansions, 0 outbound, < 2 s, items parsed',
      async run(): Promise<CaseResult> {
        const p = await warmPool();
        const hitsBefore = env.canaries.hits() + site.hits('/xxe') + site.hits('/xxe-param') + site.hits('/xxe-dtd');
        const started = performance.now();
        let observed: string;
        let ok: boolean;
        try {
          const doc = await p.parse(Buffer.from(bomb.xml), { contentType: 'application/rss+xml', url: `${site.origin}/bomb.xml` });
          const longest = Math.max(0, ...doc.items.map((i) => JSON.stringify(i).length));
          const leaked = JSON.stringify(doc).includes('root:x:0:0');
          observed = `${doc.items.length} items, longest item ${longest} chars${leaked ? ', /etc/passwd leaked' : ''}`;
          ok = longest < 20_000 && !leaked && doc.items.length >= bomb.minItems;
        } catch (err) {
          observed = `refused ${(err as { code?: string }).code ?? ''}: ${String((err as Error).message).slice(0, 80)}`;
          ok = bomb.minItems === 0;
        }
        const ms = Math.round(performance.now() - started);
        if (bomb.last) await p.close();
        const outbound = env.canaries.hits() + site.hits('/xxe') + site.hits('/xxe-param') + site.hits('/xxe-dtd') - hitsBefore;
        return { observed: `${observed}; outbound ${outbound}; ${ms} ms`, pass: ok && outbound === 0 && ms < 2_000 };
      },
    });
  }

  cases.push({
    id: 'P2', title: '10,000-item feed, one feeds worker', quick: true, expected: '10,000 enqueued, peak RSS < 300 MB',
    async run() {
      const N = 10_000;
      const body = rss('Ten thousand', Array.from({ length: N }, (_, i) => ({ link: `${site.origin}/big/${i}`, title: `Item number ${i} of the big feed` })));
      site.route('/feeds/big.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
      const child = new URL('./big-feed-child.ts', import.meta.url).pathname;
      const out = await new Promise<string>((resolve) => {
        const c = spawn(process.execPath, [...process.execArgv.filter((a) => a !== '--expose-gc'), child, `${site.origin}/feeds/big.xml`, String(N)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let s = '';
        c.stdout.on('data', (d: Buffer) => (s += d.toString()));
        c.on('close', () => resolve(s));
      });
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { enqueued?: number; maxRssMb?: number; ms?: number; failed?: string | null };
      return {
        observed: `${r.enqueued} enqueued of ${N} (${(body.length / MiB).toFixed(1)} MB feed), peak RSS ${r.maxRssMb} MB, ${r.ms} ms${r.failed ? `; ${r.failed}` : ''}`,
        pass: r.enqueued === N && (r.maxRssMb ?? Infinity) < 300,
      };
    },
  });

  cases.push({
    id: 'P3', title: '100k nested XML elements / JSON arrays', quick: true, expected: 'parse or clean failure; pool lives',
    async run() {
      const p = pool();
      const deepXml = `<?xml version="1.0"?><rss version="2.0"><channel><title>deep</title><item><title>ok</title><link>${site.origin}/x</link></item>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</channel></rss>`;
      const deepJson = `{"version":"https://jsonfeed.org/version/1.1","title":"deep","items":[{"id":"1","url":"${site.origin}/x","title":"ok","tags":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
      const outcomes: string[] = [];
      let clean = true;
      for (const [name, text] of [['xml', deepXml], ['json', deepJson]] as const) {
        try {
          const doc = await p.parse(Buffer.from(text), { contentType: null, url: `${site.origin}/deep.${name}` });
          outcomes.push(`${name}: ${doc.items.length} items`);
        } catch (err) {
          const code = (err as { code?: string }).code;
          outcomes.push(`${name}: ${code}`);
          if (typeof code !== 'string' || !code.startsWith('NL_')) clean = false;
        }
      }
      const after = await p.parse(Buffer.from(rss('after', [{ link: `${site.origin}/y`, title: 'y' }])), { contentType: null, url: `${site.origin}/after.xml` });
      await p.close();
      return { observed: `${outcomes.join(', ')}; then ${after.items.length} item parsed`, pass: clean && after.items.length === 1 };
    },
  });

  cases.push({
    id: 'P8', title: 'JSON Feed __proto__ pollution', quick: true, expected: '({}).polluted undefined',
    async run() {
      const json = `{"version":"https://jsonfeed.org/version/1.1","title":"p","__proto__":{"polluted":1},"items":[{"id":"1","url":"${site.origin}/x","title":"t","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"_ext":{"__proto__":{"polluted":1}}}]}`;
      const doc = parseFeedDocument(json, { contentType: 'application/feed+json', url: `${site.origin}/p.json` });
      const p = pool();
      const threaded = await p.parse(Buffer.from(json), { contentType: 'application/feed+json', url: `${site.origin}/p.json` });
      await p.close();
      const polluted = ({} as Record<string, unknown>).polluted;
      const itemPolluted = (doc.items[0] as unknown as Record<string, unknown>)?.polluted ?? (threaded.items[0] as unknown as Record<string, unknown>)?.polluted;
      return { observed: `({}).polluted = ${String(polluted)}; item.polluted = ${String(itemPolluted)}; ${doc.items.length} item`, pass: polluted === undefined && itemPolluted === undefined && doc.items.length === 1 };
    },
  });

  cases.push({
    id: 'P4', title: 'invalid UTF-8, overlong, NUL, UTF-16, BOM', quick: true, expected: 'stored text valid UTF-8, no NUL; 0 crashes',
    async run() {
      const r = await pipeline();
      const bad = badStoredStrings(r);
      const pages = r.pages.filter((p) => p.group === 'utf8');
      const stored = storedArticles(r);
      const outcomes = pages.map((p) => {
        const url = `${r.origin}${p.path}`;
        const art = stored.find((a) => a.url === url);
        return art ? 'stored' : failureOf(r, url) ? 'failed' : 'missing';
      });
      const feedItems = stored.filter((a) => a.url.includes('/p4/feed-item')).length;
      const missing = pages.filter((_, i) => outcomes[i] === 'missing').map((p) => p.path);
      return {
        observed: `${outcomes.filter((o) => o === 'stored').length} stored, ${outcomes.filter((o) => o === 'failed').length} failed w/ reason, ${missing.length} lost of ${pages.length} pages; ${feedItems} feed items; ${bad.length} bad strings`,
        pass: bad.length === 0 && missing.length === 0,
        details: [...bad, ...missing.map((m) => `${m}: neither stored nor failed with a reason`)],
      };
    },
  });

  cases.push({
    id: 'P5', title: 'stored-HTML XSS rendered in Chromium', quick: true, expected: '0 script runs, 0 latent, idempotent',
    async run() {
      const r = await pipeline();
      const stored = storedArticles(r);
      const xss = r.pages.filter((p) => p.group === 'xss');
      const details: string[] = [];
      const urls: string[] = [];
      let notStored = 0;
      let nonIdempotent = 0;
      xss.forEach((p, i) => {
        const art = stored.find((a) => a.url === `${r.origin}${p.path}`);
        if (!art) {
          notStored++;
          details.push(`${p.path} not stored: ${failureOf(r, `${r.origin}${p.path}`) ?? 'no reason'} (payload ${p.payload})`);
          return;
        }
        if (sanitiseHtml(art.doc.html, art.url) !== art.doc.html) {
          nonIdempotent++;
          details.push(`${p.path}: sanitise(stored) != stored`);
        }
        const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        site.route(`/render/${i}`, (_req, res) =>
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
            `<!doctype html><html><head><meta charset="utf-8"><title>${esc(art.title)}</title></head><body><h1>${esc(art.doc.title)}</h1><article>${art.doc.html}</article></body></html>`,
          ),
        );
        urls.push(`${r.origin}/render/${i}`);
      });
      const rendered = await renderInChromium(site, urls);
      const executions = rendered.reduce((n, o) => n + o.executions, 0);
      const latent = rendered.filter((o) => o.latent.length > 0);
      for (const o of rendered.filter((x) => x.executions > 0 || x.latent.length > 0)) {
        const i = Number(o.url.split('/').pop());
        details.push(`${o.url}: ${o.executions} executions, latent ${o.latent.join(' ')} (payload ${xss[i]?.payload})`);
      }
      return {
        observed: `${rendered.length}/${xss.length} rendered; ${executions} script runs; ${latent.length} latent; ${nonIdempotent} non-idempotent; ${notStored} not stored`,
        pass: executions === 0 && latent.length === 0 && nonIdempotent === 0 && rendered.length > 0,
        details,
      };
    },
  });

  cases.push({
    id: 'P5own', title: "newsloom's own pages: status, Bull Board, API", quick: true, expected: '0 script runs; status page: 0 handlers',
    async run() {
      const r = await pipeline();
      const dash = await startRunDashboard(r);
      try {
        // The status page promises "no script": any inline handler or script URL on it is a finding. Bull Board is an SPA with its own scripts.
        const outcomes = await openOwnPages(site, dash.urls.map((url) => ({ url, probe: new URL(url).pathname === '/' })));
        const executions = outcomes.reduce((n, o) => n + o.executions, 0);
        const latent = outcomes.filter((o) => o.latent.length > 0);
        return {
          observed: `${outcomes.length} pages opened; ${executions} script runs; ${latent.length} pages with handlers`,
          pass: executions === 0 && latent.length === 0,
          details: outcomes.filter((o) => o.executions > 0 || o.latent.length > 0).map((o) => `${o.url}: ${o.executions} runs; ${o.latent.slice(0, 5).join(' ')}`),
        };
      } finally {
        await dash.stop();
      }
    },
  });

  cases.push({
    id: 'P6', title: 'jsdom side effects (script, img, css, iframe)', quick: true, expected: '0 fetched, 0 canary',
    async run() {
      const r = await pipeline();
      const p6hits = ['/p6/script', '/p6/img.png', '/p6/style.css', '/p6/frame', '/p6/object', '/p6/video', '/p6/import.css', '/p6/refresh'].reduce((n, p) => n + site.hits(p), 0);
      const art = storedArticles(r).find((a) => a.url === `${r.origin}/p6/page`);
      return {
        observed: `page ${art ? 'stored' : (failureOf(r, `${r.origin}/p6/page`) ?? 'missing')}; subresource requests ${p6hits}; canary during run ${r.canaryHits}`,
        pass: p6hits === 0 && r.canaryHits === 0 && art !== undefined,
      };
    },
  });

  cases.push({
    id: 'P7', title: '100 MB page, 31 MB, 100k nested <div>', quick: true, expected: 'fail with reason; worker lives',
    async run() {
      const r = await pipeline();
      const pages = r.pages.filter((p) => p.group === 'huge');
      const details: string[] = [];
      let ok = 0;
      for (const p of pages) {
        const line = failureOf(r, `${r.origin}${p.path}`);
        if (line?.includes(p.mustFail!)) ok++;
        else details.push(`${p.path}: expected ${p.mustFail}, got ${line ?? 'no failure'}`);
      }
      // The worker lived: the same process went on to store the pages after them in the feed, and exited by itself.
      const later = storedArticles(r).filter((a) => a.url.includes('/p9/')).length;
      return {
        observed: `${ok}/${pages.length} failed with the expected reason; ${later} later pages stored; start --once exit ${r.code}`,
        pass: ok === pages.length && later > 0 && r.code !== null,
        details,
      };
    },
  });

  cases.push({
    id: 'P9', title: '1 MB title, 100k-char URL, 10k authors', quick: true, expected: `stored with title ≤ ${MAX_TITLE} chars, or failed w/ reason`,
    async run() {
      const r = await pipeline();
      const stored = storedArticles(r);
      const outcomes = r.pages.filter((p) => p.group === 'strings').map((p) => {
        const url = `${r.origin}${p.path}`;
        const art = stored.find((a) => a.url === url || a.url.startsWith(`${r.origin}${p.path.split('?')[0]}`));
        if (art) return `${p.path.slice(0, 20)}: stored, title ${art.title.length} chars, ${art.doc.authors.length} authors`;
        const f = failureOf(r, url);
        return `${p.path.slice(0, 20)}: ${f ? `failed ${f.split(': ')[1] ?? ''}` : 'missing'}`;
      });
      const tooLong = stored.filter((a) => a.url.includes('/p9/') && (a.title.length > MAX_TITLE || a.doc.title.length > MAX_TITLE)).length;
      return { observed: outcomes.join('; ').slice(0, 200), pass: tooLong === 0 && outcomes.every((o) => !o.endsWith('missing')), details: outcomes };
    },
  });

  // Memory (issue 9): a 100 MB page fails cleanly and the worker lives. The fetch cap stops it first
  // (P7); here the page reaches the extraction threads as if the caps were raised, so the thread's
  // memory cap and time budget are what stop it.
  for (const [id, limit] of [['M1', env.config.extract.maxHtmlBytes], ['M1raw', 200_000_000]] as const) {
    cases.push({
      id, title: `100 MB page to extraction (limit ${limit / 1e6} M chars)`, quick: false, expected: 'clean NL_ failure; next page extracted',
      async run() {
        const { ExtractPool } = await import('../adapters/extract-thread/extract-pool.js');
        const extractor = new ExtractPool({ size: 1, timeBudgetMs: env.config.extract.timeBudget });
        const opts = { dom: env.config.extract.dom, maxHtmlChars: limit };
        const fetchedAt = new Date().toISOString();
        let huge: string | null = `<!doctype html><html><head><title>huge</title></head><body>${'<p>lorem ipsum dolor sit amet</p>'.repeat(3_200_000)}</body></html>`;
        const size = huge.length;
        let first: string;
        try {
          const out = await extractor.extract({ url: `${site.origin}/m1`, html: huge, fetchedAt }, opts);
          first = `extracted (${out.kind})`;
        } catch (err) {
          first = (err as { code?: string }).code ?? 'THROWN';
        }
        huge = null;
        const next = await extractor.extract({ url: `${site.origin}/m1-next`, html: articleHtml('After the huge page', '<p>Still working.</p>'), fetchedAt }, opts).then(
          (o) => o.kind,
          (err: unknown) => `failed ${(err as { code?: string }).code}`,
        );
        await extractor.close();
        return {
          observed: `${(size / 1e6).toFixed(0)} M chars: ${first}; next page: ${next}`,
          pass: (first.startsWith('NL_') || first.startsWith('extracted')) && next === 'article',
        };
      },
    });
  }

  cases.push({
    id: 'E-run', title: 'pipeline run itself', quick: true, expected: 'exits by itself, no crash',
    async run() {
      const r = await pipeline();
      const crashed = /FATAL|Segmentation|heap out of memory|Unhandled/i.test(r.stderr);
      await r.stop();
      return { observed: `start --once exit ${r.code} in ${r.ms} ms; stderr ${r.stderr.length} bytes${crashed ? ', CRASH in stderr' : ''}`, pass: r.code !== null && !crashed, details: r.stdout.split('\n').slice(0, 6) };
    },
  });
  return cases;
}

