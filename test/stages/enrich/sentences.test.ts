import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../stages/enrich/text/sentences.js';
import { normaliseWord, wordTokens, words } from '../../../stages/enrich/text/words.js';

const texts = (t: string) => splitSentences(t).map((s) => s.text);

describe('splitSentences', () => {
  it('does not split after titles, initials, decimals or "U.S." before a name', () => {
    expect(texts('Mr. Smith met J. K. Rowling on Jan. 5 in the U.S. Capitol. He paid $3.5 million.')).toEqual([
      'Mr. Smith met J. K. Rowling on Jan. 5 in the U.S. Capitol.',
      'He paid $3.5 million.',
    ]);
  });

  it('splits after an abbreviation when a sentence opener follows', () => {
    expect(texts('The deal was struck in the U.S. The markets rose. Shares of Acme Inc. The rest fell.')).toEqual([
      'The deal was struck in the U.S.',
      'The markets rose.',
      'Shares of Acme Inc.',
      'The rest fell.',
    ]);
  });

  it('ends a sentence after a closing quote but not inside "…?" he asked', () => {
    expect(texts('She said "We will win." Then she left. "Is it over?" he asked. It was.')).toEqual([
      'She said "We will win."',
      'Then she left.',
      '"Is it over?" he asked.',
      'It was.',
    ]);
    expect(texts('He called it “a disgrace.” Others agreed.')).toEqual(['He called it “a disgrace.”', 'Others agreed.']);
  });

  it('treats each line as its own paragraph and keeps offsets into the text', () => {
    const text = 'A heading\nFirst one. Second one.\n\nThird one.';
    const sentences = splitSentences(text);
    expect(sentences.map((s) => [s.text, s.paragraph])).toEqual([
      ['A heading', 0],
      ['First one.', 1],
      ['Second one.', 1],
      ['Third one.', 2],
    ]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('returns nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n ')).toEqual([]);
  });
});

describe('words', () => {
  it('keeps contractions, hyphenated words, dotted abbreviations and decimals whole', () => {
    expect(words("Don't blame the state-run U.S. agency for 3.5% of AT&T’s losses")).toEqual([
      "Don't", 'blame', 'the', 'state-run', 'U.S', 'agency', 'for', '3.5', 'of', 'AT&T’s', 'losses',
    ]);
  });

  it('marks words separated from the previous one by punctuation', () => {
    expect(wordTokens('One two, three (four)').map((t) => t.breakBefore)).toEqual([true, false, true, true]);
  });

  it('normalises case, apostrophes and possessives for lookups', () => {
    expect(normaliseWord('Iran’s')).toBe('iran');
    expect(normaliseWord("DON'T")).toBe("don't");
  });
});
