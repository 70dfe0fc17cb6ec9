import { allowedTransitions } from './viterbi-decode.js';

/** A trained linear-chain tagger: per-feature label weights plus label-bigram transitions. */
export interface NerModel {
  readonly labels: readonly string[];
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** (labels + 1) x labels; the last row scores the first label of a sentence. */
  readonly transitions: Float64Array;
  readonly allowed: Uint8Array;
}

/** The committed weights file (models/ner/weights.json.gz): integers, divided by `scale`. */
export interface NerModelFile {
  readonly format: 'newsloom-ner/1';
  readonly labels: string[];
  readonly scale: number;
  readonly transitions: number[];
  /** feature -> [labelIndex, weight, labelIndex, weight, ...] for the non-zero weights. */
  readonly features: Record<string, number[]>;
}

/** Builds the in-memory model from the file form. */
export function decodeNerModel(file: NerModelFile): NerModel {
  if (file.format !== 'newsloom-ner/1') throw new Error(`NER weights: unknown format ${String(file.format)}`);
  const L = file.labels.length;
  const weights = new Map<string, Float32Array>();
  for (const [name, pairs] of Object.entries(file.features)) {
    const row = new Float32Array(L);
    for (let k = 0; k < pairs.length; k += 2) row[pairs[k]!] = pairs[k + 1]! / file.scale;
    weights.set(name, row);
  }
  return {
    labels: file.labels,
    weights,
    transitions: Float64Array.from(file.transitions, (v) => v / file.scale),
    allowed: allowedTransitions(file.labels),
  };
}

/**
 * The weights of several models over the same labels in one map, row k*L..(k+1)*L for model k,
 * so a document tagged in two passes looks each feature string up once, not twice.
 */
export function jointWeights(models: readonly NerModel[]): Map<string, Float32Array> {
  const L = models[0]!.labels.length;
  const out = new Map<string, Float32Array>();
  models.forEach((m, k) => {
    for (const [name, row] of m.weights) {
      let joint = out.get(name);
      if (joint === undefined) out.set(name, (joint = new Float32Array(L * models.length)));
      joint.set(row, k * L);
    }
  });
  return out;
}
