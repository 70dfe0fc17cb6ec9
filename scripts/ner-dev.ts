// Development harness (not part of the build): trains with fixed epochs on train.conll and scores
// dev.conll, or runs k-fold cross-validation on train.conll. test.conll is never read.
//   tsx scripts/ner-dev.ts [--epochs=7] [--bag=3] [--one-pass] [--without=..] [--cv=5] [--errors=FILE]
import { writeFileSync } from 'node:fs';
import { bioSpans } from '../stages/enrich/entities/bio-spans.js';
import { loadFeatureResources } from '../stages/enrich/entities/load-ner-model.js';
import { decodeNerModel } from '../stages/enrich/entities/ner-model.js';
import { spanScores } from '../stages/enrich/entities/span-scores.js';
import { tagDocument } from '../stages/enrich/entities/tag-document.js';
import type { FeatureGroup, FeatureResources } from '../stages/enrich/entities/token-features.js';
import { NEWS_SOURCES, readSplit, trainModel, type CorpusDoc, type TrainConfig } from './train-ner.js';

const SHARED = new URL('../../shared/corpora/ner/', import.meta.url);
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const str = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const without = (str('without')?.split(',') ?? []) as FeatureGroup[];
const dir = str('model') ? new URL(`file://${str('model')!.replace(/\/?$/, '/')}`) : new URL('../models/ner/', import.meta.url);
const groups = Object.fromEntries(without.map((g) => [g, false])) as FeatureResources['groups'];
const epochs = option('epochs', 7);
const bag = option('bag', 3);
const twoPass = !args.includes('--one-pass');
const config: TrainConfig = {
  resources: { ...loadFeatureResources(dir), groups },
  openMisc: !args.includes('--closed-misc'),
  epochs, minCount: option('min-count', 2), wordDropout: option('dropout', 0), bagSize: bag, twoPass,
};
const fixed = [Array(bag).fill(epochs), Array(bag).fill(option('epochs2', epochs))];
const t0 = Date.now();
const train = readSplit(SHARED, 'train');

function tagAll(docs: readonly CorpusDoc[], passes: ReturnType<typeof trainModel>['passes']): string[][] {
  const bundle = { models: passes.map(decodeNerModel), resources: config.resources };
  return docs.flatMap((d) => tagDocument(bundle, d.sentences.map((s) => s.words)));
}
const fmt = (s: ReturnType<typeof spanScores>): string => ['PER+ORG+LOC', 'PER', 'ORG', 'LOC']
  .map((g) => `${g === 'PER+ORG+LOC' ? 'F1' : g} ${(100 * s[g]!.f1).toFixed(1)}`).join(' ');

const cv = option('cv', 0);
if (cv > 0) {
  const gold: string[][] = []; const pred: string[][] = []; const goldN: string[][] = []; const predN: string[][] = [];
  for (let fold = 0; fold < cv; fold++) {
    const tr = train.filter((_, i) => i % cv !== fold);
    const te = train.filter((_, i) => i % cv === fold);
    const { passes } = trainModel(tr, config, { fixed });
    const p = tagAll(te, passes);
    let k = 0;
    for (const d of te) for (const s of d.sentences) {
      gold.push(s.tags); pred.push(p[k]!);
      if (NEWS_SOURCES.includes(d.source)) { goldN.push(s.tags); predN.push(p[k]!); }
      k++;
    }
    console.log(`fold ${fold} done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`CV${cv} all  ${fmt(spanScores(gold, pred))}`);
  console.log(`CV${cv} news ${fmt(spanScores(goldN, predN))}`);
} else {
  const dev = readSplit(SHARED, 'dev');
  const { passes } = trainModel(train, config, { fixed });
  if (str('save')) writeFileSync(str('save')!, JSON.stringify({ passes, groups }));
  const pred = tagAll(dev, passes);
  const gold = dev.flatMap((d) => d.sentences.map((s) => s.tags));
  const isNews = dev.flatMap((d) => d.sentences.map(() => NEWS_SOURCES.includes(d.source)));
  console.log(`dev  ${fmt(spanScores(gold, pred))}`);
  console.log(`news ${fmt(spanScores(gold.filter((_, i) => isNews[i]), pred.filter((_, i) => isNews[i])))}`);
  const errFile = str('errors');
  if (errFile) {
    const words = dev.flatMap((d) => d.sentences.map((s) => s.words));
    const srcs = dev.flatMap((d) => d.sentences.map(() => d.source));
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
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
