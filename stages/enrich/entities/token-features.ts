import { gazetteerMatches, type Gazetteer } from './gazetteer.js';
import { sentenceCaseOf, wordFacts, type RowMemo, type WordFacts } from './word-facts.js';

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

export type FeatureGroup = 'gazetteer' | 'lexicon' | 'clusters' | 'orgcues' | 'wide' | 'brown' | 'brownctx' | 'surnames' | 'companies';

/** Nouns that, after "'s", mark the owner as an organisation ("the ministry's spokesman"). */
const ORG_ROLE_NOUNS = new Set(['spokesman', 'spokeswoman', 'spokesperson', 'chief', 'ceo', 'chairman', 'board', 'shares',
  'headquarters', 'members', 'leadership', 'founder', 'website', 'statement', 'subsidiary', 'stock', 'executives', 'employees']);
/** Lower-case words that may sit inside an organisation name ("Bank of England", "Ministry for the Interior"). */
const ORG_GLUE = new Set(['of', 'for', 'the', 'and', '&', 'de', 'on']);

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
 * Receives the features of a sentence, token by token, without building their strings:
 * `value(prefix, v)` is the feature `${prefix}${v}`, `pair` is `${prefix}${a}|${b}`, `triple`
 * `${prefix}${a}|${b}|${c}`. Prefixes are constants. tokenFeatures collects the strings (training);
 * feature-rows.ts looks the parts up in nested tables (tagging), which is several times faster.
 */
export interface FeatureSink {
  /** Starts the next token. */
  token(): void;
  flag(name: string): void;
  value(prefix: string, v: string): void;
  /**
   * `${prefix}${v}` where v is a fact of the word `facts` (or a sentence edge): each slot number
   * stands for one prefix and one fact, so a sink may remember the result per word.
   */
  word(slot: number, prefix: string, v: string, facts: RowMemo): void;
  pair(prefix: string, a: string, b: string): void;
  /** `pair` where a is a fact of the word `facts`: slot numbers as for word(), so a sink may remember a's part per word. */
  wordPair(slot: number, prefix: string, a: string, b: string, facts: RowMemo): void;
  triple(prefix: string, a: string, b: string, c: string): void;
}

/** Collects feature strings, one list per token. */
class StringSink implements FeatureSink {
  readonly out: string[][] = [];
  private cur: string[] = [];
  token(): void { this.out.push((this.cur = [])); }
  flag(name: string): void { this.cur.push(name); }
  value(prefix: string, v: string): void { this.cur.push(prefix + v); }
  word(_slot: number, prefix: string, v: string): void { this.cur.push(prefix + v); }
  pair(prefix: string, a: string, b: string): void { this.cur.push(`${prefix}${a}|${b}`); }
  wordPair(_slot: number, prefix: string, a: string, b: string): void { this.cur.push(`${prefix}${a}|${b}`); }
  triple(prefix: string, a: string, b: string, c: string): void { this.cur.push(`${prefix}${a}|${b}|${c}`); }
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
  const sink = new StringSink();
  emitFeatures(wordFacts(rawWords, res), res, sink);
  if (hints) sink.out.forEach((f, i) => f.push(...hintFeatures(hints[i] ?? [], i)));
  return sink.out;
}

const P = ['p1=', 'p2=', 'p3=', 'p4='];
const X = ['x1=', 'x2=', 'x3=', 'x4='];
const SC_WORD: Readonly<Record<string, string>> = { UC: 'sc=UC|w=', TC: 'sc=TC|w=' };
const CAP_CONTEXT: Readonly<Record<string, string>> = { '': 'c0', UC: 'c0UC', TC: 'c0TC' };
const ORGW_AHEAD = ['', 'orgw+1', 'orgw+2', 'orgw+3'];
const ORGW_BEHIND = ['', 'orgw-1', 'orgw-2', 'orgw-3'];
const brownPrefix = (g: number): string => ['k0=', 'k1=', 'k2=', 'k3='][g] ?? `k${g}=`;

/** The words of a sentence in a form every feature reads, with "<s>"/"</s>" past either end. */
function around(facts: readonly WordFacts[], j: number): Edge {
  return j < 0 ? START : j >= facts.length ? END : facts[j]!;
}
type Edge = Pick<WordFacts, 'low' | 'shape'> & RowMemo;
const START: Edge = { low: '<s>', shape: '<s>', memo: undefined, memoOwner: undefined, pairMemo: undefined };
const END: Edge = { low: '</s>', shape: '</s>', memo: undefined, memoOwner: undefined, pairMemo: undefined };

/** Number of FeatureSink.word slots (one per prefix below). */
export const WORD_SLOTS = 36;
/** Number of FeatureSink.wordPair slots. */
export const PAIR_SLOTS = 5;

/** Emits every feature of every token of one sentence into `sink` (the one definition of the features). */
export function emitFeatures(facts: readonly WordFacts[], res: FeatureResources, sink: FeatureSink): void {
  const on = (g: FeatureGroup): boolean => res.groups?.[g] ?? true;
  const useGaz = on('gazetteer');
  const useLex = on('lexicon');
  const useClusters = on('clusters');
  const useBrown = on('brown') && res.clusters !== undefined;
  const useBrownCtx = on('brownctx');
  const useOrg = on('orgcues');
  const useWide = on('wide');
  const useSurnames = useGaz && on('surnames');
  const useCompanies = useGaz && on('companies');
  const n = facts.length;
  const gaz = useGaz ? gazetteerMatches(facts.map((f) => f.w), res.gazetteer) : null;
  const mode = sentenceCaseOf(facts);
  for (let i = 0; i < n; i++) {
    const t = facts[i]!;
    const l = t.low;
    const shp = t.shape;
    const prev = around(facts, i - 1);
    const next = around(facts, i + 1);
    sink.token();
    sink.flag('b');
    sink.word(0, 'w=', l, t);
    sink.word(1, 's=', shp, t);
    for (let k = 0; k < 4; k++) sink.word(2 + k, P[k]!, t.prefixes[k]!, t);
    for (let k = 0; k < 4; k++) sink.word(6 + k, X[k]!, t.suffixes[k]!, t);
    sink.word(10, 'w-1=', prev.low, prev);
    sink.word(11, 'w+1=', next.low, next);
    const prev2 = around(facts, i - 2);
    const next2 = around(facts, i + 2);
    sink.word(12, 'w-2=', prev2.low, prev2);
    sink.word(13, 'w+2=', next2.low, next2);
    sink.word(14, 's-1=', prev.shape, prev);
    sink.word(15, 's+1=', next.shape, next);
    sink.word(16, 's-2=', prev2.shape, prev2);
    sink.word(17, 's+2=', next2.shape, next2);
    sink.wordPair(0, 'w-1w=', prev.low, l, prev);
    sink.wordPair(1, 'ww+1=', l, next.low, t);
    sink.triple('s-1ss+1=', prev.shape, shp, next.shape);
    const cap = t.cap;
    if (cap) sink.flag(i === 0 ? 'cap0' : 'capN');
    if (mode) {
      sink.value('sc=', mode);
      sink.word(mode === 'UC' ? 18 : 19, SC_WORD[mode]!, l, t);
    }
    if (t.allcap) sink.flag('allcap');
    if (t.digit) sink.flag('dig');
    if (t.hyphen) {
      // "al-Nakhaleh", "anti-Israel", "Secretary-General": the parts say more than the whole,
      // which is rare in training (GUM splits hyphens, UNER does not).
      sink.flag('hyph');
      sink.word(20, 'hh=', t.hyphen.head, t);
      sink.word(21, 'ht=', t.hyphen.tail, t);
      sink.pair('hs=', t.hyphen.tailShape, cap ? '1' : '0');
    }
    if (gaz) {
      for (const m of gaz[i]!) {
        sink.value('g=', m);
        sink.pair('g=', m, i === 0 ? '0' : '1');
      }
      if (i > 0) for (const m of gaz[i - 1]!) sink.value('gp=', m);
      if (i + 1 < n) for (const m of gaz[i + 1]!) sink.value('gn=', m);
      if (t.firstName) {
        sink.flag('fn');
        sink.flag(facts[i + 1]?.cap ? 'fn|n=1' : 'fn|n=0');
      }
      if (i > 0 && facts[i - 1]!.firstName && cap) sink.flag('fn-1');
      if (t.title) sink.flag('title');
      if (i > 0 && facts[i - 1]!.title) sink.flag('title-1');
      if (t.orgWord) sink.flag('orgw');
      for (let k = 1; k <= 3 && i + k < n; k++) {
        const a = facts[i + k]!;
        if (!a.cap && a.w !== 'of' && a.w !== '&') break;
        if (a.orgWord) {
          sink.flag(ORGW_AHEAD[k]!);
          break;
        }
      }
    }
    if (useSurnames) emitSurname(facts, i, sink);
    if (useCompanies) {
      if (t.company) sink.flag('co');
      if (facts[i - 1]?.company) sink.flag('co-1');
      if (facts[i + 1]?.company) sink.flag('co+1');
    }
    if (useLex) {
      const caps = t.lex?.caps ?? 'unk';
      sink.word(22, 'caps=', caps, t);
      sink.wordPair(2, 'caps=', caps, cap ? (i === 0 || mode ? CAP_CONTEXT[mode]! : 'c') : 'l', t);
    }
    if (useClusters) {
      // Words the lexicon knows but could not cluster (too rare) get no cluster feature.
      if (t.cluster2 !== undefined) {
        sink.word(23, 'c2=', t.cluster2, t);
        sink.word(24, 'c4=', t.cluster4!, t);
      }
      const before = facts[i - 1];
      if (before?.cluster4 !== undefined) sink.word(25, 'c-14=', before.cluster4, before);
      const after = facts[i + 1];
      if (after?.cluster4 !== undefined) sink.word(26, 'c+14=', after.cluster4, after);
    }
    if (useBrown) emitBrown(facts, i, useBrownCtx, sink);
    if (useOrg) emitOrgCues(facts, i, mode, sink);
    if (useWide) {
      const prev3 = around(facts, i - 3);
      const next3 = around(facts, i + 3);
      sink.word(27, 'w-3=', prev3.low, prev3);
      sink.word(28, 'w+3=', next3.low, next3);
      sink.wordPair(3, 'w-1s=', prev.low, shp, prev);
      sink.wordPair(4, 'sw+1=', shp, next.low, t);
      if (useClusters) {
        for (const [k, key, slot] of WIDE_CLUSTERS) {
          const f = facts[i + k];
          if (f?.cluster2 !== undefined) sink.word(slot, key, f.cluster2, f);
        }
      }
    }
  }
}

/**
 * Family-name cues: a listed surname, after a first name or title ("Antonin Scalia", "Justice
 * Scalia"), and a capitalised word just before a surname (an unlisted first name: "Ngozi Okonjo").
 */
function emitSurname(facts: readonly WordFacts[], i: number, sink: FeatureSink): void {
  const t = facts[i]!;
  if (!t.cap) return;
  const prev = facts[i - 1];
  if (t.surname) {
    sink.flag('sn');
    if (prev?.firstName) sink.flag('sn|fn-1');
    else if (prev?.title) sink.flag('sn|title-1');
    else if (prev?.cap) sink.flag('sn|cap-1');
  }
  const next = facts[i + 1];
  if (next?.surname && next.cap) sink.flag(t.firstName ? 'sn+1|fn' : 'sn+1');
}

const WIDE_CLUSTERS = [[-2, 'c-22=', 29], [2, 'c+22=', 30], [-1, 'c-12=', 31], [1, 'c+12=', 32]] as const;

/**
 * Word classes of the word (each granularity; the middle one also with capitalisation) and of its
 * neighbours (coarser granularities further away). Unknown words get none.
 */
function emitBrown(facts: readonly WordFacts[], i: number, ctx: boolean, sink: FeatureSink): void {
  const t = facts[i]!;
  const own = t.brown;
  // The word's own classes are facts of the word: slots 33-35, so a sink may remember them per word.
  if (own) own.forEach((c, g) => (g < 3 ? sink.word(33 + g, brownPrefix(g), c, t) : sink.value(brownPrefix(g), c)));
  if (own && ctx) sink.pair('k1=', String(own[1]), t.cap ? (i === 0 ? 'c0' : 'c') : 'l');
  if (!ctx) return;
  const before = facts[i - 1]?.brown;
  if (before) {
    sink.value('k-1.0=', String(before[0]));
    sink.value('k-1.1=', String(before[1]));
  }
  const after = facts[i + 1]?.brown;
  if (after) {
    sink.value('k+1.0=', String(after[0]));
    sink.value('k+1.1=', String(after[1]));
  }
  const before2 = facts[i - 2]?.brown;
  if (before2) sink.value('k-2.0=', String(before2[0]));
  const after2 = facts[i + 2]?.brown;
  if (after2) sink.value('k+2.0=', String(after2[0]));
}

/** Features of one token's document hints (see document-hints.ts), kept apart so a second pass can add them to the first pass's features. */
export function hintFeatures(hints: readonly string[], position: number): string[] {
  const out: string[] = [];
  for (const h of hints) out.push(`d=${h}`, `d=${h}|${position === 0 ? 0 : 1}`);
  return out;
}

/** hintFeatures into a sink. */
export function emitHints(hints: readonly string[], position: number, sink: FeatureSink): void {
  for (const h of hints) {
    sink.value('d=', h);
    sink.pair('d=', h, position === 0 ? '0' : '1');
  }
}

/**
 * General organisation cues: acronyms, an organisation head word earlier in the same capitalised
 * run ("University of California", "Ministry of Foreign Affairs"), "X's spokesman", and "the X"
 * before a lower-case word.
 */
function emitOrgCues(facts: readonly WordFacts[], i: number, mode: string, sink: FeatureSink): void {
  const t = facts[i]!;
  if (!mode && t.acronym) {
    sink.flag('acr');
    sink.flag(i === 0 ? 'acr|0' : 'acr|1');
  }
  if (!t.cap) return;
  for (let k = 1; k <= 4 && i - k >= 0; k++) {
    const p = facts[i - k]!;
    if (p.orgWord) {
      sink.flag(ORGW_BEHIND[Math.min(k, 3)]!);
      break;
    }
    if (!p.cap && !ORG_GLUE.has(p.low)) break;
  }
  if (facts[i + 1]?.low === "'s" && ORG_ROLE_NOUNS.has(facts[i + 2]?.low ?? '')) sink.flag('poss-role');
  if (facts[i - 1]?.low === 'the' && !facts[i + 1]?.cap) sink.flag('the-cap');
}
