// npm run bench:ner (tsx bench/ner.ts): the committed entities model on held-out data.
//  1. Exact-span precision, recall and F1 per type (CoNLL style) on ../shared/corpora/ner
//     test.conll and by-source/test.news.conll, tagged document by document as the stage does.
//  2. A baseline in the same run: the same structured perceptron with only the baseline_perceptron.py
//     features (word, affixes, shape, +-2 context; no gazetteer, lexicon, clusters or second pass),
//     trained here on train.conll for 8 epochs, so the gain of the extra features is visible.
//  3. Speed: wall and CPU ms per 1,000 tokens to tag the test set (features + both passes) and to run
//     the whole stage on its raw text, median and p95 of
//     RUNS runs; weights load time; peak RSS before and after the in-process baseline.
import { existsSync, readFileSync } from 'node:fs';
import { extractEntities } from '../stages/enrich/entities/extract-entities.js';
import { parseConll } from '../stages/enrich/entities/parse-conll.js';
import { loadNerBundle, type NerBundle } from '../stages/enrich/entities/load-ner-model.js';
import { decodeNerModel } from '../stages/enrich/entities/ner-model.js';
import { SCORE_GROUPS, spanScores, type SpanScore } from '../stages/enrich/entities/span-scores.js';
import { tagDocument } from '../stages/enrich/entities/tag-document.js';
import { trainPerceptron } from '../stages/enrich/entities/train-perceptron.js';
import { documentFeatures, LABELS, readSplit, type CorpusDoc } from '../scripts/train-ner.js';

const SHARED = new URL('../../shared/corpora/ner/', import.meta.url);
const RUNS = 15;
const NEWS_SOURCES = ['gum-news', 'gum-interview', 'uner-pud-news'];

/** by-source/test.news.conll grouped into documents via test.ids.tsv (it is that file's news rows, in order). */
function newsDocs(test: readonly CorpusDoc[]): CorpusDoc[] {
  const docs = test.filter((d) => NEWS_SOURCES.includes(d.source));
  const file = parseConll(readFileSync(new URL('by-source/test.news.conll', SHARED), 'utf8'));
  const flat = docs.flatMap((d) => d.sentences);
  const same = flat.length === file.length && flat.every((s, i) => s.words.join(' ') === file[i]!.words.join(' '));
  if (!same) return file.map((s, i) => ({ id: `news-${i}`, source: 'news', sentences: [s] }));
  return docs;
}

function score(bundle: NerBundle, docs: readonly CorpusDoc[]): Record<string, SpanScore> {
  const gold = docs.flatMap((d) => d.sentences.map((s) => s.tags));
  const pred = docs.flatMap((d) => tagDocument(bundle, d.sentences.map((s) => s.words)));
  return spanScores(gold, pred);
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);

function printTable(name: string, model: Record<string, SpanScore>, baseline: Record<string, SpanScore>): void {
  console.log(`\n${name}`);
  console.log('type          gold      P      R     F1   baseline F1');
  for (const group of Object.keys(SCORE_GROUPS)) {
    const m = model[group]!;
    console.log(`${group.padEnd(12)} ${String(m.gold).padStart(5)}  ${pct(m.precision)}  ${pct(m.recall)}  ${pct(m.f1)}   ${pct(baseline[group]!.f1)}`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function main(): void {
  if (!existsSync(SHARED)) {
    console.log('bench:ner: ../shared/corpora/ner not found; skipped');
    return;
  }
  let t0 = performance.now();
  const bundle = loadNerBundle();
  const loadMs = performance.now() - t0;
  const test = readSplit(SHARED, 'test');
  const news = newsDocs(test);

  const modelScores = { test: score(bundle, test), news: score(bundle, news) };
  const speed = measureSpeed(bundle, test);
  const rssModelMb = process.resourceUsage().maxRSS / 1024;

  t0 = performance.now();
  const baseResources = { ...bundle.resources, groups: { gazetteer: false, lexicon: false, clusters: false, orgcues: false, wide: false, brown: false } };
  const base = trainPerceptron(documentFeatures(readSplit(SHARED, 'train'), baseResources), { labels: LABELS, epochs: 8, seed: 20261125, minCount: 1 });
  const baseline = { models: [decodeNerModel(base.file)], resources: baseResources };
  const baseMs = performance.now() - t0;

  printTable('test.conll (all sources)', modelScores.test, score(baseline, test));
  printTable('by-source/test.news.conll', modelScores.news, score(baseline, news));
  console.log(`\n${speed}`);
  console.log(`weights load ${loadMs.toFixed(0)} ms; peak RSS ${rssModelMb.toFixed(0)} MB after tagging, `
    + `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB after training the baseline in-process (${(baseMs / 1000).toFixed(1)} s)`);
}

/** Wall and CPU ms per 1,000 tokens: tagging pre-tokenised documents, and the whole stage on raw text. */
function measureSpeed(bundle: NerBundle, test: readonly CorpusDoc[]): string {
  const tokens = test.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.words.length, 0), 0);
  // CPU time as well as wall time: on a shared machine wall time measures the neighbours too.
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const d of test) tagDocument(bundle, d.sentences.map((s) => s.words));
    const c = process.cpuUsage(c0);
    wall.push(((performance.now() - t0) / tokens) * 1000);
    cpu.push(((c.user + c.system) / 1000 / tokens) * 1000);
  }
  // The whole stage on raw text (tokeniser, tagging, grouping), one article per test document.
  const texts = test.map((d) => d.sentences.map((s) => s.words.join(' ')).join('\n\n'));
  const stageCpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    for (const text of texts) extractEntities('', text, bundle);
    const c = process.cpuUsage(c0);
    stageCpu.push(((c.user + c.system) / 1000 / tokens) * 1000);
  }
  const ms = (xs: number[]): string => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `median ${percentile(sorted, 0.5).toFixed(2)}, p95 ${percentile(sorted, 0.95).toFixed(2)}`;
  };
  return `speed, ms per 1,000 tokens (${tokens} tokens x ${RUNS} runs):\n  tagging (features + two passes): wall ${ms(wall)}; CPU ${ms(cpu)}\n`
    + `  whole stage on raw text (tokenise, tag, group): CPU ${ms(stageCpu)}`;
}

main();
