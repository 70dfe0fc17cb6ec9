import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bioSpans } from '../../../stages/enrich/entities/bio-spans.js';
import { documentHints } from '../../../stages/enrich/entities/document-hints.js';
import { FeatureTable } from '../../../stages/enrich/entities/feature-rows.js';
import { harmoniseTypes } from '../../../stages/enrich/entities/harmonise-types.js';
import { loadNerBundle, type NerBundle } from '../../../stages/enrich/entities/load-ner-model.js';
import { jointWeights } from '../../../stages/enrich/entities/ner-model.js';
import { normaliseToken } from '../../../stages/enrich/entities/normalise-token.js';
import { parseConll } from '../../../stages/enrich/entities/parse-conll.js';
import { propagateNames } from '../../../stages/enrich/entities/propagate-names.js';
import { refineSpans } from '../../../stages/enrich/entities/refine-spans.js';
import { tagDocument } from '../../../stages/enrich/entities/tag-document.js';
import { hintFeatures, tokenFeatures } from '../../../stages/enrich/entities/token-features.js';
import { tokenizeText } from '../../../stages/enrich/entities/tokenize-text.js';
import { viterbiDecode } from '../../../stages/enrich/entities/viterbi-decode.js';

// The tagger finds feature weights through nested tables and per-word caches (feature-rows.ts,
// word-facts.ts) instead of feature strings. These tests hold it to the straightforward path:
// build every feature string, look it up, sum the rows in order, decode.

const bundle = loadNerBundle();
const L = bundle.models[0]!.labels.length;
const joint = jointWeights(bundle.models);

/** Per pass, a tokens x labels matrix summed from feature strings in tokenFeatures order. */
function referenceEmissions(features: readonly (readonly string[])[], passes: number): Float64Array[] {
  return Array.from({ length: passes }, (_, k) => {
    const out = new Float64Array(features.length * L);
    features.forEach((list, t) => {
      for (const f of list) {
        const row = joint.get(f);
        if (row !== undefined) for (let y = 0; y < L; y++) out[t * L + y]! += row[k * L + y]!;
      }
    });
    return out;
  });
}

/** FeatureTable's matrix (each token's passes side by side) as one tokens x labels matrix per pass. */
function perPass(sums: Float64Array, passes: number): Float64Array[] {
  const n = sums.length / (passes * L);
  return Array.from({ length: passes }, (_, k) => Float64Array.from({ length: n * L }, (_, j) => sums[Math.floor(j / L) * passes * L + k * L + (j % L)]!));
}

/** documentHints as first written: a hint list per token from counts over the whole document. */
function referenceHints(sentences: readonly (readonly string[])[], firstPass: readonly (readonly string[])[]): string[][][] {
  const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);
  const seen = new Map<string, Map<string, number>>();
  const add = (word: string, hint: string): void => {
    const m = seen.get(word) ?? new Map<string, number>();
    seen.set(word, m.set(hint, (m.get(hint) ?? 0) + 1));
  };
  const words = sentences.map((s) => s.map(normaliseToken));
  const own = words.map((s) => s.map((): string[] => []));
  words.forEach((s, i) => {
    const inSpan = new Set<number>();
    for (const sp of bioSpans(firstPass[i]!)) {
      for (let k = sp.start; k < sp.end; k++) {
        inSpan.add(k);
        const hints = [`t=${sp.type}`];
        if (sp.end - sp.start > 1 && k === sp.end - 1) hints.push(`last=${sp.type}`);
        if (sp.end - sp.start > 1 && k === sp.start) hints.push(`first=${sp.type}`);
        for (const h of hints) add(s[k]!, h);
        own[i]![k]!.push(...hints);
      }
    }
    s.forEach((w, k) => {
      if (isCap(w) && k > 0 && !inSpan.has(k)) {
        add(w, 't=O');
        own[i]![k]!.push('t=O');
      }
      if (!isCap(w)) add(w.charAt(0).toUpperCase() + w.slice(1), 'lower');
    });
  });
  return words.map((s, i) => s.map((w, k) => {
    if (!isCap(w)) return [];
    const counts = new Map(seen.get(w) ?? []);
    for (const h of own[i]![k]!) counts.set(h, counts.get(h)! - 1);
    const others = [...counts].filter(([h, n]) => n > 0 && !h.startsWith('t='));
    let best: [string, number] | undefined;
    for (const [h, n] of counts) if (h.startsWith('t=') && n > 0 && n > (best?.[1] ?? 0)) best = [h, n];
    return [...others.map(([h]) => h), ...(best ? [best[0]] : [])];
  }));
}

/** tagDocument the straightforward way. */
function referenceTags(b: NerBundle, sentences: readonly (readonly string[])[]): string[][] {
  const decode = (pass: number, e: Float64Array, n: number): string[] => {
    const m = b.models[pass]!;
    return Array.from(viterbiDecode(e, n, L, m.transitions, m.allowed), (y) => m.labels[y]!);
  };
  const features = sentences.map((s) => tokenFeatures(s, b.resources));
  const firstPass = features.map((f, i) => decode(0, referenceEmissions(f, 1)[0]!, sentences[i]!.length));
  const hints = referenceHints(sentences, firstPass);
  const secondPass = features.map((f, i) => {
    const withHints = f.map((list, t) => [...list, ...hintFeatures(hints[i]![t]!, t)]);
    return decode(1, referenceEmissions(withHints, 2)[1]!, sentences[i]!.length);
  });
  return refineSpans(sentences, propagateNames(sentences, harmoniseTypes(sentences, secondPass), b.resources), b.resources);
}

const SAMPLE = [
  'Kenyan President William Ruto arrived in London on Monday for talks with British Prime Minister Keir Starmer.',
  'Ruto told reporters that the World Bank had agreed to support new investment in Nairobi.',
  "The IAEA's spokesman said the Ministry of Foreign Affairs of Iran had not replied – \u201Cnot yet\u201D, he said.",
  'PALESTINIAN ISLAMIC JIHAD LEADER MEETS IRAN\u2019S FOREIGN MINISTER IN BEIRUT',
  'Hossein Amirabdollahian met Ziyad al-Nakhaleh in Beirut; Amirabdollahian praised the U.S.-brokered talks | 2024',
  'Starmer said Britain would back the plan, according to Reuters and the BBC.',
].join('\n');

const SHARED = new URL('../../../../shared/corpora/ner/', import.meta.url);

/** Sentences of the NER dev split grouped into documents (blank-line separated in the file's order, 20 sentences each). */
function devDocuments(): string[][][] {
  const sentences = parseConll(readFileSync(new URL('dev.conll', SHARED), 'utf8')).map((s) => s.words);
  const docs: string[][][] = [];
  for (let i = 0; i < sentences.length; i += 20) docs.push(sentences.slice(i, i + 20));
  return docs;
}

describe('entities fast path', () => {
  const sample = tokenizeText(SAMPLE).map((s) => s.map((t) => t.text));

  it('sums each token\'s feature weights to the same bits as looking up every feature string', () => {
    const table = new FeatureTable(bundle.models);
    for (const words of sample) {
      expect(perPass(table.emissions(words, bundle.resources), 2)).toEqual(referenceEmissions(tokenFeatures(words, bundle.resources), 2));
    }
    // Second time round every lookup comes from the per-word caches.
    for (const words of sample) {
      expect(perPass(table.emissions(words, bundle.resources), 2)).toEqual(referenceEmissions(tokenFeatures(words, bundle.resources), 2));
    }
  });

  it('adds document hints after the token\'s own features, as the second pass did', () => {
    const table = new FeatureTable(bundle.models);
    const words = sample[0]!;
    const matrix = table.emissions(words, bundle.resources);
    table.addHints(matrix, 1, ['last=PER', 't=PER'], 3);
    const sums = perPass(matrix, 2);
    const features = tokenFeatures(words, bundle.resources).map((f, t) => (t === 3 ? [...f, ...hintFeatures(['last=PER', 't=PER'], 3)] : f));
    const expected = referenceEmissions(features, 2);
    expect(sums[1]).toEqual(expected[1]);
    expect(sums[0]).toEqual(referenceEmissions(tokenFeatures(words, bundle.resources), 2)[0]);
  });

  it('tags a document exactly as the straightforward tagger does', () => {
    const tags = tagDocument(bundle, sample);
    expect(tags).toEqual(referenceTags(bundle, sample));
    expect(tags.flat().some((t) => t !== 'O')).toBe(true);
  });

  it('tags the NER dev split exactly as the straightforward tagger does', (ctx) => {
    if (!existsSync(SHARED)) return ctx.skip('../shared/corpora/ner is absent');
    for (const doc of devDocuments()) expect(tagDocument(bundle, doc)).toEqual(referenceTags(bundle, doc));
  });
});
