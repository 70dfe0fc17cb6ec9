const DAMPING = 0.85;
const ITERATIONS = 30;

/**
 * PageRank over a sentence graph (TextRank, Mihalcea & Tarau 2004) with a personalised teleport:
 * `prior` (the lead bias) says where a random reader jumps, so early sentences rank higher
 * unless the body keeps pointing elsewhere. `weights[i][j]` is the symmetric similarity.
 */
export function textRank(weights: readonly Float64Array[], prior: readonly number[]): number[] {
  const n = weights.length;
  const outSum = weights.map((row) => row.reduce((a, b) => a + b, 0));
  const priorSum = prior.reduce((a, b) => a + b, 0) || 1;
  const teleport = prior.map((p) => p / priorSum);
  let rank = teleport.slice();
  for (let iter = 0; iter < ITERATIONS; iter++) {
    const next = teleport.map((t) => (1 - DAMPING) * t);
    let dangling = 0;
    for (let j = 0; j < n; j++) {
      if (outSum[j] === 0) {
        dangling += rank[j]!;
        continue;
      }
      const share = (DAMPING * rank[j]!) / outSum[j]!;
      const row = weights[j]!;
      for (let i = 0; i < n; i++) if (row[i]! > 0) next[i]! += share * row[i]!;
    }
    // A sentence sharing no words with the others hands its rank back through the teleport.
    for (let i = 0; i < n; i++) next[i]! += DAMPING * dangling * teleport[i]!;
    rank = next;
  }
  return rank;
}
