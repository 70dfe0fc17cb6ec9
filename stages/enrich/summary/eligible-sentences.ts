import type { Sentence } from '../text/sentences.js';

const MIN_WORDS = 6;
const MAX_WORDS = 60;
// "WASHINGTON (Reuters) -", "LONDON, Nov 24 (AP) —": an agency dateline opening the text.
const DATELINE = /^[\p{Lu}][\p{Lu} .,'-]{2,40}(?:,\s*[\p{L}. ]+\d{1,2})?\s*(?:\([^)]{1,30}\))?\s*[-—–]\s*/u;
const CREDIT = /^\((?:credit|photo|image|source)\b|^(?:photo|image|credit|source):/i;

/**
 * Sentences fit for an extractive summary: 6-60 words, ending like a sentence (headings and
 * captions without a full stop are not), not a question, not mostly a quotation, not a credit.
 * A leading dateline is stripped rather than the sentence dropped: the lead sentence is usually
 * the best one.
 */
export function eligibleSentences(sentences: readonly Sentence[]): Sentence[] {
  const out: Sentence[] = [];
  for (const s of sentences) {
    const text = s.text.replace(DATELINE, '');
    const words = text.split(/\s+/).length;
    if (words < MIN_WORDS || words > MAX_WORDS) continue;
    if (!/[.!…]["”’')]*$/.test(text) || /\?["”’')]*$/.test(text)) continue;
    if (CREDIT.test(text) || mostlyQuoted(text)) continue;
    out.push(text === s.text ? s : { ...s, text });
  }
  return out;
}

/** More than 70% of the characters inside quotation marks: a quote with at most a short attribution. */
function mostlyQuoted(text: string): boolean {
  let inside = 0;
  for (const m of text.matchAll(/[“"]([^”"]*)[”"]/g)) inside += m[1]!.length;
  return inside / text.length > 0.7;
}
