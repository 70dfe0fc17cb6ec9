import { DEMONYMS, EXTRA_PLACES, KNOWN_ORGS, ORG_WORDS, PERSON_TITLES } from './name-lists.js';
import { tokenizeLine } from './tokenize-text.js';

/** The derived name lists committed as models/ner/gazetteer.json.gz (built by scripts/train-ner.ts). */
export interface GazetteerData {
  readonly places: readonly string[];
  readonly organisations: readonly string[];
  readonly firstNames: readonly string[];
  /** Family names not in `firstNames` (@cspell/dict-people-names); absent in older files. */
  readonly surnames?: readonly string[];
  /** One-word company and brand names, filtered (@cspell/dict-companies; see scripts/train-ner.ts). */
  readonly companies?: readonly string[];
}

/** Bits of a phrase's types: a name may be several ("Amazon", "Georgia"). */
export const GAZ_LOC = 1;
export const GAZ_ORG = 2;
export const GAZ_MISC = 4;
/** Per type bit, the match features "LOC:U", "LOC:B", "LOC:I" (constants, so feature lookups reuse their hash). */
const TYPE_MATCHES = ([[GAZ_LOC, 'LOC'], [GAZ_ORG, 'ORG'], [GAZ_MISC, 'MISC']] as const)
  .map(([bit, name]) => [bit, `${name}:U`, `${name}:B`, `${name}:I`] as const);

/** Name lists indexed for matching token runs. Case-sensitive: "Nice" the city, not "nice". */
export interface Gazetteer {
  readonly phrases: ReadonlyMap<string, number>;
  readonly maxTokens: number;
  /** First token of each phrase -> the most tokens a phrase starting with it has. */
  readonly starts: ReadonlyMap<string, number>;
  readonly firstNames: ReadonlySet<string>;
  readonly surnames: ReadonlySet<string>;
  readonly companies: ReadonlySet<string>;
  readonly titles: ReadonlySet<string>;
  readonly orgWords: ReadonlySet<string>;
}

/** Phrase key: tokens as the tagger sees them, joined by single spaces. */
function phraseKey(phrase: string): string {
  return tokenizeLine(phrase).map((t) => t.text).join(' ');
}

/** Indexes the derived lists plus the hand-written ones in name-lists.ts. */
export function buildGazetteer(data: GazetteerData): Gazetteer {
  const phrases = new Map<string, number>();
  const starts = new Map<string, number>();
  let maxTokens = 1;
  const add = (list: readonly string[], bit: number): void => {
    for (const phrase of list) {
      const key = phraseKey(phrase);
      if (key === '') continue;
      phrases.set(key, (phrases.get(key) ?? 0) | bit);
      const parts = key.split(' ');
      maxTokens = Math.max(maxTokens, parts.length);
      starts.set(parts[0]!, Math.max(starts.get(parts[0]!) ?? 0, parts.length));
    }
  };
  add(data.places, GAZ_LOC);
  add(EXTRA_PLACES, GAZ_LOC);
  add(data.organisations, GAZ_ORG);
  add(KNOWN_ORGS, GAZ_ORG);
  add(DEMONYMS, GAZ_MISC);
  return {
    phrases,
    maxTokens: Math.min(maxTokens, 6),
    starts,
    firstNames: new Set(data.firstNames),
    surnames: new Set(data.surnames ?? []),
    companies: new Set(data.companies ?? []),
    titles: new Set(PERSON_TITLES),
    orgWords: new Set(ORG_WORDS),
  };
}

const NO_MATCHES: string[] = [];

/**
 * Longest-match gazetteer lookup over a sentence: for each token, features such as "LOC:B"
 * (first token of a matched place), "LOC:I" or "LOC:U" (a one-token match). Matches start only
 * at capitalised tokens, so lower-case words never match.
 */
export function gazetteerMatches(words: readonly string[], gaz: Gazetteer): string[][] {
  // Most tokens match nothing: they share one empty list, and a token gets its own on a match.
  const out: string[][] = new Array<string[]>(words.length).fill(NO_MATCHES);
  const push = (k: number, m: string): void => {
    if (out[k] === NO_MATCHES) out[k] = [];
    out[k]!.push(m);
  };
  let i = 0;
  while (i < words.length) {
    let matched = 0;
    // Only phrases starting with this word can match, and none longer than its longest.
    const longest = gaz.starts.get(words[i]!);
    if (longest !== undefined && /^\p{Lu}/u.test(words[i]!)) {
      let key = '';
      const keys: string[] = [];
      for (let n = 1; n <= Math.min(gaz.maxTokens, longest) && i + n <= words.length; n++) {
        key = n === 1 ? words[i]! : `${key} ${words[i + n - 1]!}`;
        keys.push(key);
      }
      for (let n = keys.length; n >= 1; n--) {
        const bits = gaz.phrases.get(keys[n - 1]!);
        if (bits === undefined) continue;
        for (const [bit, unit, begin, inside] of TYPE_MATCHES) {
          if (!(bits & bit)) continue;
          if (n === 1) push(i, unit);
          else for (let k = 0; k < n; k++) push(i + k, k === 0 ? begin : inside);
        }
        matched = n;
        break;
      }
    }
    i += Math.max(matched, 1);
  }
  return out;
}
