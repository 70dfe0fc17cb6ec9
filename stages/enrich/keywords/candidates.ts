import { normaliseWord, wordTokens } from '../text/words.js';
import { stopwords } from '../text/stopwords.js';

/** A keyword candidate of one text: its lookup key, the surface form seen most, and how often it occurs. */
export interface Candidate {
  readonly key: string;
  /** The first surface form seen (possessive dropped); capitalised mid-sentence forms mark proper names. */
  display: string;
  count: number;
  /** How many words the candidate has. */
  readonly length: number;
  /** Times it occurred capitalised not at a sentence start: a proper-name hint. */
  capitalised: number;
}

const MAX_PHRASE_WORDS = 3;
const NUMERIC = /^[\p{N}.,'\-]+$/u;
const ACRONYM = /^\p{Lu}{2,5}$/u;

/** The word without a possessive "'s" (either apostrophe): a character test first, as most words have none. */
function possessiveDropped(word: string): string {
  const n = word.length;
  return n >= 2 && word.charCodeAt(n - 1) === 0x73 && (word[n - 2] === "'" || word[n - 2] === '’') ? word.slice(0, -2) : word;
}

/**
 * Single words and phrases of 2-3 words (runs bounded by stopwords and punctuation, as in RAKE,
 * Rose et al. 2010) of a text, keyed by their lowercase form. `headline`: the text is a title,
 * whose capitalisation is no proper-name hint.
 */
export function keywordCandidates(text: string, language: string | null, headline = false): Map<string, Candidate> {
  const stop = stopwords(language);
  const out = new Map<string, Candidate>();
  let run: { key: string; surface: string; capital: boolean }[] = [];
  const flush = (): void => {
    addRun(out, run);
    run = [];
  };
  for (const token of wordTokens(text)) {
    if (token.breakBefore) flush();
    const key = normaliseWord(token.text);
    // An all-capitals word in running text is an acronym ("US", "WHO"), not the stopword it spells.
    if (key.length < 2 || (stop.has(key) && !(!headline && ACRONYM.test(token.text))) || NUMERIC.test(key)) {
      flush();
      continue;
    }
    const surface = possessiveDropped(token.text);
    const sentenceStart = token.start === 0 || (token.breakBefore && /(?:[.!?"“”]|\n)\s*$/.test(text.slice(Math.max(0, token.start - 3), token.start)));
    // Headlines capitalise every word, so their case says nothing about names.
    const capital = !headline && !sentenceStart && /^\p{Lu}/u.test(surface);
    run.push({ key, surface, capital });
    // "Israel's nature" is no phrase: a possessive ends the run.
    if (surface !== token.text) flush();
  }
  flush();
  return out;
}

function addRun(out: Map<string, Candidate>, run: readonly { key: string; surface: string; capital: boolean }[]): void {
  for (let i = 0; i < run.length; i++) {
    for (let n = 1; n <= MAX_PHRASE_WORDS && i + n <= run.length; n++) {
      // Long runs yield all their sub-phrases; ranking drops the redundant ones.
      const parts = run.slice(i, i + n);
      const key = parts.map((p) => p.key).join(' ');
      const existing = out.get(key);
      const capital = parts.every((p) => p.capital);
      if (existing) {
        existing.count++;
        if (capital) existing.capitalised++;
      } else {
        out.set(key, { key, display: parts.map((p) => p.surface).join(' '), count: 1, length: n, capitalised: capital ? 1 : 0 });
      }
    }
  }
}
