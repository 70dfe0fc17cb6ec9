import { estimateJaccard } from './minhash-signature.js';

/** An article already in the index that shares a band key or the content hash with the new one. */
export interface StoryCandidate {
  articleId: string;
  storyId: string;
  /** Order in which the index filed it: lower is seen first. */
  seq: number;
  minhash: Uint32Array;
  /** It holds the same content hash: an exact duplicate whatever the signature says. */
  sameText: boolean;
}

export interface StoryDecision {
  storyId: string;
  duplicateOf: string | null;
  kind: 'new' | 'exact' | 'near';
  /** Estimated Jaccard similarity to `duplicateOf`; 1 for an exact duplicate, null for a new story. */
  similarity: number | null;
}

export interface StoryOptions {
  /** Least estimated Jaccard similarity of word shingles for "the same story". */
  threshold: number;
}

/**
 * 0.53: the middle of the gap on test/fixtures/story-pairs between the least similar copy
 * (trimmed + a local paragraph, 0.55) and the most similar different story (one-line items sharing
 * a long footer, 0.50), 5-word shingles. `npm run bench:dedupe` prints the sweep.
 */
export const DEFAULT_STORY_OPTIONS: Readonly<StoryOptions> = { threshold: 0.53 };

/**
 * Files an article under a story: an exact duplicate (same content hash) joins the first holder of
 * that text; otherwise the first-seen candidate whose estimated similarity reaches the threshold
 * gives its story; otherwise the article starts its own story.
 */
export function decideStory(
  article: { id: string },
  minhash: Uint32Array,
  candidates: readonly StoryCandidate[],
  opts: StoryOptions,
): StoryDecision {
  const others = candidates.filter((c) => c.articleId !== article.id).sort((a, b) => a.seq - b.seq);
  const exact = others.find((c) => c.sameText);
  if (exact) return { storyId: exact.storyId, duplicateOf: exact.articleId, kind: 'exact', similarity: 1 };
  for (const c of others) {
    const similarity = estimateJaccard(minhash, c.minhash);
    if (similarity >= opts.threshold) return { storyId: c.storyId, duplicateOf: c.articleId, kind: 'near', similarity };
  }
  return { storyId: article.id, duplicateOf: null, kind: 'new', similarity: null };
}
