import { documentHints } from './document-hints.js';
import { harmoniseTypes } from './harmonise-types.js';
import type { NerBundle } from './load-ner-model.js';
import { jointWeights } from './ner-model.js';
import { propagateNames } from './propagate-names.js';
import { hintFeatures, tokenFeatures } from './token-features.js';
import { viterbiDecode } from './viterbi-decode.js';

/** Sums rows[t] at offset `at` into a tokens x L score matrix. */
function scores(rows: readonly (readonly Float32Array[])[], L: number, at: number): Float64Array {
  const out = new Float64Array(rows.length * L);
  rows.forEach((list, t) => {
    for (const row of list) for (let y = 0; y < L; y++) out[t * L + y]! += row[at + y]!;
  });
  return out;
}

/**
 * Tags every sentence of one document (an article, or one corpus document). Sentences are token
 * lists; the result is one BIO2 tag list per sentence. With two models, the second re-tags the
 * document using what the first found elsewhere in it (document-hints.ts); last, each name gets
 * its majority type in the document (harmonise-types.ts), and untagged repeats of people and
 * places, or a lone surname of a person named in full, are labelled (propagate-names.ts; off with
 * `propagate: false`, as training scores the tagger's own output when it picks epochs).
 */
export function tagDocument(bundle: NerBundle, sentences: readonly (readonly string[])[], opts: { readonly propagate?: boolean } = {}): string[][] {
  const { models } = bundle;
  const first = models[0]!;
  const L = first.labels.length;
  bundle.joint ??= jointWeights(models);
  const joint = bundle.joint;
  const decode = (pass: number, rows: readonly (readonly Float32Array[])[]): string[] => {
    const m = models[pass]!;
    return Array.from(viterbiDecode(scores(rows, L, pass * L), rows.length, L, m.transitions, m.allowed), (y) => m.labels[y]!);
  };
  // Each feature string is looked up once; both passes read their half of the joint row.
  const rows = sentences.map((words) => tokenFeatures(words, bundle.resources).map((tf) => {
    const found: Float32Array[] = [];
    for (const f of tf) {
      const row = joint.get(f);
      if (row !== undefined) found.push(row);
    }
    return found;
  }));
  const firstPass = rows.map((r) => decode(0, r));
  if (models.length < 2) return harmoniseTypes(sentences, firstPass);
  const hints = documentHints(sentences, firstPass);
  const secondPass = rows.map((r, i) => decode(1, r.map((found, t) => {
    const h = hints[i]![t]!;
    if (h.length === 0) return found;
    const more = [...found];
    for (const f of hintFeatures(h, t)) {
      const row = joint.get(f);
      if (row !== undefined) more.push(row);
    }
    return more;
  })));
  const harmonised = harmoniseTypes(sentences, secondPass);
  return opts.propagate === false ? harmonised : propagateNames(sentences, harmonised, bundle.resources);
}
