// tsx scripts/build-ner-clusters.ts [--out=DIR] [--classes=48,192,640] [--min-count=2] [--iterations=10]
// Rebuilds models/ner/clusters.tsv.gz: exchange-algorithm word clusters (word-clusters.ts) learnt
// from unlabelled text: the words of ../shared/corpora/ner/train.conll without their tags and the
// visible text of the stored pages in ../shared/corpora/extraction-dev. Dev and test text are not
// read, so dev scores stay honest. Deterministic. Also run by `npm run train:ner`.
// The file holds only `word <TAB> class at each granularity` lines, no text.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { exchangeClusters } from '../stages/enrich/entities/word-clusters.js';
import { readSplit, unlabelledSentences } from './train-ner.js';

export const CLUSTER_CLASSES = [48, 192, 640];

const FUNCTION_WORDS = new Set(['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'a', 'was', 'on', 'with', 'it', 'as', 'by', 'he', 'said']);

/** English sentences only: the stored pages are in many languages (at least 1 word in 12 a common English word). */
export function englishSentences(sentences: readonly (readonly string[])[]): (readonly string[])[] {
  return sentences.filter((s) => s.filter((w) => FUNCTION_WORDS.has(w.toLowerCase())).length * 12 >= s.length);
}

/** Clusters at each granularity, as the TSV text of clusters.tsv.gz. */
export function buildClusterTable(sentences: readonly (readonly string[])[], classes = CLUSTER_CLASSES, minCount = 2, iterations = 10): string {
  const maps = classes.map((k) => {
    const t0 = Date.now();
    const m = exchangeClusters(sentences, { classes: k, minCount, iterations });
    console.log(`clusters: ${k} classes over ${m.size} words (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    return m;
  });
  const words = [...maps[0]!.keys()].sort();
  return `#word\t${classes.join('\t')}\n${words.map((w) => `${w}\t${maps.map((m) => m.get(w)).join('\t')}`).join('\n')}\n`;
}

function main(): void {
  const shared = new URL('../../shared/corpora/ner/', import.meta.url);
  if (!existsSync(shared)) {
    console.log('build-ner-clusters: ../shared/corpora/ner not found');
    return;
  }
  const args = process.argv.slice(2);
  const str = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const out = str('out') ? new URL(`file://${str('out')!.replace(/\/?$/, '/')}`) : new URL('../models/ner/', import.meta.url);
  mkdirSync(out, { recursive: true });
  const classes = str('classes')?.split(',').map(Number) ?? CLUSTER_CLASSES;
  const t0 = Date.now();
  const tsv = buildClusterTable(englishSentences(unlabelledSentences(readSplit(shared, 'train'))), classes, Number(str('min-count') ?? 2), Number(str('iterations') ?? 10));
  writeFileSync(new URL('clusters.tsv.gz', out), gzipSync(tsv, { level: 9 }));
  console.log(`wrote clusters.tsv.gz (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
