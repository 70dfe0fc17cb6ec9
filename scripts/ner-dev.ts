// Development harness (not part of the build): trains with fixed epochs on train.conll and scores
// dev.conll, or runs k-fold cross-validation on train.conll. test.conll is never read.
//   tsx scripts/ner-dev.ts [--epochs=7] [--bag=3] [--one-pass] [--without=..] [--brownctx] [--cv=5] [--errors=FILE]
//                          [--save=FILE | --load=FILE (score a saved dev model, no training)]
//                          [--diff=+places (sentences a variant changes)] [--errors-of=+prop]
//                          [--self-train [--labeller=FILE] [--agree=pass1,halves] [--self-weight=1] [--names-only]]
// --self-train adds the stored news pages tagged by a train-only model (--labeller: a saved dev
// model; otherwise the model trained first, in each fold for --cv) where the --agree taggings
// agree (ner-self-train.ts), then retrains on both.
// Each line scores the tagger's own output ("tagger"), then with label propagation ("+prop"),
// then with each span rule of refine-spans.ts alone, the rules before "heads" ("+old rules") and
// all of them (the stage's output).
import { readFileSync, writeFileSync } from 'node:fs';
import { bioSpans } from '../stages/enrich/entities/bio-spans.js';
import { loadFeatureResources } from '../stages/enrich/entities/load-ner-model.js';
import { decodeNerModel } from '../stages/enrich/entities/ner-model.js';
import { propagateNames } from '../stages/enrich/entities/propagate-names.js';
import { refineSpans, type RefineRules } from '../stages/enrich/entities/refine-spans.js';
import { spanScores } from '../stages/enrich/entities/span-scores.js';
import { tagDocument } from '../stages/enrich/entities/tag-document.js';
import type { FeatureResources } from '../stages/enrich/entities/token-features.js';
import { NEWS_SOURCES, readSplit, trainModel, withoutGroups, type CorpusDoc, type TrainConfig } from './train-ner.js';
import { checkers, pageDocuments, selfTrainingDocs, type Agreement } from './ner-self-train.js';

const SHARED = new URL('../../shared/corpora/ner/', import.meta.url);
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const str = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const without = withoutGroups(args);
const dir = str('model') ? new URL(`file://${str('model')!.replace(/\/?$/, '/')}`) : new URL('../models/ner/', import.meta.url);
const groups = Object.fromEntries(without.map((g) => [g, false])) as FeatureResources['groups'];
const epochs = option('epochs', 7);
const bag = option('bag', 3);
const twoPass = !args.includes('--one-pass');
const config: TrainConfig = {
  resources: { ...loadFeatureResources(dir), groups },
  openMisc: !args.includes('--closed-misc'),
  epochs, minCount: option('min-count', 2), wordDropout: option('dropout', 0), bagSize: bag, twoPass,
  selfWeight: option('self-weight', 1),
};
const fixed = [Array(bag).fill(epochs), Array(bag).fill(option('epochs2', epochs))];
const t0 = Date.now();
const train = readSplit(SHARED, 'train');
const selfTrain = args.includes('--self-train');
const pages = selfTrain ? pageDocuments() : [];
const agree = (str('agree')?.split(',') ?? ['pass1']) as Agreement[];

/** `tr` plus, with --self-train, the pages tagged by `labeller` (trained on `tr` when not given). */
function withPages(tr: readonly CorpusDoc[], labeller?: ReturnType<typeof trainModel>['passes']): CorpusDoc[] {
  if (!selfTrain) return [...tr];
  const bundle = { models: (labeller ?? trainModel(tr, config, { fixed }).passes).map(decodeNerModel), resources: config.resources };
  const st = selfTrainingDocs(pages, bundle, checkers(bundle, tr, config, agree, epochs), args.includes('--names-only'));
  console.log(`self-training: ${st.kept} of ${st.total} page sentences kept (${st.names} names, ${st.docs.length} pages) (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return [...tr, ...st.docs];
}

/** Post-processing variants scored on the same tagger output: name -> tags per sentence. */
const VARIANTS: [string, RefineRules | null][] = [
  ['tagger', null], ['+prop', {}], ['+titles', { titles: true }], ['+places', { places: true }],
  ['+coord', { coordination: true }], ['+acronyms', { acronyms: true }], ['+heads', { heads: true }],
  ['+old rules', { titles: true, places: true, coordination: true, acronyms: true }],
  ['+all rules', { titles: true, places: true, coordination: true, acronyms: true, heads: true }],
];
function tagAll(docs: readonly CorpusDoc[], passes: ReturnType<typeof trainModel>['passes']): Map<string, string[][]> {
  const bundle = { models: passes.map(decodeNerModel), resources: config.resources };
  const out = new Map<string, string[][]>(VARIANTS.map(([name]) => [name, []]));
  for (const d of docs) {
    const words = d.sentences.map((s) => s.words);
    const own = tagDocument(bundle, words, { propagate: false });
    const prop = propagateNames(words, own, config.resources);
    for (const [name, rules] of VARIANTS) out.get(name)!.push(...(rules === null ? own : refineSpans(words, prop, config.resources, rules)));
  }
  return out;
}
const fmt = (s: ReturnType<typeof spanScores>): string => ['PER+ORG+LOC', 'PER', 'ORG', 'LOC']
  .map((g) => `${g === 'PER+ORG+LOC' ? 'F1' : g} ${(100 * s[g]!.f1).toFixed(1)}`).join(' ');
/** `--errors=FILE`: each missed (FN) and spurious (FP) PER/ORG/LOC name of `--errors-of` (+all rules). */
function writeErrors(words: string[][], gold: string[][], pred: string[][], srcs: string[]): void {
  const errFile = str('errors');
  if (!errFile) return;
  const lines: string[] = [];
  gold.forEach((g, i) => {
    const key = (x: { start: number; end: number; type: string }): string => `${x.start}:${x.end}:${x.type}`;
    const gs = bioSpans(g).filter((x) => x.type !== 'MISC'); const ps = bioSpans(pred[i]!).filter((x) => x.type !== 'MISC');
    const gk = new Set(gs.map(key)); const pk = new Set(ps.map(key));
    const txt = (x: { start: number; end: number }): string => words[i]!.slice(x.start, x.end).join(' ');
    for (const x of gs) if (!pk.has(key(x))) lines.push(`${srcs[i]}\tFN\t${x.type}\t${txt(x)}\t| ${words[i]!.join(' ')}`);
    for (const x of ps) if (!gk.has(key(x))) lines.push(`${srcs[i]}\tFP\t${x.type}\t${txt(x)}\t| gold: ${bioSpans(g).filter((y) => y.end > x.start && y.start < x.end).map((y) => `${y.type}:${txt(y)}`).join(', ')}`);
  });
  writeFileSync(errFile, lines.join('\n') + '\n');
}

/** `--diff=+places`: sentences a variant changes against "+prop", with the gold names. */
function printDiff(words: string[][], gold: string[][], preds: Map<string, string[][]>): void {
  const name = str('diff');
  if (!name) return;
  const base = preds.get('+prop')!; const v = preds.get(name)!;
  let better = 0; let worse = 0;
  const spans = (w: string[], tags: string[]): string[] => bioSpans(tags).map((x) => `${x.type}:${w.slice(x.start, x.end).join(' ')}`);
  v.forEach((t, i) => {
    if (t.join() === base[i]!.join()) return;
    const g = new Set(spans(words[i]!, gold[i]!));
    const hits = (tags: string[]): number => spans(words[i]!, tags).filter((x) => g.has(x)).length - spans(words[i]!, tags).filter((x) => !g.has(x)).length;
    const d = hits(t) - hits(base[i]!);
    if (d > 0) better++; else if (d < 0) worse++;
    console.log(`${d > 0 ? '+' : d < 0 ? '-' : '='} before ${spans(words[i]!, base[i]!).join(', ')}\n  after  ${spans(words[i]!, t).join(', ')}\n  gold   ${[...g].join(', ')}\n  | ${words[i]!.join(' ')}`);
  });
  console.log(`${name}: ${better} sentences better, ${worse} worse`);
}
const table = (label: string, gold: string[][], preds: Map<string, string[][]>, keep: (i: number) => boolean): void => {
  for (const [name, pred] of preds) {
    console.log(`${label.padEnd(9)} ${name.padEnd(11)} ${fmt(spanScores(gold.filter((_, i) => keep(i)), pred.filter((_, i) => keep(i))))}`);
  }
};

const cv = option('cv', 0);
if (cv > 0) {
  const gold: string[][] = []; const news: boolean[] = []; const words: string[][] = []; const srcs: string[] = [];
  const preds = new Map<string, string[][]>(VARIANTS.map(([name]) => [name, []]));
  for (let fold = 0; fold < cv; fold++) {
    const tr = train.filter((_, i) => i % cv !== fold);
    const te = train.filter((_, i) => i % cv === fold);
    const { passes } = trainModel(withPages(tr), config, { fixed });
    for (const [name, p] of tagAll(te, passes)) preds.get(name)!.push(...p);
    for (const d of te) for (const s of d.sentences) { gold.push(s.tags); news.push(NEWS_SOURCES.includes(d.source)); words.push(s.words); srcs.push(d.source); }
    console.log(`fold ${fold} done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  printDiff(words, gold, preds);
  writeErrors(words, gold, preds.get(str('errors-of') ?? '+all rules')!, srcs);
  table(`CV${cv} all`, gold, preds, () => true);
  table(`CV${cv} news`, gold, preds, (i) => news[i]!);
} else {
  const dev = readSplit(SHARED, 'dev');
  const load = str('load');
  type Saved = { passes: ReturnType<typeof trainModel>['passes'] };
  const labeller = str('labeller') ? (JSON.parse(readFileSync(str('labeller')!, 'utf8')) as Saved).passes : undefined;
  const { passes } = load ? JSON.parse(readFileSync(load, 'utf8')) as Saved : trainModel(withPages(train, labeller), config, { fixed });
  if (str('save')) writeFileSync(str('save')!, JSON.stringify({ passes, groups }));
  const preds = tagAll(dev, passes);
  const pred = preds.get(str('errors-of') ?? '+all rules')!;
  const gold = dev.flatMap((d) => d.sentences.map((s) => s.tags));
  const isNews = dev.flatMap((d) => d.sentences.map(() => NEWS_SOURCES.includes(d.source)));
  printDiff(dev.flatMap((d) => d.sentences.map((s) => s.words)), gold, preds);
  table('dev', gold, preds, () => true);
  table('dev news', gold, preds, (i) => isNews[i]!);
  writeErrors(dev.flatMap((d) => d.sentences.map((s) => s.words)), gold, pred, dev.flatMap((d) => d.sentences.map(() => d.source)));
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
