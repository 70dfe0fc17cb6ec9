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
  const own: string[][][] = words.map((s) => s.map(() => []));
  words.forEach((s, i) => {
    const inSpan = new Uint8Array(s.length);
    for (const sp of bioSpans(firstPass[i]!)) {
      for (let k = sp.start; k < sp.end; k++) {
        inSpan[k] = 1;
        const hints = [`t=${sp.type}`];
        if (sp.end - sp.start > 1 && k === sp.end - 1) hints.push(`last=${sp.type}`);
        if (sp.end - sp.start > 1 && k === sp.start) hints.push(`first=${sp.type}`);
        for (const h of hints) add(s[k]!, h, 1);
        own[i]![k]!.push(...hints);
      }
    }
    s.forEach((w, k) => {
      if (isCap(w) && k > 0 && !inSpan[k]) {
        add(w, 't=O', 1);
        own[i]![k]!.push('t=O');
      }
      if (!isCap(w)) add(w.charAt(0).toUpperCase() + w.slice(1), 'lower', 1);
    });
  });
  return words.map((s, i) => s.map((w, k) => {
    if (!isCap(w)) return [];
    const counts = new Map(seen.get(w) ?? []);
    for (const h of own[i]![k]!) counts.set(h, counts.get(h)! - 1);
    let bestType = '';
    let bestN = 0;
    const out: string[] = [];
    for (const [h, n] of counts) {
      if (n <= 0) continue;
      if (h.startsWith('t=')) {
        if (n > bestN) { bestType = h; bestN = n; }
      } else out.push(h);
    }
    if (bestType) out.push(bestType);
    return out;
  }));
}

