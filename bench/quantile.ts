/** Nearest-rank quantile `p` (0–1) of `xs`, NaN when empty: the benches' and chaos tables' p50/p95. */
export function nearestRank(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))]!;
}
