import { DEMONYMS, EXTRA_PLACES, KNOWN_ORGS, ORG_WORDS, PERSON_TITLES } from './name-lists.js';
import { tokenizeLine } from './tokenize-text.js';

/** The derived name lists committed as models/ner/gazetteer.json.gz (built by scripts/train-ner.ts). */
export interface GazetteerData {
  readonly places: readonly string[];
  readonly organisations: readonly string[];
  readonly firstNames: readonly string[];
}

/** Bits of a phrase's types: a name may be several ("Amazon", "Georgia"). */
export const GAZ_LOC = 1;
export const GAZ_ORG = 2;
export const GAZ_MISC = 4;
const TYPE_NAMES: readonly [number, string][] = [[GAZ_LOC, 'LOC'], [GAZ_ORG, 'ORG'], [GAZ_MISC, 'MISC']];

/** Name lists indexed for matching token runs. Case-sensitive: "Nice" the city, not "nice". */
export interface Gazetteer {
  readonly phrases: ReadonlyMap<string, number>;
  readonly maxTokens: number;
  readonly firstNames: ReadonlySet<string>;
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
  let maxTokens = 1;
  const add = (list: readonly string[], bit: number): void => {
    for (const phrase of list) {
      const key = phraseKey(phrase);
      if (key === '') continue;
      phrases.set(key, (phrases.get(key) ?? 0) | bit);
      maxTokens = Math.max(maxTokens, key.split(' ').length);
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
    firstNames: new Set(data.firstNames),
    titles: new Set(PERSON_TITLES),
    orgWords: new Set(ORG_WORDS),
  };
}

/**
 * Longest-match gazetteer lookup over a sentence: for each token, features such as "LOC:B"
 * (first token of a matched place), "LOC:I" or "LOC:U" (a one-token match). Matches start only
 * at capitalised tokens, so lower-case words never match.
 */
export function gazetteerMatches(words: readonly string[], gaz: Gazetteer): string[][] {
  const out: string[][] = words.map(() => []);
  let i = 0;
  while (i < words.length) {
    let matched = 0;
    if (/^\p{Lu}/u.test(words[i]!)) {
      let key = '';
      const keys: string[] = [];
      for (let n = 1; n <= gaz.maxTokens && i + n <= words.length; n++) {
        key = n === 1 ? words[i]! : `${key} ${words[i + n - 1]!}`;
        keys.push(key);
      }
      for (let n = keys.length; n >= 1; n--) {
        const bits = gaz.phrases.get(keys[n - 1]!);
        if (bits === undefined) continue;
        for (const [bit, name] of TYPE_NAMES) {
          if (!(bits & bit)) continue;
          if (n === 1) out[i]!.push(`${name}:U`);
          else for (let k = 0; k < n; k++) out[i + k]!.push(`${name}:${k === 0 ? 'B' : 'I'}`);
        }
        matched = n;
        break;
      }
    }
    i += Math.max(matched, 1);
  }
  return out;
}
