import { normaliseToken } from './normalise-token.js';

/**
 * Class-based bigram word clusters (Brown et al. 1992's objective) learnt with the exchange
 * algorithm (Kneser & Ney 1993; Martin, Liermann & Ney 1998): each word sits in one of `k`
 * classes, and words move, one at a time, to the class that most raises the likelihood of the
 * unlabelled text under a class-bigram model. Words that follow and precede the same kinds of
 * words end up together ("said / told / added", "minister / spokesman", "Reuters / AFP"), which
 * is what Brown clusters give a tagger (Ratinov & Roth 2009), at a fraction of the cost of the
 * agglomerative algorithm. Several granularities are learnt independently; a tagger uses each as
 * a feature, the way it would use Brown bit-string prefixes of several lengths.
 *
 * Deterministic: words are visited in frequency order and classes start as frequency rank mod k.
 */
export function exchangeClusters(
  sentences: readonly (readonly string[])[],
  opts: { readonly minCount: number; readonly classes: number; readonly iterations: number },
): Map<string, number> {
  const k = opts.classes;
  // Vocabulary: lower-cased words seen at least minCount times, plus two pseudo-words: sentence
  // boundary (id 0) and "rare word" (id 1), which stay in fixed classes 0 and 1.
  const freq = new Map<string, number>();
  const lowered = sentences.map((s) => s.map((w) => normaliseToken(w).toLowerCase()));
  for (const s of lowered) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const vocab = [...freq].filter(([, n]) => n >= opts.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const id = new Map(vocab.map((w, i) => [w, i + 2]));
  const V = vocab.length + 2;
  // Word bigram counts as adjacency lists (successors and predecessors), and unigram counts.
  const succ = Array.from({ length: V }, () => new Map<number, number>());
  const pred = Array.from({ length: V }, () => new Map<number, number>());
  const uni = new Float64Array(V);
  for (const s of lowered) {
    let prev = 0;
    for (const w of [...s, '']) {
      const cur = w === '' ? 0 : id.get(w) ?? 1;
      succ[prev]!.set(cur, (succ[prev]!.get(cur) ?? 0) + 1);
      pred[cur]!.set(prev, (pred[cur]!.get(prev) ?? 0) + 1);
      uni[cur]! += 1;
      prev = cur;
    }
  }
  const toArrays = (m: Map<number, number>): [Int32Array, Float64Array] => [Int32Array.from(m.keys()), Float64Array.from(m.values())];
  const S = succ.map(toArrays);
  const P = pred.map(toArrays);
  const self = Float64Array.from({ length: V }, (_, w) => succ[w]!.get(w) ?? 0);
  const cls = Int32Array.from({ length: V }, (_, w) => (w < 2 ? w : 2 + ((w - 2) % (k - 2))));
  // Class bigram counts N[a*k+b] and class unigram counts (as left and as right element).
  const N = new Float64Array(k * k);
  const left = new Float64Array(k);
  const right = new Float64Array(k);
  for (let w = 0; w < V; w++) {
    const [to, n] = S[w]!;
    for (let j = 0; j < to.length; j++) {
      N[cls[w]! * k + cls[to[j]!]!]! += n[j]!;
      left[cls[w]!]! += n[j]!;
      right[cls[to[j]!]!]! += n[j]!;
    }
  }
  const f = (x: number): number => (x > 0 ? x * Math.log(x) : 0);
  const succByClass = new Float64Array(k);
  const predByClass = new Float64Array(k);
  const tS = new Int32Array(k);
  const tP = new Int32Array(k);
  const vS = new Float64Array(k);
  const vP = new Float64Array(k);
  for (let it = 0; it < opts.iterations; it++) {
    let moves = 0;
    for (let w = 2; w < V; w++) {
      const a = cls[w]!;
      // Counts of w's successors and predecessors by class (self-bigrams apart).
      let nS = 0;
      let nP = 0;
      const [to, nt] = S[w]!;
      for (let j = 0; j < to.length; j++) {
        if (to[j] === w) continue;
        const c = cls[to[j]!]!;
        if (succByClass[c] === 0) tS[nS++] = c;
        succByClass[c]! += nt[j]!;
      }
      const [from, nf] = P[w]!;
      for (let j = 0; j < from.length; j++) {
        if (from[j] === w) continue;
        const c = cls[from[j]!]!;
        if (predByClass[c] === 0) tP[nP++] = c;
        predByClass[c]! += nf[j]!;
      }
      let lw = self[w]!;
      let rw = self[w]!;
      for (let j = 0; j < nS; j++) { vS[j] = succByClass[tS[j]!]!; lw += vS[j]!; }
      for (let j = 0; j < nP; j++) { vP[j] = predByClass[tP[j]!]!; rw += vP[j]!; }
      const ww = self[w]!;
      // Take w out of class a.
      for (let j = 0; j < nS; j++) N[a * k + tS[j]!]! -= vS[j]!;
      for (let j = 0; j < nP; j++) N[tP[j]! * k + a]! -= vP[j]!;
      N[a * k + a]! -= ww;
      left[a]! -= lw;
      right[a]! -= rw;
      // The gain of putting w into class b (terms that do not depend on b are left out).
      let best = a;
      let bestGain = -Infinity;
      for (let b = 2; b < k; b++) {
        let g = 0;
        const row = b * k;
        for (let j = 0; j < nS; j++) {
          const c = tS[j]!;
          if (c === b) continue;
          const x = N[row + c]!;
          const y = x + vS[j]!;
          g += y * Math.log(y) - (x > 0 ? x * Math.log(x) : 0);
        }
        for (let j = 0; j < nP; j++) {
          const c = tP[j]!;
          if (c === b) continue;
          const x = N[c * k + b]!;
          const y = x + vP[j]!;
          g += y * Math.log(y) - (x > 0 ? x * Math.log(x) : 0);
        }
        g += f(N[row + b]! + succByClass[b]! + predByClass[b]! + ww) - f(N[row + b]!);
        g -= f(left[b]! + lw) - f(left[b]!) + f(right[b]! + rw) - f(right[b]!);
        if (g > bestGain + 1e-9 || (b === a && g >= bestGain - 1e-9)) { bestGain = g; best = b; }
      }
      for (let j = 0; j < nS; j++) N[best * k + tS[j]!]! += vS[j]!;
      for (let j = 0; j < nP; j++) N[tP[j]! * k + best]! += vP[j]!;
      N[best * k + best]! += ww;
      left[best]! += lw;
      right[best]! += rw;
      cls[w] = best;
      if (best !== a) moves++;
      for (let j = 0; j < nS; j++) succByClass[tS[j]!] = 0;
      for (let j = 0; j < nP; j++) predByClass[tP[j]!] = 0;
    }
    if (moves === 0) break;
  }
  return new Map(vocab.map((w, i) => [w, cls[i + 2]!]));
}
