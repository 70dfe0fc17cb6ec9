import type { LexiconEntry } from './token-features.js';
import { normaliseToken } from './normalise-token.js';

const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);
const isWord = (w: string): boolean => /\p{L}/u.test(w);

/** Capitalisation bucket of a word away from sentence starts: names are "hi", common words "lo". */
function capsBucket(capitalised: number, total: number): string {
  if (total < 2) return 'rare';
  const r = capitalised / total;
  return r < 0.1 ? 'lo' : r < 0.6 ? 'mid' : r < 0.95 ? 'cap' : 'hi';
}

interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** Deterministic k-means on unit sparse vectors (cosine), seeded by evenly spaced picks. */
function kMeans(vectors: readonly SparseVector[], dims: number, k: number, iterations: number): Int32Array {
  const assign = new Int32Array(vectors.length);
  if (vectors.length <= k) return assign.map((_, i) => i);
  let centroids = Array.from({ length: k }, (_, c) => {
    const v = vectors[Math.floor((c * vectors.length) / k)]!;
    const d = new Float64Array(dims);
    v.idx.forEach((j, n) => { d[j] = v.val[n]!; });
    return d;
  });
  for (let it = 0; it < iterations; it++) {
    vectors.forEach((v, i) => {
      let best = -Infinity;
      for (let c = 0; c < k; c++) {
        const cen = centroids[c]!;
        let s = 0;
        for (let n = 0; n < v.idx.length; n++) s += cen[v.idx[n]!]! * v.val[n]!;
        if (s > best) { best = s; assign[i] = c; }
      }
    });
    const next = Array.from({ length: k }, () => new Float64Array(dims));
    vectors.forEach((v, i) => {
      const cen = next[assign[i]!]!;
      for (let n = 0; n < v.idx.length; n++) cen[v.idx[n]!]! += v.val[n]!;
    });
    for (const cen of next) {
      const norm = Math.hypot(...cen) || 1;
      for (let j = 0; j < dims; j++) cen[j]! /= norm;
    }
    centroids = next;
  }
  return assign;
}

/**
 * Learns per-word facts from unlabelled sentences: how often the word is capitalised away from a
 * sentence start, and a two-level word cluster from left/right-neighbour vectors (a cheap
 * stand-in for Brown clusters). Cluster codes are four base-36 characters: the first two
 * name the top-level cluster, all four the sub-cluster (features use both prefixes).
 */
export function buildLexicon(sentences: readonly (readonly string[])[], opts = { minCount: 3, contexts: 400, top: 24, sub: 12 }): Map<string, LexiconEntry> {
  const total = new Map<string, number>();
  const caps = new Map<string, number>();
  const freq = new Map<string, number>();
  for (const raw of sentences) {
    raw.forEach((r, i) => {
      const w = normaliseToken(r);
      const l = w.toLowerCase();
      freq.set(l, (freq.get(l) ?? 0) + 1);
      if (i === 0 || !isWord(w)) return;
      total.set(l, (total.get(l) ?? 0) + 1);
      if (isCap(w)) caps.set(l, (caps.get(l) ?? 0) + 1);
    });
  }
  const byFreq = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const ctxIndex = new Map(byFreq.slice(0, opts.contexts).map(([w], i) => [w, i]));
  const vocab = byFreq.filter(([w, n]) => n >= opts.minCount && isWord(w)).map(([w]) => w);
  const vocabIndex = new Map(vocab.map((w, i) => [w, i]));
  const counts = vocab.map(() => new Map<number, number>());
  for (const raw of sentences) {
    const low = raw.map((r) => normaliseToken(r).toLowerCase());
    low.forEach((l, i) => {
      const v = vocabIndex.get(l);
      if (v === undefined) return;
      const left = i > 0 ? ctxIndex.get(low[i - 1]!) : opts.contexts - 1;
      const right = i + 1 < low.length ? ctxIndex.get(low[i + 1]!) : opts.contexts - 1;
      if (left !== undefined) counts[v]!.set(left, (counts[v]!.get(left) ?? 0) + 1);
      if (right !== undefined) counts[v]!.set(opts.contexts + right, (counts[v]!.get(opts.contexts + right) ?? 0) + 1);
    });
  }
  const vectors = counts.map((m) => {
    const idx = Int32Array.from([...m.keys()].sort((a, b) => a - b));
    const val = Float64Array.from(idx, (j) => Math.log1p(m.get(j)!));
    const norm = Math.hypot(...val) || 1;
    return { idx, val: val.map((x) => x / norm) };
  });
  const dims = 2 * opts.contexts;
  const top = kMeans(vectors, dims, opts.top, 8);
  const code = new Array<string>(vocab.length).fill('');
  for (let c = 0; c < opts.top; c++) {
    const members = vocab.map((_, i) => i).filter((i) => top[i] === c);
    const sub = kMeans(members.map((i) => vectors[i]!), dims, opts.sub, 6);
    members.forEach((i, n) => { code[i] = c.toString(36).padStart(2, '0') + sub[n]!.toString(36).padStart(2, '0'); });
  }
  const out = new Map<string, LexiconEntry>();
  const words = new Set([...total.keys(), ...vocab]);
  for (const w of [...words].sort()) {
    const bucket = capsBucket(caps.get(w) ?? 0, total.get(w) ?? 0);
    const cluster = code[vocabIndex.get(w) ?? -1] ?? '';
    if (bucket === 'rare' && cluster === '') continue;
    out.set(w, { caps: bucket, cluster });
  }
  return out;
}
