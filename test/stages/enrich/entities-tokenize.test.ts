import { describe, expect, it } from 'vitest';
import { tokenizeLine, tokenizeText } from '../../../stages/enrich/entities/tokenize-text.js';

const texts = (line: string): string[] => tokenizeLine(line).map((t) => t.text);

describe('tokenizeLine', () => {
  it('splits punctuation off words but keeps dotted abbreviations and titles whole', () => {
    expect(texts('Mr. Smith flew to the U.S. (via Paris), then left.')).toEqual(
      ['Mr.', 'Smith', 'flew', 'to', 'the', 'U.S.', '(', 'via', 'Paris', ')', ',', 'then', 'left', '.'],
    );
  });

  it('splits possessives and negations the Penn Treebank way, straight or curly', () => {
    expect(texts('Israel’s army didn\'t say')).toEqual(['Israel', '’s', 'army', 'did', "n't", 'say']);
    expect(texts("O'Brien's aide")).toEqual(["O'Brien", "'s", 'aide']);
  });

  it('keeps hyphenated words, decimals and e-mail addresses as one token', () => {
    expect(texts('anti-Israel Bailey-Ross paid 3.5% or $1,200 to a.b@example.com')).toEqual(
      ['anti-Israel', 'Bailey-Ross', 'paid', '3.5', '%', 'or', '$', '1,200', 'to', 'a.b@example.com'],
    );
  });

  it('splits a name particle off its hyphen as the training corpus does', () => {
    expect(texts('Ziyad al-Nakhaleh and bin-Salman')).toEqual(['Ziyad', 'al', '-', 'Nakhaleh', 'and', 'bin', '-', 'Salman']);
  });

  it('gives character offsets into the text', () => {
    const line = 'Hello, Gaza City.';
    for (const t of tokenizeLine(line, 0)) expect(line.slice(t.start, t.end)).toBe(t.text);
  });
});

describe('tokenizeText', () => {
  it('ends sentences at full stops before capitals, at line breaks, and not after abbreviations', () => {
    const sentences = tokenizeText('Dr. Jones arrived. She spoke at 5 p.m. to the press.\nCalls for aid\n\n“We left.” Then rain.');
    expect(sentences.map((s) => s.map((t) => t.text).join(' '))).toEqual([
      'Dr. Jones arrived .',
      'She spoke at 5 p.m. to the press .',
      'Calls for aid',
      '“ We left . ”',
      'Then rain .',
    ]);
  });

  it('keeps offsets across lines', () => {
    const text = 'One line.\n\nAnother line here.';
    for (const s of tokenizeText(text)) for (const t of s) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});
