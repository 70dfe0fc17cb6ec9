import { describe, expect, it } from 'vitest';
import { bandHitProbability, bandKeys } from '../../../stages/dedupe/band-keys.js';
import { estimateJaccard, minhashSignature } from '../../../stages/dedupe/minhash-signature.js';
import { shingleWords } from '../../../stages/dedupe/shingle-words.js';
import { storySignature } from '../../../stages/dedupe/story-signature.js';

function jaccard(a: Uint32Array, b: Uint32Array): number {
  const A = new Set(a);
  const inter = [...b].filter((x) => A.has(x)).length;
  return inter / (A.size + b.length - inter);
}

// Deterministic word stream, so the test needs no fixtures.
function words(n: number, seed: number): string[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return `w${s % 5000}`;
  });
}

describe('MinHash', () => {
  it('estimates the Jaccard index of shingle sets within 0.1 at 128 hashes', () => {
    const base = words(400, 1);
    for (const keep of [400, 300, 200, 100]) {
      const other = [...base.slice(0, keep), ...words(400 - keep, keep + 7)];
      const a = shingleWords(base, 5);
      const b = shingleWords(other, 5);
      const est = estimateJaccard(minhashSignature(a, 128), minhashSignature(b, 128));
      expect(Math.abs(est - jaccard(a, b)), `keep ${keep}`).toBeLessThan(0.1);
    }
  });

  it('gives every worker the same signature for the same text', () => {
    const text = 'The harbour ferry will stay out of service for at least three weeks.';
    expect(storySignature(text)).toEqual(storySignature(text));
    expect(storySignature(text).bands).toHaveLength(16);
  });

  it('treats word order inside a shingle as meaningful', () => {
    expect(shingleWords(['police', 'shot', 'man'], 3)).not.toEqual(shingleWords(['man', 'shot', 'police'], 3));
  });

  it('signs a text shorter than one shingle, and nothing for a text without words', () => {
    expect(storySignature('Ferry stopped.').bands.length).toBe(16);
    expect(storySignature(' \n— … ').bands).toEqual([]);
    expect(estimateJaccard(storySignature('').minhash, storySignature('').minhash)).toBe(0);
  });

  it('puts identical texts in every band and unrelated ones in none', () => {
    const a = bandKeys(minhashSignature(shingleWords(words(300, 3), 5), 128), 16, 2);
    const b = bandKeys(minhashSignature(shingleWords(words(300, 4), 5), 128), 16, 2);
    expect(a).toEqual(bandKeys(minhashSignature(shingleWords(words(300, 3), 5), 128), 16, 2));
    expect(a.filter((k) => b.includes(k))).toEqual([]);
  });

  it('chooses 16 bands × 2 rows so a copy at Jaccard 0.55 is a candidate almost surely', () => {
    expect(bandHitProbability(0.55, 16, 2)).toBeGreaterThan(0.99);
    expect(bandHitProbability(0.05, 16, 2)).toBeLessThan(0.05);
  });

  it('refuses more banded slots than the signature has', () => {
    expect(() => bandKeys(new Uint32Array(8), 5, 2)).toThrow(RangeError);
  });
});
