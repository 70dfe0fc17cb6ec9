import { describe, expect, it } from 'vitest';
import { agreedSentences, withoutMisc } from '../../../stages/enrich/entities/self-training.js';
import { trainPerceptron, type TrainingSentence } from '../../../stages/enrich/entities/train-perceptron.js';

describe('withoutMisc', () => {
  it('turns MISC tags into O and keeps the other names', () => {
    expect(withoutMisc(['B-PER', 'I-PER', 'O', 'B-MISC', 'I-MISC', 'B-LOC'])).toEqual(['B-PER', 'I-PER', 'O', 'O', 'O', 'B-LOC']);
  });
});

describe('agreedSentences', () => {
  const sentences = [
    ['Angela', 'Merkel', 'visited', 'Paris', '.'],
    ['It', 'rained', 'all', 'day', '.'],
    ['The', 'Olympics', 'opened', 'in', 'Tokyo', '.'],
    ['He', 'met', 'Smith', '.'],
    ['She', 'left', 'Reuters', '.'],
  ];
  const labeller = [
    ['B-PER', 'I-PER', 'O', 'B-LOC', 'O'],
    ['O', 'O', 'O', 'O', 'O'],
    ['O', 'B-MISC', 'O', 'O', 'B-LOC', 'O'],
    ['O', 'O', 'B-PER', 'O'],
    ['O', 'O', 'O', 'O'],
  ];

  it('keeps sentences every tagging agrees on, ignoring MISC, with a name or a capitalised word to learn from', () => {
    const checker = [
      ['B-PER', 'I-PER', 'O', 'B-LOC', 'O'],
      ['O', 'O', 'O', 'O', 'O'],
      ['O', 'O', 'O', 'O', 'B-LOC', 'O'],
      ['O', 'O', 'B-ORG', 'O'],
      ['O', 'O', 'O', 'O'],
    ];
    // 1: no name, no capitalised word after the first; 3: PER against ORG; 4: agreed O on "Reuters".
    expect(agreedSentences(sentences, [labeller, checker])).toEqual([0, 2, 4]);
  });

  it('with namesOnly, drops agreed sentences that hold no name', () => {
    expect(agreedSentences(sentences, [labeller, labeller], true)).toEqual([0, 2, 3]);
    expect(agreedSentences(sentences, [labeller, labeller])).toEqual([0, 2, 3, 4]);
  });

  it('needs every checker to agree, not just one', () => {
    const a = labeller.map((s) => [...s]);
    const b = labeller.map((s) => [...s]);
    b[0] = ['B-PER', 'I-PER', 'O', 'O', 'O'];
    expect(agreedSentences(sentences, [labeller, a, b])).toEqual([2, 3, 4]);
  });
});

describe('trainPerceptron sentence weights', () => {
  const sentence = (weight?: number): TrainingSentence => ({
    features: [['w=angela', 'bias'], ['w=merkel', 'bias'], ['w=spoke', 'bias']],
    tags: ['B-PER', 'I-PER', 'O'],
    ...(weight === undefined ? {} : { weight }),
  });
  const train = (s: TrainingSentence[]): ReturnType<typeof trainPerceptron>['file'] =>
    trainPerceptron(s, { labels: ['O', 'B-PER', 'I-PER'], epochs: 1, seed: 1, minCount: 1 }).file;

  it('scales every update by the sentence weight', () => {
    const full = train([sentence(), sentence()]);
    const half = train([sentence(0.5), sentence(0.5)]);
    expect(full.features['w=angela']!.length).toBeGreaterThan(0);
    for (const [name, pairs] of Object.entries(full.features)) {
      const halfPairs = half.features[name]!;
      expect(halfPairs.filter((_, k) => k % 2 === 0)).toEqual(pairs.filter((_, k) => k % 2 === 0));
      // Integer weights over the file's scale: halves up to rounding.
      for (let k = 1; k < pairs.length; k += 2) expect(Math.abs(halfPairs[k]! - pairs[k]! / 2)).toBeLessThanOrEqual(1);
    }
  });

  it('weight 1 trains exactly as no weight', () => {
    expect(train([sentence(1), sentence(1)])).toEqual(train([sentence(), sentence()]));
  });
});
