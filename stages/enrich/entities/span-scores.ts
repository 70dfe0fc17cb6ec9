import { bioSpans } from './bio-spans.js';

/** Precision, recall and F1 of one entity type (or a group of types). */
export interface SpanScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly gold: number;
}

/** The groups the benchmark reports: each type, plus PER+ORG+LOC with MISC ignored on both sides. */
export const SCORE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  PER: ['PER'],
  ORG: ['ORG'],
  LOC: ['LOC'],
  MISC: ['MISC'],
  'PER+ORG+LOC': ['PER', 'ORG', 'LOC'],
};

/**
 * Exact-span scores, CoNLL style: a predicted entity counts only if start, end and type all match
 * a gold one (the evaluation of ../shared/corpora/ner/baseline_perceptron.py).
 */
export function spanScores(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): Record<string, SpanScore> {
  const out: Record<string, SpanScore> = {};
  for (const [group, types] of Object.entries(SCORE_GROUPS)) {
    let tp = 0;
    let nGold = 0;
    let nPred = 0;
    gold.forEach((g, s) => {
      const key = (x: { start: number; end: number; type: string }): string => `${x.start}:${x.end}:${x.type}`;
      const gs = new Set(bioSpans(g).filter((x) => types.includes(x.type)).map(key));
      const ps = bioSpans(predicted[s]!).filter((x) => types.includes(x.type)).map(key);
      nGold += gs.size;
      nPred += ps.length;
      for (const p of ps) if (gs.has(p)) tp++;
    });
    const precision = nPred === 0 ? 0 : tp / nPred;
    const recall = nGold === 0 ? 0 : tp / nGold;
    out[group] = { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), gold: nGold };
  }
  return out;
}
