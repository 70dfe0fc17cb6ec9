import { stopwords } from './stopwords.js';

/** One sentence of a text: its trimmed text, offsets into the text, and which paragraph (line block) it is in. */
export interface Sentence {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly paragraph: number;
}

// Titles before a name never end a sentence ("Mr. Smith").
const TITLES = new Set('mr mrs ms dr prof sen rep gov gen col lt capt cmdr sgt st jr sr rev hon messrs pres supt det insp adm maj'.split(' '));
// Abbreviations that end a sentence only when a typical sentence opener follows ("… Inc. The firm").
const ABBREVIATIONS = new Set(
  'inc corp ltd co bros vs etc no nos jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx dept est fig al univ ave blvd rd'.split(' '),
);
const END = /[.!?…]+["”’')\]]*(?=\s)/g;
const DOTTED = /^(?:\p{L}\.)+\p{L}$/u; // U.S, U.N, a.m, e.g
const INITIAL = /^\p{Lu}$/u;
const NEXT_WORD = /\s+(\S+)/y;
const OPENS = /^[\p{Lu}\p{N}"“‘'(\[]/u;

/**
 * Sentences of a text. Lines are hard boundaries (extracted text keeps one paragraph, heading or
 * caption per line); within a line, ". ! ? …" plus any closing quote end a sentence when a capital,
 * digit or opening quote follows, except after titles ("Mr."), initials ("J. K.") and abbreviations
 * ("U.S.", "Jan.") that are not followed by a typical sentence opener. Decimals never split
 * because no space follows their point.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let paragraph = 0;
  for (const line of text.matchAll(/[^\n]+/g)) {
    const lineText = line[0];
    if (!lineText.trim()) continue;
    let from = 0;
    for (const end of lineText.matchAll(END)) {
      const stop = end.index + end[0].length;
      if (!isBoundary(lineText, end.index, end[0], stop)) continue;
      push(out, lineText, from, stop, line.index, paragraph);
      from = stop;
    }
    push(out, lineText, from, lineText.length, line.index, paragraph);
    paragraph++;
  }
  return out;
}

function isBoundary(line: string, at: number, mark: string, stop: number): boolean {
  NEXT_WORD.lastIndex = stop;
  const next = NEXT_WORD.exec(line);
  if (!next || !OPENS.test(next[1]!)) return false;
  if (mark !== '.') return true;
  // Only the word before the point matters; looking at a bounded window keeps long lines linear.
  const before = /([\p{L}\p{N}.]+)$/u.exec(line.slice(Math.max(0, at - 30), at))?.[1] ?? '';
  const word = before.toLowerCase();
  if (TITLES.has(word) || INITIAL.test(before)) return false;
  if (ABBREVIATIONS.has(word) || DOTTED.test(before)) return opensSentence(next[1]!);
  return true;
}

/** A capitalised function word ("The", "He", "But") almost always starts a new sentence. */
function opensSentence(word: string): boolean {
  const bare = word.replace(/^["“‘'(]+/, '').replace(/[^\p{L}'’]+$/u, '');
  return /^\p{Lu}/u.test(bare) && stopwords('en').has(bare.toLowerCase());
}

function push(out: Sentence[], line: string, from: number, to: number, lineStart: number, paragraph: number): void {
  const raw = line.slice(from, to);
  const text = raw.trim();
  if (!text) return;
  const start = lineStart + from + (raw.length - raw.trimStart().length);
  out.push({ text, start, end: start + text.length, paragraph });
}
