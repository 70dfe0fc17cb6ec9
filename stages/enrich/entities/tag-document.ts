import { documentHints } from './document-hints.js';
import { harmoniseTypes } from './harmonise-types.js';
import type { NerBundle } from './load-ner-model.js';
import { propagateNames } from './propagate-names.js';
import { refineSpans } from './refine-spans.js';
import { FeatureTable } from './feature-rows.js';
import { viterbiDecode } from './viterbi-decode.js';

/**
 * Tags every sentence of one document (an article, or one corpus document). Sentences are token
 * lists; the result is one BIO2 tag list per sentence. With two models, the second re-tags the
 * document using what the first found elsewhere in it (document-hints.ts); last, each name gets
 * its majority type in the document (harmonise-types.ts), and untagged repeats of people and
 * places, or a lone surname of a person named in full, are labelled (propagate-names.ts), and
 * span conventions are fixed (refine-spans.ts: titles, listed places, "X and Y" organisations,
 * defined acronyms). `propagate: false` turns both off, as training scores the tagger's own
 * output when it picks epochs.
 */
export function tagDocument(bundle: NerBundle, sentences: readonly (readonly string[])[], opts: { readonly propagate?: boolean } = {}): string[][] {
  const { models } = bundle;
  const first = models[0]!;
  const L = first.labels.length;
  bundle.table ??= new FeatureTable(models);
  const table = bundle.table;
  const W = L * models.length;
  const decode = (pass: number, sums: Float64Array, n: number): string[] => {
    const m = models[pass]!;
    return Array.from(viterbiDecode(sums, n, L, m.transitions, m.allowed, W, pass * L), (y) => m.labels[y]!);
  };
  // Every pass's emission scores are summed in one walk over each token's features.
  const sums = sentences.map((words) => table.emissions(words, bundle.resources));
  const firstPass = sums.map((e, i) => decode(0, e, sentences[i]!.length));
  // One model is the jackknife tagger of training, whose output stays the tagger's own.
  if (models.length < 2) return harmoniseTypes(sentences, firstPass);
  const hints = documentHints(sentences, firstPass);
  const secondPass = sums.map((e, i) => {
    hints[i]!.forEach((h, t) => {
      if (h.length > 0) table.addHints(e, 1, h, t);
    });
    return decode(1, e, sentences[i]!.length);
  });
  const harmonised = harmoniseTypes(sentences, secondPass);
  if (opts.propagate === false) return harmonised;
  return refineSpans(sentences, propagateNames(sentences, harmonised, bundle.resources), bundle.resources);
}
