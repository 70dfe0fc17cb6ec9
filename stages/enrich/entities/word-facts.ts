import { normaliseToken } from './normalise-token.js';
import type { FeatureResources, LexiconEntry } from './token-features.js';
import { wordShape } from './word-shape.js';

/**
 * Everything token-features.ts reads about one word on its own, worked out once per distinct
 * word (regexes, lower-casing, shape, affixes, list lookups) instead of once per occurrence.
 * The strings are kept, so feature lookups keyed by them reuse V8's cached string hash.
 */
export interface WordFacts extends RowMemo {
  /** The token after normaliseToken. */
  readonly w: string;
  readonly low: string;
  readonly shape: string;
  /** Starts with an upper-case letter. */
  readonly cap: boolean;
  /** Unchanged by upper-casing (sentenceCase counts these). */
  readonly upper: boolean;
  /** Letters only (sentenceCase counts these). */
  readonly letters: boolean;
  /** More than one character, all capitals. */
  readonly allcap: boolean;
  readonly digit: boolean;
  /** p1..p4 of the word, x1..x4 of its lower-case form. */
  readonly prefixes: readonly string[];
  readonly suffixes: readonly string[];
  /** Parts of an inner-hyphenated word ("al-Nakhaleh"): first part, last part, last part's shape (2 characters). */
  readonly hyphen: { readonly head: string; readonly tail: string; readonly tailShape: string } | null;
  readonly lex: LexiconEntry | undefined;
  /** The lexicon cluster cut to 2 and 4 characters; undefined when the word has none. */
  readonly cluster2: string | undefined;
  readonly cluster4: string | undefined;
  readonly brown: readonly string[] | undefined;
  readonly firstName: boolean;
  /** A listed family name that is not also a listed first name ("Scalia", "Okonkwo"). */
  readonly surname: boolean;
  /** A listed one-word company or brand name ("Lufthansa", "BlackRock"). */
  readonly company: boolean;
  readonly title: boolean;
  readonly orgWord: boolean;
  /** "IAEA", "U.N.": 2-6 capitals, dots or ampersands. */
  readonly acronym: boolean;
}

/**
 * Where feature-rows.ts remembers the weight rows of the features whose value is this word's
 * fact (token-features.ts WORD_SLOTS), for the table `memoOwner`.
 */
export interface RowMemo {
  memo: Int32Array | undefined;
  memoOwner: object | undefined;
  /** Per wordPair slot, the table of second parts for this word's first part (same owner as memo). */
  pairMemo: Array<ReadonlyMap<string, number> | null | undefined> | undefined;
}

/** Beyond this many distinct words a cache starts afresh, so a long-running worker stays bounded. */
const MAX_WORDS = 100_000;
const caches = new WeakMap<FeatureResources, Map<string, WordFacts>>();

const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);

function computeFacts(raw: string, res: FeatureResources): WordFacts {
  const w = normaliseToken(raw);
  const low = w.toLowerCase();
  const g = res.gazetteer;
  const lex = res.lexicon.get(low);
  const c = lex?.cluster;
  const hyphenAt = w.lastIndexOf('-');
  const cap = isCap(w);
  const upper = w === w.toUpperCase();
  let hyphen: WordFacts['hyphen'] = null;
  if (hyphenAt > 0 && hyphenAt < w.length - 1) {
    const tail = w.slice(hyphenAt + 1);
    hyphen = { head: low.slice(0, low.indexOf('-')), tail: tail.toLowerCase(), tailShape: wordShape(tail).slice(0, 2) };
  }
  return {
    w,
    low,
    shape: wordShape(w),
    cap,
    upper,
    letters: /^\p{L}+$/u.test(w),
    allcap: w.length > 1 && upper && w !== low,
    digit: /\d/.test(w),
    prefixes: [w.slice(0, 1), w.slice(0, 2), w.slice(0, 3), w.slice(0, 4)],
    suffixes: [low.slice(-1), low.slice(-2), low.slice(-3), low.slice(-4)],
    hyphen,
    lex,
    cluster2: c ? c.slice(0, 2) : undefined,
    cluster4: c ? c.slice(0, 4) : undefined,
    brown: res.clusters?.get(low),
    firstName: g.firstNames.has(w),
    surname: g.surnames.has(w),
    company: g.companies.has(w),
    title: g.titles.has(w),
    orgWord: g.orgWords.has(w),
    acronym: /^[A-Z][A-Z&.]{1,5}$/.test(w) && /[A-Z].*[A-Z]/.test(w),
    memo: undefined,
    memoOwner: undefined,
    pairMemo: undefined,
  };
}

/** The facts of each word of a sentence, from a per-resources cache. */
export function wordFacts(words: readonly string[], res: FeatureResources): WordFacts[] {
  let cache = caches.get(res);
  if (cache === undefined) caches.set(res, (cache = new Map()));
  const out = new Array<WordFacts>(words.length);
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!;
    let facts = cache.get(raw);
    if (facts === undefined) {
      if (cache.size >= MAX_WORDS) cache.clear();
      cache.set(raw, (facts = computeFacts(raw, res)));
    }
    out[i] = facts;
  }
  return out;
}

/** token-features.ts sentenceCase, over the facts of normalised words. */
export function sentenceCaseOf(facts: readonly WordFacts[]): string {
  let long = 0;
  let caps = 0;
  let upper = 0;
  for (let i = 1; i < facts.length; i++) {
    const f = facts[i]!;
    if (f.w.length < 4 || !f.letters) continue;
    long++;
    if (f.cap) caps++;
    if (f.upper) upper++;
  }
  if (long < 3) return '';
  return upper / long >= 0.8 ? 'UC' : caps / long >= 0.8 ? 'TC' : '';
}
