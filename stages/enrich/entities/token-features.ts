import { gazetteerMatches, type Gazetteer } from './gazetteer.js';
import { normaliseToken } from './normalise-token.js';
import { wordShape } from './word-shape.js';

/** Per-word facts learnt from unlabelled text (models/ner/lexicon.tsv.gz). */
export interface LexiconEntry {
  /** How often the word is capitalised away from sentence starts: "lo" | "mid" | "cap" | "hi" | "rare". */
  readonly caps: string;
  /** Two-level word cluster (build-lexicon.ts): 2 characters of top-level cluster, 2 of sub-cluster; "" if none. */
  readonly cluster: string;
}

/** Everything besides the words that feature extraction reads. */
export interface FeatureResources {
  readonly gazetteer: Gazetteer;
  readonly lexicon: ReadonlyMap<string, LexiconEntry>;
  /** Exchange-algorithm word classes at several granularities (models/ner/clusters.tsv.gz), by lower-cased word. */
  readonly clusters?: ReadonlyMap<string, readonly string[]>;
  /** Which optional feature groups to emit; training ablations switch them off. */
  readonly groups?: Readonly<Partial<Record<FeatureGroup, boolean>>>;
}

export type FeatureGroup = 'gazetteer' | 'lexicon' | 'clusters' | 'orgcues' | 'wide' | 'brown' | 'brownctx';

/** Nouns that, after "'s", mark the owner as an organisation ("the ministry's spokesman"). */
const ORG_ROLE_NOUNS = new Set(['spokesman', 'spokeswoman', 'spokesperson', 'chief', 'ceo', 'chairman', 'board', 'shares',
  'headquarters', 'members', 'leadership', 'founder', 'website', 'statement', 'subsidiary', 'stock', 'executives', 'employees']);
/** Lower-case words that may sit inside an organisation name ("Bank of England", "Ministry for the Interior"). */
const ORG_GLUE = new Set(['of', 'for', 'the', 'and', '&', 'de', 'on']);

const CLUSTER_PREFIXES = [2, 4];
const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);

/**
 * "UC" for an all-capitals sentence, "TC" for a title-cased one (a headline: most longer words
 * capitalised), "" otherwise. In such sentences capitals say little, so cap features are split.
 */
export function sentenceCase(words: readonly string[]): string {
  let long = 0;
  let caps = 0;
  let upper = 0;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.length < 4 || !/^\p{L}+$/u.test(w)) continue;
    long++;
    if (isCap(w)) caps++;
    if (w === w.toUpperCase()) upper++;
  }
  if (long < 3) return '';
  return upper / long >= 0.8 ? 'UC' : caps / long >= 0.8 ? 'TC' : '';
}

/**
 * Features of each token of one sentence, as strings the model weighs. `hints` are document-level
 * facts from a first tagging pass (see document-hints.ts), a list per token.
 */
export function tokenFeatures(
  rawWords: readonly string[],
  res: FeatureResources,
  hints?: readonly (readonly string[])[],
): string[][] {
  const on = (g: FeatureGroup): boolean => res.groups?.[g] ?? true;
  const words = rawWords.map(normaliseToken);
  const low = words.map((w) => w.toLowerCase());
  const shp = words.map(wordShape);
  const n = words.length;
  const gaz = on('gazetteer') ? gazetteerMatches(words, res.gazetteer) : null;
  const lex = words.map((_, i) => res.lexicon.get(low[i]!));
  const bro = on('brown') && res.clusters ? low.map((l) => res.clusters!.get(l)) : null;
  const mode = sentenceCase(words);
  const at = (arr: readonly string[], j: number, pad: string): string => (j < 0 ? '<s>' : j >= n ? '</s>' : arr[j] ?? pad);
  return words.map((w, i) => {
    const l = low[i]!;
    const f = [
      'b', `w=${l}`, `s=${shp[i]}`, `p1=${w.slice(0, 1)}`, `p2=${w.slice(0, 2)}`, `p3=${w.slice(0, 3)}`, `p4=${w.slice(0, 4)}`,
      `x1=${l.slice(-1)}`, `x2=${l.slice(-2)}`, `x3=${l.slice(-3)}`, `x4=${l.slice(-4)}`,
      `w-1=${at(low, i - 1, '')}`, `w+1=${at(low, i + 1, '')}`, `w-2=${at(low, i - 2, '')}`, `w+2=${at(low, i + 2, '')}`,
      `s-1=${at(shp, i - 1, '')}`, `s+1=${at(shp, i + 1, '')}`, `s-2=${at(shp, i - 2, '')}`, `s+2=${at(shp, i + 2, '')}`,
      `w-1w=${at(low, i - 1, '')}|${l}`, `ww+1=${l}|${at(low, i + 1, '')}`,
      `s-1ss+1=${at(shp, i - 1, '')}|${shp[i]}|${at(shp, i + 1, '')}`,
    ];
    const cap = isCap(w);
    if (cap) f.push(i === 0 ? 'cap0' : 'capN');
    if (mode) f.push(`sc=${mode}`, `sc=${mode}|w=${l}`);
    if (w.length > 1 && w === w.toUpperCase() && w !== l) f.push('allcap');
    if (/\d/.test(w)) f.push('dig');
    const hyphen = w.lastIndexOf('-');
    if (hyphen > 0 && hyphen < w.length - 1) {
      // "al-Nakhaleh", "anti-Israel", "Secretary-General": the parts say more than the whole,
      // which is rare in training (GUM splits hyphens, UNER does not).
      const head = l.slice(0, l.indexOf('-'));
      const tail = w.slice(hyphen + 1);
      f.push('hyph', `hh=${head}`, `ht=${tail.toLowerCase()}`, `hs=${wordShape(tail).slice(0, 2)}|${cap ? 1 : 0}`);
    }
    if (on('gazetteer')) {
      const g = res.gazetteer;
      for (const m of gaz![i]!) f.push(`g=${m}`, `g=${m}|${i === 0 ? 0 : 1}`);
      for (const [k, key] of [[-1, 'gp'], [1, 'gn']] as const) {
        for (const m of gaz![i + k] ?? []) f.push(`${key}=${m}`);
      }
      if (g.firstNames.has(w)) f.push('fn', `fn|n=${isCap(words[i + 1] ?? '') ? 1 : 0}`);
      if (i > 0 && g.firstNames.has(words[i - 1]!) && cap) f.push('fn-1');
      if (g.titles.has(w)) f.push('title');
      if (i > 0 && g.titles.has(words[i - 1]!)) f.push('title-1');
      if (g.orgWords.has(w)) f.push('orgw');
      for (let k = 1; k <= 3 && i + k < n; k++) {
        if (!isCap(words[i + k]!) && words[i + k] !== 'of' && words[i + k] !== '&') break;
        if (g.orgWords.has(words[i + k]!)) {
          f.push(`orgw+${k}`);
          break;
        }
      }
    }
    if (on('lexicon')) {
      const caps = lex[i]?.caps ?? 'unk';
      f.push(`caps=${caps}`, `caps=${caps}|${cap ? (i === 0 || mode ? `c0${mode}` : 'c') : 'l'}`);
    }
    if (on('clusters')) {
      for (const [k, key] of [[0, 'c'], [-1, 'c-1'], [1, 'c+1']] as const) {
        const c = lex[i + k]?.cluster;
        // Words the lexicon knows but could not cluster (too rare) get no cluster feature.
        if (c === undefined || c === '') continue;
        for (const p of CLUSTER_PREFIXES) if (k === 0 || p === 4) f.push(`${key}${p}=${c.slice(0, p)}`);
      }
    }
    if (bro) {
      // Word classes of the word (each granularity; the middle one also with capitalisation) and
      // of its neighbours (coarser granularities further away). Unknown words get none.
      const own = bro[i];
      if (own) own.forEach((c, g) => f.push(`k${g}=${c}`));
      if (own && on('brownctx')) f.push(`k1=${own[1]}|${cap ? (i === 0 ? 'c0' : 'c') : 'l'}`);
      if (on('brownctx')) for (const [k, key] of [[-1, 'k-1'], [1, 'k+1']] as const) {
        const c = bro[i + k];
        if (c) f.push(`${key}.0=${c[0]}`, `${key}.1=${c[1]}`);
      }
      if (on('brownctx')) for (const [k, key] of [[-2, 'k-2'], [2, 'k+2']] as const) {
        const c = bro[i + k];
        if (c) f.push(`${key}.0=${c[0]}`);
      }
    }
    if (on('orgcues')) f.push(...orgCueFeatures(words, low, i, res, mode));
    if (on('wide')) {
      f.push(`w-3=${at(low, i - 3, '')}`, `w+3=${at(low, i + 3, '')}`, `w-1s=${at(low, i - 1, '')}|${shp[i]}`, `sw+1=${shp[i]}|${at(low, i + 1, '')}`);
      if (on('clusters')) {
        for (const [k, key] of [[-2, 'c-2'], [2, 'c+2'], [-1, 'c-1'], [1, 'c+1']] as const) {
          const c = lex[i + k]?.cluster;
          if (c) f.push(`${key}2=${c.slice(0, 2)}`);
        }
      }
    }
    if (hints) f.push(...hintFeatures(hints[i] ?? [], i));
    return f;
  });
}

/** Features of one token's document hints (see document-hints.ts), kept apart so a second pass can add them to the first pass's features. */
export function hintFeatures(hints: readonly string[], position: number): string[] {
  const out: string[] = [];
  for (const h of hints) out.push(`d=${h}`, `d=${h}|${position === 0 ? 0 : 1}`);
  return out;
}

/**
 * General organisation cues: acronyms, an organisation head word earlier in the same capitalised
 * run ("University of California", "Ministry of Foreign Affairs"), "X's spokesman", and "the X"
 * before a lower-case word.
 */
function orgCueFeatures(words: readonly string[], low: readonly string[], i: number, res: FeatureResources, mode: string): string[] {
  const w = words[i]!;
  const out: string[] = [];
  if (!mode && /^[A-Z][A-Z&.]{1,5}$/.test(w) && /[A-Z].*[A-Z]/.test(w)) out.push('acr', `acr|${i === 0 ? 0 : 1}`);
  if (!isCap(w)) return out;
  for (let k = 1; k <= 4 && i - k >= 0; k++) {
    const p = words[i - k]!;
    if (res.gazetteer.orgWords.has(p)) {
      out.push(`orgw-${Math.min(k, 3)}`);
      break;
    }
    if (!isCap(p) && !ORG_GLUE.has(low[i - k]!)) break;
  }
  if (low[i + 1] === "'s" && ORG_ROLE_NOUNS.has(low[i + 2] ?? '')) out.push('poss-role');
  if (low[i - 1] === 'the' && !isCap(words[i + 1] ?? '')) out.push('the-cap');
  return out;
}
