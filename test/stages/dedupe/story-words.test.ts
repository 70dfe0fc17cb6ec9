import { describe, expect, it } from 'vitest';
import { foldTypography, isBoilerplateLine, storyWords } from '../../../stages/dedupe/story-words.js';

describe('storyWords', () => {
  it('folds case, curly quotes, apostrophes and dashes so typography never separates copies', () => {
    const straight = storyWords('"It\'s over - for now," said Ana\'s lawyer.');
    const curly = storyWords('\u201CIt\u2019s over \u2014 for now,\u201D said Ana\u2019s lawyer.');
    expect(curly).toEqual(straight);
    expect(straight).toEqual(['its', 'over', 'for', 'now', 'said', 'anas', 'lawyer']);
  });

  it('keeps digit groups whole and strips accents', () => {
    expect(storyWords('About 2,400 passengers paid 1.20 in Zürich')).toEqual(['about', '2400', 'passengers', 'paid', '120', 'in', 'zurich']);
  });

  it('drops wire taglines, credits and bylines that syndication adds or removes', () => {
    const body = 'The council approved the budget.';
    for (const line of [
      'This story was compiled from wire reports.',
      'Reporting by Lena Varga; Editing by Martin Osei',
      '(Additional reporting by Tomas Reyes)',
      '© 2026 Coastwire. All rights reserved.',
      'By Hanna Lowe, Westholm Courier',
      'This article was originally published by Coastwire and is republished here under licence.',
      'Updated at 4.15pm with new figures and comment.',
    ]) {
      expect(storyWords(`${body}\n\n${line}`), line).toEqual(storyWords(body));
    }
  });

  it('drops a leading dateline but keeps a sentence that merely mentions a wire service', () => {
    expect(storyWords('MARLOW BAY, May 3 (Coastwire) \u2014 The ferry stopped.')).toEqual(['the', 'ferry', 'stopped']);
    expect(storyWords('GENEVA - The ferry stopped.')).toEqual(['the', 'ferry', 'stopped']);
    expect(isBoilerplateLine('Coastwire reported that the ferry stopped after a crack was found in its hull on Monday.')).toBe(false);
  });

  it('keeps a long paragraph that starts like a credit', () => {
    const long = `By the time the ferry returned ${'to the harbour after a long day '.repeat(6)}it was dark.`;
    expect(isBoilerplateLine(long)).toBe(false);
  });

  it('folds typography only, leaving words alone', () => {
    expect(foldTypography('\u2018a\u2019 \u201Cb\u201D c\u2013d e\u2026')).toBe('\'a\' "b" c-d e...');
  });
});
