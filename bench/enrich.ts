// npm run bench:enrich [-- CORPUS_DIR] — issue 7, "Measured".
// Builds stored-format articles from the extraction corpus (extract → normalise, as the pipeline
// does), keeps those with at least MIN_WORDS words, then runs the default enrichment stages over them:
// English articles are measured apart: every stage runs in full on them (the NER, sentiment and
// quote attribution are English-only), so they are the figure against the 50 ms target.
//  1. one process on one core, after one warm-up pass: ms per article for each stage and for all of them (median, p95),
//     ms per 1,000 words, articles/s, start-up (importing and loading every stage, then the first
//     article), peak RSS;
//  2. two processes side by side, each with half the articles: articles/s on both cores;
//  3. the hand-off to an enrichment thread (issue 10): in one process, each article through the stages
//     on the process's own thread and through one enrichment thread as `newsloom worker` runs them
//     (enrich.threads 1, term statistics looked up before the stages), alternately, CPU of the whole
//     process per article for each: what the thread's copies and round trips cost.
// The baseline in the same run is the enrichment newsloom had before issue 7 (language and word
// count only), measured the same way, so the cost of the new stages is visible.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Article } from '../stages/article.js';
import { decideDuplicate } from '../stages/dedupe/decide-duplicate.js';
import { BUILTIN_STAGES, DEFAULT_STAGES, type BuiltinStageName } from '../stages/enrich/builtin-stages.js';
import { detectLanguage } from '../stages/enrich/detect-language.js';
import { documentTerms } from '../stages/enrich/keywords/document-terms.js';
import { keywordLookupKeys } from '../stages/enrich/keywords/rank-keywords.js';
import type { TermStats } from '../stages/enrich/stage.js';
import { runStages, type ConfiguredStage } from '../stages/enrich/run-stages.js';
import { extractArticle } from '../stages/extract/extract-article.js';
import { decodeText } from '../stages/fetch/decode-text.js';
import { normaliseArticle } from '../stages/normalise/normalise-article.js';

const MIN_WORDS = 150;
const BASELINE: readonly BuiltinStageName[] = ['language', 'wordcount'];

interface SideReport {
  startupMs: number;
  totalMs: number;
  articles: number;
  perArticleMs: number[];
  per1000WordsMs: number[];
  perStageMs: Record<string, number[]>;
  errors: Record<string, number>;
  peakRssMb: number;
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};

interface HandoffReport {
  articles: number;
  /** CPU ms of the whole process per article: stages on the process's own thread, and through one enrichment thread. */
  inProcessCpuMs: number[];
  threadCpuMs: number[];
}

if (option('handoff')) await runHandoff(option('handoff')!);
else if (option('side')) await runSide(option('side')!, option('stages')!.split(','), Number(option('part') ?? 0), Number(option('parts') ?? 1));
else await main();

async function main(): Promise<void> {
  const corpus = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/corpora/extraction-dev');
  if (!existsSync(join(corpus, 'expectations.json'))) {
    console.log(`bench:enrich: no corpus at ${corpus} (expected expectations.json there): nothing to measure`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-enrich-'));
  try {
    const file = join(dir, 'articles.jsonl');
    const articles = buildArticles(corpus);
    writeFileSync(file, `${articles.map((a) => JSON.stringify(a)).join('\n')}\n`);
    const words = articles.map((a) => a.wordCount).sort((a, b) => a - b);
    const langs = countBy(articles.map((a) => a.language ?? '?'));
    console.log(`bench:enrich: ${articles.length} articles of ≥ ${MIN_WORDS} words from ${corpus}; words median ${q(words, 0.5)}, p95 ${q(words, 0.95)}; languages ${Object.entries(langs).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([l, n]) => `${l} ${n}`).join(', ')}`);
    console.log(`stages: ${DEFAULT_STAGES.join(', ')}; baseline: ${BASELINE.join(', ')}`);
    const english = join(dir, 'english.jsonl');
    const en = articles.filter((a) => detectLanguage(`${a.title}\n\n${a.text}`, a.language) === 'en');
    writeFileSync(english, `${en.map((a) => JSON.stringify(a)).join('\n')}\n`);
    for (const [label, path, n] of [['English articles', english, en.length], ['all articles', file, articles.length]] as const) {
      console.log(`\n== ${label} (${n})`);
      const full = (await spawnSides(path, DEFAULT_STAGES, 1))[0]!;
      const base = (await spawnSides(path, BASELINE, 1))[0]!;
      const two = await spawnSides(path, DEFAULT_STAGES, 2);
      printTables(full, base, two);
      printHandoff(await spawnJson<HandoffReport>(['--handoff', path]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function buildArticles(corpus: string): Article[] {
  const expectations = JSON.parse(readFileSync(join(corpus, 'expectations.json'), 'utf8')) as Record<string, { file: string }>;
  const out: Article[] = [];
  for (const [url, { file }] of Object.entries(expectations)) {
    const raw = readFileSync(join(corpus, file));
    const html = decodeText(file.endsWith('.gz') ? gunzipSync(raw) : raw, null, 'html');
    const fetchedAt = '2026-01-01T00:00:00.000Z';
    const extracted = extractArticle({ url, html, fetchedAt });
    if (extracted.kind !== 'article') continue;
    const normalised = normaliseArticle({ article: extracted.article, fetchedAt, feed: null });
    if (normalised.wordCount < MIN_WORDS) continue;
    out.push(decideDuplicate(normalised, normalised.id));
  }
  return out;
}

// Each side is this file in a child process (own RSS, own core), under the loader flags tsx gave us.
function spawnSides(file: string, stages: readonly string[], parts: number): Promise<SideReport[]> {
  return Promise.all(
    Array.from({ length: parts }, (_, part) =>
      spawnJson<SideReport>(['--side', file, '--stages', stages.join(','), '--part', String(part), '--parts', String(parts)])),
  );
}

/** This file in a child process with `args`: the JSON of its last stdout line. */
function spawnJson<T>(args: string[]): Promise<T> {
  const script = fileURLToPath(import.meta.url);
  return new Promise<T>((ok, fail) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`bench:enrich: a side exited ${code}`));
      ok(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
    });
  });
}

/**
 * Each article through the default stages twice, in alternating order: on this thread, and through
 * one enrichment thread, both asking term statistics as the enrich worker does (from a table counted
 * over these articles, standing in for Redis). CPU of the process (every thread) per run.
 */
async function runHandoff(file: string): Promise<void> {
  const articles = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Article);
  // Loaded here only, so the other sides' RSS is not charged for the thread machinery.
  const { loadEnrichStagesInThreads } = await import('../adapters/enrich/load-stages.js');
  const { parseConfig } = await import('../config/load.js');
  const config = parseConfig({ enrich: { threads: 1 } }, 'bench:enrich');
  const threaded = await loadEnrichStagesInThreads(config);
  const local: ConfiguredStage[] = [];
  for (const name of DEFAULT_STAGES) local.push({ stage: await BUILTIN_STAGES[name](), options: {}, timeoutMs: 60_000 });
  const df = new Map<string, number>();
  for (const a of articles) for (const t of documentTerms(a)) df.set(t, (df.get(t) ?? 0) + 1);
  const lookup = (keys: readonly string[]): TermStats => {
    const known = new Map([...new Set(keys)].map((k) => [k, df.get(k) ?? 0]));
    return { documents: articles.length, known, documentFrequency: (k) => known.get(k) ?? 0 };
  };
  // As workers/enrich.ts: the terms of the article as it stands, computed once per text.
  const enrich = (article: Article, stages: readonly ConfiguredStage[]) => {
    let last: { of: Article; terms: string[] } | null = null;
    const termsOf = (a: Article) => {
      if (last?.of.title !== a.title || last.of.text !== a.text || last.of.language !== a.language) last = { of: a, terms: documentTerms(a) };
      return last.terms;
    };
    return runStages(article, stages, { lastAttempt: true, terms: (a) => lookup(keywordLookupKeys(a, termsOf(a))) }).then((out) => termsOf(out));
  };
  const cpuMs = async (run: () => Promise<unknown>) => {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const report: HandoffReport = { articles: articles.length, inProcessCpuMs: [], threadCpuMs: [] };
  for (const pass of [0, 1]) {
    for (const [i, article] of articles.entries()) {
      const sides = [['in', local], ['thread', threaded.stages]] as const;
      for (const [side, stages] of i % 2 === 0 ? sides : [...sides].reverse()) {
        const ms = await cpuMs(() => enrich(article, stages));
        // The first pass warms both sides up (JIT, the thread's caches) and is not recorded.
        if (pass === 1) (side === 'in' ? report.inProcessCpuMs : report.threadCpuMs).push(ms);
      }
    }
  }
  await threaded.close();
  console.log(JSON.stringify(report));
}

async function runSide(file: string, names: string[], part: number, parts: number): Promise<void> {
  const started = performance.now();
  const stages: ConfiguredStage[] = [];
  for (const name of names) {
    const load = BUILTIN_STAGES[name as BuiltinStageName];
    if (!load) throw new Error(`bench:enrich: no built-in stage ${name}`);
    stages.push({ stage: await load(), options: {}, timeoutMs: 60_000 });
  }
  const articles = readFileSync(file, 'utf8').trim().split('\n').filter((_, i) => i % parts === part).map((l) => JSON.parse(l) as Article);
  const report: SideReport = { startupMs: 0, totalMs: 0, articles: articles.length, perArticleMs: [], per1000WordsMs: [], perStageMs: {}, errors: {}, peakRssMb: 0 };
  // A worker runs for hours: one unrecorded pass first lets the JIT settle, so the figures are the
  // steady state; start-up (imports, model and gazetteer loading, the first article) is reported apart.
  await runStages(articles[0]!, stages, { lastAttempt: true });
  report.startupMs = performance.now() - started;
  for (const article of articles.slice(1)) await runStages(article, stages, { lastAttempt: true });
  const runStarted = performance.now();
  for (const article of articles) {
    const t = performance.now();
    const out = await runStages(article, stages, { lastAttempt: true });
    const ms = performance.now() - t;
    report.perArticleMs.push(ms);
    report.per1000WordsMs.push((ms * 1000) / Math.max(1, article.wordCount));
    for (const [name, rec] of Object.entries(out.enrichment)) {
      (report.perStageMs[name] ??= []).push(rec.ms ?? 0);
      if (rec.error) report.errors[name] = (report.errors[name] ?? 0) + 1;
    }
  }
  report.totalMs = performance.now() - runStarted;
  report.peakRssMb = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  console.log(JSON.stringify(report));
}

function printTables(full: SideReport, base: SideReport, two: SideReport[]): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  console.log('per stage, one process (ms per article)');
  console.log(`${'stage'.padEnd(14)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'errors'.padStart(7)}`);
  for (const [name, xs] of Object.entries(full.perStageMs)) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`${name.padEnd(14)} ${f(q(s, 0.5), 2).padStart(8)} ${f(q(s, 0.95), 2).padStart(8)} ${String(full.errors[name] ?? 0).padStart(7)}`);
  }
  console.log('whole enrichment');
  console.log(`${'run'.padEnd(30)} ${'ms/article med'.padStart(14)} ${'p95'.padStart(7)} ${'ms/1000 words med'.padStart(17)} ${'articles/s'.padStart(10)} ${'start-up ms'.padStart(11)} ${'peak RSS MB'.padStart(11)}`);
  const row = (label: string, r: SideReport) => {
    const a = [...r.perArticleMs].sort((x, y) => x - y);
    const w = [...r.per1000WordsMs].sort((x, y) => x - y);
    console.log(`${label.padEnd(30)} ${f(q(a, 0.5), 2).padStart(14)} ${f(q(a, 0.95), 2).padStart(7)} ${f(q(w, 0.5), 2).padStart(17)} ${f(r.articles / (r.totalMs / 1000)).padStart(10)} ${f(r.startupMs, 0).padStart(11)} ${f(r.peakRssMb, 0).padStart(11)}`);
  };
  row('baseline (language, wordcount)', base);
  row('all stages, 1 process', full);
  const total = two.reduce((n, r) => n + r.articles, 0);
  // Both sides start together; the slower one's run (after its start-up) bounds the pair's throughput.
  const slowest = Math.max(...two.map((r) => r.totalMs)) / 1000;
  console.log(`${'all stages, 2 processes'.padEnd(30)} ${''.padStart(14)} ${''.padStart(7)} ${''.padStart(17)} ${f(total / slowest).padStart(10)} ${f(Math.max(...two.map((r) => r.startupMs)), 0).padStart(11)} ${f(Math.max(...two.map((r) => r.peakRssMb)), 0).padStart(11)}`);
  console.log(`(2 processes: all articles over the slower side's run time, start-up excluded; target: all stages ≤ 50 ms median per 1,000 words on one core, start-up ≤ 3 s)`);
}

function printHandoff(r: HandoffReport): void {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const [local, thread] = [sum(r.inProcessCpuMs) / r.articles, sum(r.threadCpuMs) / r.articles];
  const med = (xs: number[]) => q([...xs].sort((a, b) => a - b), 0.5);
  console.log(`hand-off to an enrichment thread (CPU of the process per article, mean / median; ${r.articles} articles, alternating, with term lookups):`);
  console.log(`  on the process's thread ${local.toFixed(2)} / ${med(r.inProcessCpuMs).toFixed(2)} ms; through 1 enrichment thread ${thread.toFixed(2)} / ${med(r.threadCpuMs).toFixed(2)} ms; ` +
    `hand-off ${(thread - local).toFixed(2)} ms (${((100 * (thread - local)) / local).toFixed(0)}%)`);
}

function q(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
