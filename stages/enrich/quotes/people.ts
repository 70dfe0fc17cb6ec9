import { stopwords } from '../text/stopwords.js';
import { isVerbLike } from './speech.js';
import { fullestName } from './fullest-name.js';

/** A person the article names, where, and the words around those mentions (titles, roles, appositions). */
export interface Person {
  readonly name: string;
  readonly mentions: number;
  /** Offsets of each mention of the full name or its last word (the surname). */
  readonly positions: readonly number[];
  /** Lowercase content words near the mentions ("iranian", "foreign", "minister"). */
  readonly context: ReadonlySet<string>;
  /** Initials of the capitalised word runs near the mentions ("IFM" for "Iranian Foreign Minister"), for "FM", "PM". */
  readonly initials: string;
}

const CONTEXT_WORDS = 10;
const LINKS = new Set(['of', 'the', 'a', 'an']);
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Indexes people's mentions and the words describing them in a text, for resolving surnames and descriptors ("the Iranian FM"). */
export function indexPeople(text: string, names: readonly { name: string; mentions: number }[]): Person[] {
  const people = names.map((n) => {
    const name = fullestName(text, n.name);
    return { name, mentions: n.mentions, positions: mentionsOf(text, name) };
  });
  return people.map((p) => {
    const context = new Set<string>();
    let initials = '';
    for (const at of p.positions) {
      const near = surroundings(text, at, text.startsWith(p.name, at) ? p.name.length : p.name.split(/\s+/).pop()!.length);
      for (const w of near) if (!stopwords('en').has(w.toLowerCase())) for (const part of w.toLowerCase().split('-')) context.add(part);
      initials += ` ${near.filter((w) => /^\p{Lu}/u.test(w)).flatMap((w) => w.split('-')).map((w) => w[0]).join('')}`;
    }
    return { ...p, context, initials };
  });
}

function mentionsOf(text: string, name: string): number[] {
  const surname = name.split(/\s+/).pop()!;
  const out: number[] = [];
  for (const form of new Set([name, surname])) {
    if (form.length < 3) continue;
    for (const at of wholeWordsAt(text, form)) if (!out.some((seen) => at >= seen && at < seen + name.length)) out.push(at);
  }
  return out.sort((a, b) => a - b);
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * Where `form` (not empty) occurs in `text` with no letter or digit on either side, left to right and not
 * overlapping: what `/(?<![\p{L}\p{N}])form(?![\p{L}\p{N}])/gu` matches, found with indexOf
 * instead of compiling a Unicode pattern per name and scanning the text with it (most of the stage's time).
 */
export function wholeWordsAt(text: string, form: string): number[] {
  const out: number[] = [];
  if (form.length === 0) return out;
  for (let at = text.indexOf(form); at >= 0; ) {
    const end = at + form.length;
    if (!isLetterOrDigit(codePointBefore(text, at)) && !isLetterOrDigit(text.codePointAt(end))) {
      out.push(at);
      at = text.indexOf(form, end);
    } else {
      at = text.indexOf(form, at + 1);
    }
  }
  return out;
}

/** The code point ending just before `at` (a surrogate pair as one, as a /u lookbehind reads it). */
function codePointBefore(text: string, at: number): number | undefined {
  if (at === 0) return undefined;
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

function isLetterOrDigit(codePoint: number | undefined): boolean {
  return codePoint !== undefined && LETTER_OR_DIGIT.test(String.fromCodePoint(codePoint));
}

/**
 * The words that describe a mention: the title run before it, back to a verb or a function word
 * ("the Iranian Foreign Minister", "Secretary-General of the Palestinian Islamic Jihad movement"),
 * and an apposition after a comma (", Iran's foreign minister,"). Words between two names are
 * ambiguous; titles precede names in news style, so the run before a name belongs to it.
 */
function surroundings(text: string, at: number, nameLength: number): string[] {
  const before = Array.from(text.slice(Math.max(0, at - 200), at).matchAll(WORD), (m) => m[0]);
  const title: string[] = [];
  for (let i = before.length - 1; i >= 0 && title.length < CONTEXT_WORDS; i--) {
    const w = before[i]!;
    const lower = w.toLowerCase();
    if (isVerbLike(w) || (stopwords('en').has(lower) && !LINKS.has(lower))) break;
    title.unshift(w);
  }
  const apposition = /^,\s*([^,.;:()"“”]{1,80})[,.;]/.exec(text.slice(at + nameLength));
  const after = apposition ? Array.from(apposition[1]!.matchAll(WORD), (m) => m[0]).slice(0, CONTEXT_WORDS) : [];
  return [...title, ...after];
}
