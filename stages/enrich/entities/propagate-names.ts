import { bioSpans } from './bio-spans.js';
import { normaliseToken } from './normalise-token.js';
import type { FeatureResources } from './token-features.js';

const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);
/**
 * Types an untagged repeat may take. Filling organisations and MISC cost precision on dev
 * (acronyms and product names the tagger had rightly left out elsewhere); people and places gained.
 */
const FILLED = new Set(['PER', 'LOC']);

/**
 * Document-level label propagation after tagging (one name, one entity per article):
 * - a capitalised run the tagger left untagged that spells a person or place name tagged
 *   elsewhere in the document takes that name's majority type;
 * - the last or first word of a longer person name, met alone ("Amirabdollahian" after
 *   "Hossein Amirabdollahian"), is that person: untagged, it becomes PER; tagged as another type
 *   on its own, it is retyped PER (unless the word alone is tagged as one other type more than once).
 * Only whole capitalised runs are filled, so a name never gets cut out of a longer one; a lone
 * sentence-initial word is filled only when the lexicon says it is mostly capitalised.
 */
export function propagateNames(
  rawSentences: readonly (readonly string[])[],
  tags: readonly (readonly string[])[],
  res?: Pick<FeatureResources, 'lexicon'>,
): string[][] {
  const sentences = rawSentences.map((s) => s.map(normaliseToken));
  const names = new Map<string, Map<string, number>>();
  const personParts = new Set<string>();
  const spans = tags.map((t) => bioSpans(t));
  spans.forEach((list, i) => {
    for (const sp of list) {
      const words = sentences[i]!.slice(sp.start, sp.end);
      const key = words.join(' ');
      let m = names.get(key);
      if (!m) names.set(key, (m = new Map()));
      m.set(sp.type, (m.get(sp.type) ?? 0) + 1);
      if (sp.type === 'PER' && words.length >= 2) {
        for (const w of [words[0]!, words.at(-1)!]) if (w.length > 2 && /^\p{Lu}\p{Ll}/u.test(w)) personParts.add(w);
      }
    }
  });
  const majority = (key: string): string | undefined => {
    const m = names.get(key);
    if (!m) return undefined;
    let best: string | undefined;
    let n = 0;
    for (const [type, c] of m) if (c > n) { best = type; n = c; }
    return best;
  };
  // A lone word that began or ended a longer person name is that person, unless the same word
  // alone is a name of another type more than once.
  const personPart = (w: string): boolean => {
    if (!personParts.has(w)) return false;
    for (const [type, c] of names.get(w) ?? []) if (type !== 'PER' && c > 1) return false;
    return true;
  };
  const out = tags.map((t) => [...t]);
  sentences.forEach((words, i) => {
    const t = out[i]!;
    for (const sp of spans[i]!) {
      if (sp.end - sp.start === 1 && sp.type !== 'PER' && personPart(words[sp.start]!)) t[sp.start] = 'B-PER';
    }
    // Untagged capitalised runs (a sentence-initial word may be left off the run).
    const name = (k: number, end: number): string | undefined => {
      const key = words.slice(k, end).join(' ');
      if (end - k === 1) {
        if (k === 0 && ['lo', 'mid', 'rare'].includes(res?.lexicon.get(key.toLowerCase())?.caps ?? 'rare')) return undefined;
        if (personPart(key)) return 'PER';
      }
      return majority(key);
    };
    const fill = (k: number, end: number, type: string): void => {
      for (let j = k; j < end; j++) t[j] = `${j === k ? 'B' : 'I'}-${type}`;
    };
    const capWord = (j: number): boolean => t[j] === 'O' && isCap(words[j]!) && /\p{L}/u.test(words[j]!);
    let k = 0;
    while (k < words.length) {
      if (!capWord(k)) { k++; continue; }
      let end = k;
      while (end < words.length && capWord(end)) end++;
      const bordered = (k > 0 && isCap(words[k - 1]!)) || (end < words.length && isCap(words[end]!));
      if (!bordered) {
        const type = name(k, end);
        if (type !== undefined) {
          if (FILLED.has(type)) fill(k, end, type);
        } else if (k === 0 && end > 1) {
          const rest = name(1, end);
          if (rest !== undefined && FILLED.has(rest)) fill(1, end, rest);
        }
      }
      k = end;
    }
  });
  return out;
}
