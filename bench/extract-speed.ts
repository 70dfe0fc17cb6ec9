// tsx bench/extract-speed.ts [CORPUS_DIR] [--threads N] [--sides plain,linkedom]
// Speed and memory of extraction (issue 5): extractArticle with dom jsdom and with dom linkedom against
// plain @mozilla/readability on jsdom, all in this run on the same pages, interleaved page by page so
// that machine noise falls on each alike. Prints ms/page (median, p95), the ratios to plain, F1 of each
// (the shared scorer), RSS growth over 3 passes of the corpus per DOM (each in its own child process),
// and the pages/s of an ExtractPool using the machine's cores. measureExtractSpeed() is exported for
// bench/extract.ts to fold into its table. --sides measures only those named (plain is always one): jsdom
// takes most of a run's time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { ExtractPool } from '../adapters/extract-thread/extract-pool.js';
import { extractArticle } from '../stages/extract/extract-article.js';
import type { DomKind } from '../stages/extract/load-document.js';
import { decodeText } from '../stages/fetch/decode-text.js';

export type Side = 'plain' | DomKind;
export interface SideFigures {
  medianMs: number;
  p95Ms: number;
  f1: number;
  failed: number;
  /** Settled RSS (after a full GC) after pass 1 and after pass 3; absent for plain. */
  rssPass1Mb?: number;
  rssPass3Mb?: number;
  peakRssMb?: number;
}
export interface SpeedReport {
  corpus: string;
  pages: number;
  sides: Partial<Record<Side, SideFigures>> & { plain: SideFigures };
  pool: { threads: number; dom: DomKind; pagesPerSecond: number; inProcessPagesPerSecond: number; failed: number };
}
interface CorpusPage {
  url: string;
  html: string;
}

const SIDES: Side[] = ['plain', 'jsdom', 'linkedom'];
const SCORER = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/tools/score-extraction.mjs');
const WARM_UP_PAGES = 20;

/** Loads the corpus (gzipped pages + expectations.json), decoded as the fetch stage decodes a body without a charset. */
export function loadCorpus(corpus: string): CorpusPage[] {
  const expectations = JSON.parse(readFileSync(join(corpus, 'expectations.json'), 'utf8')) as Record<string, { file: string }>;
  return Object.entries(expectations).map(([url, { file }]) => {
    const raw = readFileSync(join(corpus, file));
    return { url, html: decodeText(file.endsWith('.gz') ? gunzipSync(raw) : raw, null, 'html') };
  });
}

/** Text of one page by one side; '' for a skipped page; throws what the extractor throws. */
export function extractText(side: Side, page: CorpusPage): string {
  if (side === 'plain') {
    const jsdom = new JSDOM(page.html, { url: page.url, virtualConsole: new VirtualConsole() });
    try {
      return new Readability(jsdom.window.document).parse()?.textContent ?? '';
    } finally {
      jsdom.window.close();
    }
  }
  const out = extractArticle({ url: page.url, html: page.html, fetchedAt: '2024-01-01T00:00:00.000Z' }, { dom: side });
  return out.kind === 'article' ? out.article.text : '';
}

/** Runs the whole measurement; `threads` sizes the pool of the throughput run (default: the machine's cores). */
export async function measureExtractSpeed(corpus: string, threads = availableParallelism(), only: readonly Side[] = SIDES): Promise<SpeedReport> {
  const sideList = SIDES.filter((s) => s === 'plain' || only.includes(s));
  const pages = loadCorpus(corpus);
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-extract-speed-'));
  try {
    const times = Object.fromEntries(sideList.map((s) => [s, [] as number[]])) as Record<Side, number[]>;
    const rows = Object.fromEntries(sideList.map((s) => [s, [] as string[]])) as Record<Side, string[]>;
    const failed = Object.fromEntries(sideList.map((s) => [s, 0])) as Record<Side, number>;
    for (const page of pages.slice(0, WARM_UP_PAGES)) for (const s of sideList) tryText(s, page);
    for (const [i, page] of pages.entries()) {
      // A different side goes first on each page: none is always the one that pays for the last one's garbage.
      for (let k = 0; k < sideList.length; k++) {
        const s = sideList[(i + k) % sideList.length]!;
        const started = performance.now();
        const text = tryText(s, page);
        times[s].push(performance.now() - started);
        if (text === null) failed[s]++;
        rows[s].push(JSON.stringify({ url: page.url, text: text ?? '' }));
        await new Promise(setImmediate);
      }
    }
    const sides = {} as SpeedReport['sides'];
    for (const s of sideList) {
      const out = join(dir, `${s}.jsonl`);
      writeFileSync(out, `${rows[s].join('\n')}\n`);
      sides[s] = { medianMs: quantile(times[s], 0.5), p95Ms: quantile(times[s], 0.95), f1: scoreF1(corpus, out), failed: failed[s] };
      if (s !== 'plain') Object.assign(sides[s]!, rssInChild(corpus, s));
    }
    const { jsdom, linkedom } = sides;
    const pool = await poolThroughput(pages, threads, !jsdom || (linkedom && linkedom.f1 >= jsdom.f1 - 0.005) ? 'linkedom' : 'jsdom');
    return { corpus, pages: pages.length, sides, pool };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tryText(side: Side, page: CorpusPage): string | null {
  try {
    return extractText(side, page);
  } catch {
    return null;
  }
}

async function poolThroughput(pages: CorpusPage[], threads: number, dom: DomKind): Promise<SpeedReport['pool']> {
  const pool = new ExtractPool({ size: threads, timeBudgetMs: 20_000 });
  try {
    await pool.extract({ url: 'https://warm.example/', html: '<p>warm</p>', fetchedAt: '2024-01-01T00:00:00.000Z' }, { dom }).catch(() => null);
    let failed = 0;
    const started = performance.now();
    await Promise.all(pages.map((p) => pool.extract({ url: p.url, html: p.html, fetchedAt: '2024-01-01T00:00:00.000Z' }, { dom }).catch(() => failed++)));
    const poolSeconds = (performance.now() - started) / 1000;
    const inProcess = performance.now();
    for (const page of pages) {
      tryText(dom, page);
      await new Promise(setImmediate);
    }
    const inProcessSeconds = (performance.now() - inProcess) / 1000;
    return { threads, dom, pagesPerSecond: pages.length / poolSeconds, inProcessPagesPerSecond: pages.length / inProcessSeconds, failed };
  } finally {
    await pool.close();
  }
}

function scoreF1(corpus: string, outputs: string): number {
  const run = spawnSync(process.execPath, [SCORER, corpus, outputs], { encoding: 'utf8' });
  const f1 = Number(/f1 ([0-9.]+)/.exec(run.stdout.trim().split('\n').at(-1) ?? '')?.[1] ?? NaN);
  if (run.status !== 0 || Number.isNaN(f1)) throw new Error(`extract-speed: the scorer failed on ${outputs}: ${run.stderr}`);
  return f1;
}

// In a child process of its own, so the figures are this DOM's alone: --expose-gc lets it settle the heap before reading RSS.
function rssInChild(corpus: string, dom: DomKind): Pick<SideFigures, 'rssPass1Mb' | 'rssPass3Mb' | 'peakRssMb'> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', script, corpus, '--rss-of', dom], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`extract-speed: the RSS run of ${dom} exited ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Pick<SideFigures, 'rssPass1Mb' | 'rssPass3Mb' | 'peakRssMb'>;
}

async function rssRun(corpus: string, dom: DomKind): Promise<void> {
  const pages = loadCorpus(corpus);
  let peak = 0;
  const pass = async () => {
    for (const page of pages) {
      tryText(dom, page);
      // Closed jsdom windows are freed on a later turn of the event loop.
      await new Promise(setImmediate);
      peak = Math.max(peak, process.memoryUsage.rss());
    }
  };
  // Collected, then a second of idle and collected again: V8 hands freed pages back to the OS on its own schedule.
  const settled = async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    gc?.();
    return process.memoryUsage.rss() / 2 ** 20;
  };
  await pass();
  const rssPass1Mb = await settled();
  await pass();
  await pass();
  const rssPass3Mb = await settled();
  console.log(JSON.stringify({ rssPass1Mb, rssPass3Mb, peakRssMb: peak / 2 ** 20 }));
}

function quantile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

/** The report as the table the issue asks for. */
export function formatSpeedTable(r: SpeedReport): string {
  const plain = r.sides.plain;
  const lines = [
    `extraction speed on ${r.corpus}: ${r.pages} pages, sides interleaved page by page in one process`,
    `${'extractor'.padEnd(28)}${'median ms'.padStart(10)}${'p95 ms'.padStart(9)}${'median x'.padStart(10)}${'p95 x'.padStart(8)}${'F1'.padStart(7)}${'failed'.padStart(8)}  RSS pass 1 → 3 (growth), peak`,
  ];
  for (const s of SIDES) {
    const f = r.sides[s];
    if (!f) continue;
    const name = s === 'plain' ? 'readability (plain, jsdom)' : `newsloom (dom ${s})`;
    const rss = f.rssPass1Mb === undefined ? '' : `${f.rssPass1Mb.toFixed(0)} → ${f.rssPass3Mb!.toFixed(0)} MB (${(((f.rssPass3Mb! - f.rssPass1Mb) / f.rssPass1Mb) * 100).toFixed(1)}%), ${f.peakRssMb!.toFixed(0)} MB`;
    lines.push(
      `${name.padEnd(28)}${f.medianMs.toFixed(1).padStart(10)}${f.p95Ms.toFixed(1).padStart(9)}${(f.medianMs / plain.medianMs).toFixed(2).padStart(10)}${(f.p95Ms / plain.p95Ms).toFixed(2).padStart(8)}${f.f1.toFixed(3).padStart(7)}${String(f.failed).padStart(8)}  ${rss}`,
    );
  }
  lines.push(
    `targets: median ≤ 0.25x, p95 ≤ 0.30x of plain; RSS growth < 10%. ExtractPool, ${r.pool.threads} threads, dom ${r.pool.dom}: ` +
      `${r.pool.pagesPerSecond.toFixed(1)} pages/s (in-process, one thread: ${r.pool.inProcessPagesPerSecond.toFixed(1)} pages/s), ${r.pool.failed} failed`,
  );
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const corpus = resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/corpora/extraction-dev');
  if (!existsSync(join(corpus, 'expectations.json'))) {
    console.log(`bench extract-speed: no corpus at ${corpus} (expected expectations.json there): skipped`);
  } else if (option('rss-of')) {
    await rssRun(corpus, option('rss-of') as DomKind);
  } else {
    const threads = option('threads') ? Number(option('threads')) : undefined;
    const only = option('sides')?.split(',') as Side[] | undefined;
    const unknown = only?.filter((s) => !SIDES.includes(s));
    if (unknown?.length) throw new Error(`bench extract-speed: --sides takes ${SIDES.join(', ')}; got ${unknown.join(', ')}`);
    console.log(formatSpeedTable(await measureExtractSpeed(corpus, threads, only)));
  }
}
