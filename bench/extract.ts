// npm run bench:extract -- CORPUS_DIR [--dom jsdom|linkedom]
// Runs newsloom's extractArticle and plain @mozilla/readability on jsdom over the same corpus pages,
// in this run, each in its own child process so that peak RSS is each one's own. Scores both with the
// shared scorer and prints one table: precision, recall, F1, ms/page (median, p95), pages/s, peak RSS,
// then newsloom's RSS growth over 3 passes of the corpus. A skipped page counts as text "".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseConfig } from '../config/load.js';
import { JSDOM, VirtualConsole } from 'jsdom';
import { extractArticle } from '../stages/extract/extract-article.js';
import { decodeText } from '../stages/fetch/decode-text.js';

type Side = 'newsloom' | 'plain';
interface SideReport {
  msPerPage: number[];
  totalMs: number;
  peakRssMb: number;
  rssAfterPass1Mb?: number;
  rssAfterPass3Mb?: number;
  skipped?: number;
  failed: number;
}
interface Score {
  precision: number;
  recall: number;
  f1: number;
}

const SCORER = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/tools/score-extraction.mjs');
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const corpus = resolve(positional[0] ?? '../shared/corpora/extraction-dev');
// Without --dom, the DOM a default config uses (extract.dom), as users run it.
const dom = (option('dom') ?? parseConfig({}, '(defaults)').extract.dom) as 'jsdom' | 'linkedom';
const side = option('side') as Side | undefined;

if (!existsSync(join(corpus, 'expectations.json'))) {
  console.log(`bench:extract: no corpus at ${corpus} (expected expectations.json there): nothing to measure`);
  process.exit(1);
}
if (dom !== undefined && dom !== 'jsdom' && dom !== 'linkedom') {
  console.log(`bench:extract: --dom must be jsdom or linkedom, got ${JSON.stringify(dom)}`);
  process.exit(2);
}

if (side) await runSide(side, option('out')!);
else await main();

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-extract-'));
  try {
    const pages = loadCorpus().length;
    const reports = {} as Record<Side, SideReport>;
    const scores = {} as Record<Side, Score>;
    for (const s of ['newsloom', 'plain'] as const) {
      const out = join(dir, `${s}.jsonl`);
      reports[s] = spawnSide(s, out);
      scores[s] = score(out);
    }
    printTable(pages, reports, scores);
    console.log(`outputs: ${dir}`);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function loadCorpus(): { url: string; html: string }[] {
  const expectations = JSON.parse(readFileSync(join(corpus, 'expectations.json'), 'utf8')) as Record<string, { file: string }>;
  return Object.entries(expectations).map(([url, { file }]) => {
    const raw = readFileSync(join(corpus, file));
    // Decoded as the fetch stage decodes a response without a Content-Type charset: many pages are not UTF-8.
    return { url, html: decodeText(file.endsWith('.gz') ? gunzipSync(raw) : raw, null, 'html') };
  });
}

// The child runs this same file with --side, under the same loader flags tsx gave this process.
function spawnSide(s: Side, out: string): SideReport {
  const script = fileURLToPath(import.meta.url);
  const childArgs = [...process.execArgv, '--expose-gc', script, corpus, '--side', s, '--out', out, ...(dom ? ['--dom', dom] : [])];
  const child = spawnSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`bench:extract: the ${s} run exited ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SideReport;
}

function score(outputs: string): Score {
  const run = spawnSync(process.execPath, [SCORER, corpus, outputs], { encoding: 'utf8' });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  const num = (name: string) => Number(new RegExp(`${name} ([0-9.]+)`).exec(last)?.[1] ?? NaN);
  if (run.status !== 0 || Number.isNaN(num('f1'))) throw new Error(`bench:extract: the scorer failed on ${outputs}: ${run.stderr || last}`);
  return { precision: num('precision'), recall: num('recall'), f1: num('f1') };
}

async function runSide(s: Side, out: string): Promise<void> {
  const pages = loadCorpus();
  const rows: string[] = [];
  const msPerPage: number[] = [];
  let skipped = 0;
  let failed = 0;
  let peak = process.memoryUsage.rss();
  const onePass = async (record: boolean) => {
    for (const page of pages) {
      const started = performance.now();
      let text = '';
      try {
        if (s === 'plain') text = plainReadability(page.html, page.url);
        else {
          const outcome = extractArticle({ url: page.url, html: page.html, fetchedAt: new Date().toISOString() }, dom ? { dom } : {});
          if (outcome.kind === 'article') text = outcome.article.text;
          else if (record) skipped++;
        }
      } catch {
        if (record) failed++;
      }
      if (record) {
        msPerPage.push(performance.now() - started);
        rows.push(JSON.stringify({ url: page.url, text }));
      }
      // Closed jsdom windows are freed on a later turn of the event loop.
      await new Promise(setImmediate);
      peak = Math.max(peak, process.memoryUsage.rss());
    }
  };
  const started = performance.now();
  await onePass(true);
  const totalMs = performance.now() - started;
  writeFileSync(out, `${rows.join('\n')}\n`);
  const report: SideReport = { msPerPage, totalMs, peakRssMb: 0, failed };
  if (s === 'newsloom') {
    report.skipped = skipped;
    report.rssAfterPass1Mb = await settledRssMb();
    await onePass(false);
    await onePass(false);
    report.rssAfterPass3Mb = await settledRssMb();
  }
  report.peakRssMb = Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  console.log(JSON.stringify(report));
}

function plainReadability(html: string, url: string): string {
  const jsdom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  try {
    return new Readability(jsdom.window.document).parse()?.textContent ?? '';
  } finally {
    jsdom.window.close();
  }
}

// After a full collection, so that the figure is what is retained, not garbage not yet collected; and after a
// second of idle and another collection, as V8 hands freed pages back to the OS on its own schedule after a GC:
// read at once, the same code measured anywhere from -22% to +69% growth over 3 passes while its heap stayed flat.
async function settledRssMb(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  gc?.();
  return process.memoryUsage.rss() / 2 ** 20;
}

function printTable(pages: number, reports: Record<Side, SideReport>, scores: Record<Side, Score>): void {
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
  const n = reports.newsloom;
  const p = reports.plain;
  const label = `newsloom${dom ? ` (${dom})` : ''}`;
  const row = (name: string, r: SideReport, sc: Score) =>
    `${name.padEnd(27)} ${sc.precision.toFixed(3).padStart(9)} ${sc.recall.toFixed(3).padStart(7)} ${sc.f1.toFixed(3).padStart(6)} ` +
    `${q(r.msPerPage, 0.5).toFixed(1).padStart(10)} ${q(r.msPerPage, 0.95).toFixed(1).padStart(8)} ${(r.msPerPage.length / (r.totalMs / 1000)).toFixed(1).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(13)}`;
  console.log(`extraction on ${corpus}: ${pages} pages; a skipped page or a thrown error counts as text ""`);
  console.log(`${'extractor'.padEnd(27)} precision  recall     f1  median ms   p95 ms  pages/s  peak RSS (MB)`);
  console.log(row(label, n, scores.newsloom));
  console.log(row('readability (plain, jsdom)', p, scores.plain));
  const ratio = (k: number) => (q(n.msPerPage, k) / q(p.msPerPage, k)).toFixed(2);
  console.log(`newsloom/plain time: median ${ratio(0.5)}x, p95 ${ratio(0.95)}x; newsloom skipped ${n.skipped} pages, failed on ${n.failed}; plain failed on ${p.failed}`);
  const growth = ((n.rssAfterPass3Mb! - n.rssAfterPass1Mb!) / n.rssAfterPass1Mb!) * 100;
  console.log(`newsloom RSS after pass 1: ${n.rssAfterPass1Mb!.toFixed(0)} MB, after pass 3: ${n.rssAfterPass3Mb!.toFixed(0)} MB: growth ${growth.toFixed(1)}% (limit 10%)`);
}
