import { splitSentences, type Sentence } from '../text/sentences.js';
import { stopwords } from '../text/stopwords.js';
import { normaliseWord, words } from '../text/words.js';
import { eligibleSentences } from './eligible-sentences.js';
import { textRank } from './text-rank.js';

// A sentence opening with a pronoun or connective leans on the one before it, which a summary may not carry.
const DANGLING_START = /^(?:He|She|They|It|This|These|Those|That|His|Her|Their|But|And|However|Also)\b/;
const DANGLING_PENALTY = 0.7;
/** Articles with this many eligible sentences or more get three; shorter ones two. */
const LONG_ARTICLE_SENTENCES = 12;

/**
 * An extractive summary: the first eligible sentence (the lede, written to summarise the story)
 * and the 1-2 highest TextRank sentences after it, in article order. Similarity is TextRank's
 * (shared content words over summed log lengths); the rank has a lead bias (teleport prior
 * 1/(position+1)) and sentences opening with a pronoun or connective ("He", "But") lose 30%, as
 * they read badly out of context. A text with fewer than three eligible sentences is its own
 * summary (those sentences joined), so consumers need no fallback; none at all gives null.
 */
export function summarise(text: string, language: string | null): string | null {
  const sentences = eligibleSentences(splitSentences(text));
  if (sentences.length === 0) return null;
  if (sentences.length < 3) return join(sentences);
  const weights = similarities(sentences, language);
  const rank = textRank(weights, sentences.map((_, i) => 1 / (i + 1))).map((r, i) =>
    DANGLING_START.test(sentences[i]!.text) ? r * DANGLING_PENALTY : r,
  );
  const count = sentences.length >= LONG_ARTICLE_SENTENCES ? 3 : 2;
  const chosen = rank
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Number(b.i === 0) - Number(a.i === 0) || b.r - a.r || a.i - b.i)
    .slice(0, count)
    .sort((a, b) => a.i - b.i)
    .map(({ i }) => sentences[i]!);
  return join(chosen);
}

function similarities(sentences: readonly Sentence[], language: string | null): Float64Array[] {
  const stop = stopwords(language);
  const bags = sentences.map((s) => new Set(words(s.text).map(normaliseWord).filter((w) => !stop.has(w))));
  const rows = bags.map(() => new Float64Array(bags.length));
  // Symmetric to the bit (the shared count and the sum of two logs do not depend on the order): each pair once.
  for (let i = 0; i < bags.length; i++) {
    for (let j = i + 1; j < bags.length; j++) rows[i]![j] = rows[j]![i] = similarity(bags[i]!, bags[j]!);
  }
  return rows;
}

function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size < 2 || b.size < 2) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const w of small) if (large.has(w)) shared++;
  return shared / (Math.log(a.size) + Math.log(b.size));
}

function join(sentences: readonly Sentence[]): string {
  return sentences.map((s) => s.text).join(' ');
}
