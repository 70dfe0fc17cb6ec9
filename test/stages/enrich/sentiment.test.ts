import { describe, expect, it } from 'vitest';
import { sentimentStage } from '../../../stages/enrich/sentiment/index.js';
import { scoreSentiment } from '../../../stages/enrich/sentiment/score-sentiment.js';
import { NO_TERMS } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

const context = { options: {}, signal: new AbortController().signal, terms: NO_TERMS };
const run = async (text: string, language: string | null = 'en', title = '') => (await sentimentStage.run(makeArticle({ text, title, language }), context)).sentiment;

describe('sentimentStage', () => {
  it('labels clearly positive and negative English text', async () => {
    expect(await run('The festival was a wonderful success and visitors loved the friendly atmosphere.')).toMatchObject({ label: 'positive' });
    expect(await run('The attack killed ten people and injured dozens; officials condemned the violence.')).toMatchObject({ label: 'negative' });
  });

  it('labels text without sentiment words neutral with score 0', async () => {
    expect(await run('The council met on Tuesday to discuss the timetable for next year.')).toEqual({ score: 0, label: 'neutral' });
  });

  it('reverses a word negated within two words', () => {
    expect(scoreSentiment('The results were good for the company.')!.score).toBeGreaterThan(0);
    expect(scoreSentiment('The results were not good for the company.')!.score).toBeLessThan(0);
    expect(scoreSentiment('The results were never very good for the company.')!.score).toBeLessThan(0);
    expect(scoreSentiment('It was not a bad year for the harvest.')!.score).toBeGreaterThan(0);
  });

  it('does not carry a negation across punctuation or past two words', () => {
    expect(scoreSentiment('No, the plan is good.')!.score).toBeGreaterThan(0);
    expect(scoreSentiment('There was no doubt the new plan is good.')!.score).toBeGreaterThan(0);
  });

  it('scores words that name Object.prototype members as plain words', () => {
    for (const text of ['The constructor of the bridge was praised.', 'hasOwnProperty toString __proto__ valueOf constructor']) {
      const s = scoreSentiment(text);
      expect(Number.isFinite(s?.score)).toBe(true);
    }
    expect(scoreSentiment('The constructor of the bridge was praised.')).toEqual(scoreSentiment('The builder of the bridge was praised.'));
  });

  it('keeps the score in [-1, 1] and compares articles of different lengths per word', () => {
    const short = scoreSentiment('A terrible, horrible, awful disaster.')!;
    const long = scoreSentiment(`A terrible, horrible, awful disaster. ${'The committee will meet again on Thursday. '.repeat(40)}`)!;
    expect(short.score).toBeGreaterThanOrEqual(-1);
    expect(short.score).toBeLessThan(long.score);
    expect(long.score).toBeLessThan(0);
  });

  it('gives null for other languages, unknown language and empty text', async () => {
    expect(await run('El festival fue un éxito maravilloso.', 'es')).toBeNull();
    expect(await run('A wonderful success.', null)).toBeNull();
    expect(await run('', 'en')).toBeNull();
  });
});
