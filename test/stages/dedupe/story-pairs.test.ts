import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decideStory, DEFAULT_STORY_OPTIONS } from '../../../stages/dedupe/decide-story.js';
import { storySignature } from '../../../stages/dedupe/story-signature.js';
import { contentHash } from '../../../stages/normalise/normalise-article.js';
import { generatePairs, PAIRS_FILE, renderPairs, type StoryPair } from '../../fixtures/story-pairs/generate.js';

const pairs = JSON.parse(readFileSync(PAIRS_FILE, 'utf8')) as StoryPair[];

/** Same story as the pipeline decides it: b shares a band key with a, then decideStory agrees. */
function predictSame(p: StoryPair): boolean {
  const a = storySignature(p.a.text);
  const b = storySignature(p.b.text);
  const sameText = contentHash(p.a.text) === contentHash(p.b.text);
  if (!sameText && !a.bands.some((k) => b.bands.includes(k))) return false;
  const d = decideStory({ id: 'b' }, b.minhash, [{ articleId: 'a', storyId: 'a', seq: 1, minhash: a.minhash, sameText }], DEFAULT_STORY_OPTIONS);
  return d.kind !== 'new';
}

describe('labelled story pairs (test/fixtures/story-pairs)', () => {
  it('is what generate.ts produces (regenerate with: npx tsx test/fixtures/story-pairs/generate.ts)', () => {
    expect(readFileSync(PAIRS_FILE, 'utf8')).toBe(renderPairs(generatePairs()));
  });

  it('has at least 200 pairs of every hard kind', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    const kinds = new Set(pairs.map((p) => p.kind));
    for (const k of ['curly-quotes', 'tagline-byline', 'added-paragraph', 'dropped-paragraph', 'reordered-ending', 'headline-dateline', 'same-event', 'follow-up', 'unrelated']) {
      expect(kinds, k).toContain(k);
    }
  });

  it('tells copies from other stories with precision ≥ 0.97 and recall ≥ 0.90', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of pairs) {
      const same = predictSame(p);
      if (same && p.same) tp++;
      else if (same) fp++;
      else if (p.same) fn++;
    }
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.97);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.9);
  });

  it('never files a separately written report of the same event as a copy', () => {
    expect(pairs.filter((p) => p.kind === 'same-event' && predictSame(p)).map((p) => p.id)).toEqual([]);
  });
});
