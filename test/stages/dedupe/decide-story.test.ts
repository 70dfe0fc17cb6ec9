import { describe, expect, it } from 'vitest';
import { decideStory, DEFAULT_STORY_OPTIONS, type StoryCandidate } from '../../../stages/dedupe/decide-story.js';
import { storySignature } from '../../../stages/dedupe/story-signature.js';

const wire = [
  'The Marlow Bay harbour ferry will stay out of service for at least three weeks after inspectors found a crack in its hull during a routine check on Monday, the port authority said.',
  'The ferry carries about 2,400 passengers a day between the old town and the Kelsey Point housing estate, and a replacement bus service will run every twenty minutes.',
  '"Nobody was ever at risk, but we are not going to put that boat back in the water until we understand exactly how the crack formed," said harbour master Ingrid Solberg.',
  'The vessel, built in 1998, passed its last full survey eighteen months ago. Engineers will lift it onto the slipway this week so the damaged plates can be examined.',
].join('\n\n');
const copy = `${wire.replace(/"/g, '\u201D')}\n\nThis story was compiled from wire reports.`;
const other = 'The city libraries will open on Sunday afternoons from next month after the culture committee approved the change by six votes to one on Thursday evening.';

function candidate(articleId: string, seq: number, text: string, sameText = false, storyId = articleId): StoryCandidate {
  return { articleId, storyId, seq, minhash: storySignature(text).minhash, sameText };
}

describe('decideStory', () => {
  const sig = storySignature(copy).minhash;

  it('starts a story when nothing matches', () => {
    expect(decideStory({ id: 'b' }, sig, [], DEFAULT_STORY_OPTIONS)).toEqual({ storyId: 'b', duplicateOf: null, kind: 'new', similarity: null });
    expect(decideStory({ id: 'b' }, sig, [candidate('x', 1, other)], DEFAULT_STORY_OPTIONS).kind).toBe('new');
  });

  it('files a syndicated copy under the first copy\'s story and points to it', () => {
    const d = decideStory({ id: 'b' }, sig, [candidate('a', 7, wire, false, 'story-1')], DEFAULT_STORY_OPTIONS);
    expect(d).toMatchObject({ storyId: 'story-1', duplicateOf: 'a', kind: 'near' });
    expect(d.similarity).toBeGreaterThan(0.9);
  });

  it('picks the first-seen matching candidate, whatever order they come in', () => {
    const cands = [candidate('late', 9, wire, false, 's-late'), candidate('x', 1, other), candidate('early', 3, wire, false, 's-early')];
    expect(decideStory({ id: 'b' }, sig, cands, DEFAULT_STORY_OPTIONS)).toMatchObject({ storyId: 's-early', duplicateOf: 'early' });
  });

  it('prefers the holder of the exact text over an earlier near match', () => {
    const cands = [candidate('near', 1, wire, false, 's'), { ...candidate('exact', 5, copy, true, 's'), minhash: new Uint32Array(0) }];
    expect(decideStory({ id: 'b' }, sig, cands, DEFAULT_STORY_OPTIONS)).toEqual({ storyId: 's', duplicateOf: 'exact', kind: 'exact', similarity: 1 });
  });

  it('never files an article as a duplicate of itself', () => {
    expect(decideStory({ id: 'a' }, sig, [candidate('a', 1, wire)], DEFAULT_STORY_OPTIONS).kind).toBe('new');
  });

  it('respects the threshold', () => {
    expect(decideStory({ id: 'b' }, sig, [candidate('a', 1, wire)], { threshold: 1.01 }).kind).toBe('new');
  });
});
