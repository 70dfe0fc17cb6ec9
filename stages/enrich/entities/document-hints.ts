import { bioSpans } from './bio-spans.js';
import { normaliseToken } from './normalise-token.js';

const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);

/**
 * Document-level evidence for a second tagging pass (Krishnan & Manning 2006, simplified): for
 * each capitalised token, the type the first pass gave the same word elsewhere in the document,
 * whether it ended or began a longer name there ("Amirabdollahian" after "Hossein
 * Amirabdollahian"), and whether it appears in lower case or outside any name mid-sentence.
 * The token's own first-pass span is left out, so a hint is always outside evidence.
 */
export function documentHints(sentences: readonly (readonly string[])[], firstPass: readonly (readonly string[])[]): string[][][] {
  const seen = new Map<string, Map<string, number>>();
  const add = (word: string, hint: string, d: number): void => {
    let m = seen.get(word);
    if (!m) seen.set(word, (m = new Map()));
    m.set(hint, (m.get(hint) ?? 0) + d);
  };
  const words = sentences.map((s) => s.map(normaliseToken));
  // Only tokens in a span, or capitalised ones, have hints of their own; the rest share one empty list.
  const own: string[][][] = words.map((s) => new Array<string[]>(s.length).fill(NONE));
  words.forEach((s, i) => {
    const inSpan = new Uint8Array(s.length);
    for (const sp of bioSpans(firstPass[i]!)) {
      for (let k = sp.start; k < sp.end; k++) {
        inSpan[k] = 1;
        const names = hintNames(sp.type);
        const hints = [names.t];
        if (sp.end - sp.start > 1 && k === sp.end - 1) hints.push(names.last);
        if (sp.end - sp.start > 1 && k === sp.start) hints.push(names.first);
        for (const h of hints) add(s[k]!, h, 1);
        own[i]![k] = own[i]![k] === NONE ? hints : [...own[i]![k]!, ...hints];
      }
    }
    s.forEach((w, k) => {
      if (isCap(w) && k > 0 && !inSpan[k]) {
        add(w, 't=O', 1);
        own[i]![k] = own[i]![k] === NONE ? ['t=O'] : [...own[i]![k]!, 't=O'];
      }
      if (!isCap(w)) add(capitalised(w), 'lower', 1);
    });
  });
  return words.map((s, i) => s.map((w, k) => {
    if (!isCap(w)) return NONE;
    const mine = own[i]![k]!;
    let bestType = '';
    let bestN = 0;
    const out: string[] = [];
    // The word's counts elsewhere: its own first-pass hints are taken off.
    for (const [h, c] of seen.get(w) ?? []) {
      const n = mine.includes(h) ? c - 1 : c;
      if (n <= 0) continue;
      if (h.startsWith('t=')) {
        if (n > bestN) { bestType = h; bestN = n; }
      } else out.push(h);
    }
    if (bestType) out.push(bestType);
    return out;
  }));
}

const NONE: string[] = [];
const HINT_NAMES = new Map<string, { t: string; last: string; first: string }>();

/** The hint strings of one entity type, made once, so later lookups reuse their hashes. */
function hintNames(type: string): { t: string; last: string; first: string } {
  let names = HINT_NAMES.get(type);
  if (names === undefined) HINT_NAMES.set(type, (names = { t: `t=${type}`, last: `last=${type}`, first: `first=${type}` }));
  return names;
}

/** Lower-case words recur in every document: their capitalised forms are kept (bounded, as in word-facts.ts). */
const CAPITALISED = new Map<string, string>();

function capitalised(w: string): string {
  let out = CAPITALISED.get(w);
  if (out === undefined) {
    if (CAPITALISED.size >= 100_000) CAPITALISED.clear();
    CAPITALISED.set(w, (out = w.charAt(0).toUpperCase() + w.slice(1)));
  }
  return out;
}
