import { createRequire } from 'node:module';
import type { TermStats } from '../stage.js';
import { stopwords } from '../text/stopwords.js';

/** Below this many counted articles the document frequencies say little; a built-in heuristic stands in. */
export const MIN_DOCUMENTS = 50;

// Words frequent in any news story: informative to no reader.
const NEWS_COMMON = `official officials government country countries statement report reports reported news week
group groups number part end state states world national international local public issue issues plan plans move
case cases end comment comments spokesperson spokesman spokeswoman source sources media press announced meeting`.split(/\s+/);

let common: ReadonlySet<string> | undefined;

/**
 * How telling a term is: BM25's idf, ln(1 + (N - df + 0.5) / (df + 0.5)), when the pipeline has
 * counted enough articles; otherwise a heuristic idf: words in stopwords-iso's long English list
 * (which is mostly common words, "act", "adopted", "announce") and a few news staples score low,
 * other words high. Phrases take their words' mean and a bonus for being phrases.
 */
export function rarity(key: string, terms: TermStats, language: string | null): number {
  if (terms.documents >= MIN_DOCUMENTS) {
    const df = Math.min(terms.documentFrequency(key), terms.documents);
    return Math.log(1 + (terms.documents - df + 0.5) / (df + 0.5));
  }
  const parts = key.split(' ');
  const mean = parts.reduce((sum, w) => sum + heuristicIdf(w, language), 0) / parts.length;
  return parts.length > 1 ? mean * 1.3 : mean;
}

function heuristicIdf(word: string, language: string | null): number {
  if ((language ?? 'en').slice(0, 2) !== 'en') return 2;
  common ??= new Set([...(createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>).en!, ...NEWS_COMMON]);
  if (common.has(word) || stopwords('en').has(word)) return 0.6;
  return word.length <= 3 ? 1.6 : 2;
}
