import { describe, expect, it } from 'vitest';
import { decideDuplicate } from '../../../stages/dedupe/decide-duplicate.js';
import { makeArticle } from '../../helpers/articles.js';

describe('decideDuplicate', () => {
  const { storyId: _s, duplicateOf: _d, enrichment: _e, ...normalised } = makeArticle();

  it('starts a story when the article is the first with its text', () => {
    const a = decideDuplicate(normalised, normalised.id);
    expect(a.storyId).toBe(normalised.id);
    expect(a.duplicateOf).toBeNull();
  });

  it('files the same text under another URL as a duplicate in the first one\'s story', () => {
    const a = decideDuplicate(normalised, 'first-article-id');
    expect(a.storyId).toBe('first-article-id');
    expect(a.duplicateOf).toBe('first-article-id');
    expect(a.id).toBe(normalised.id);
  });
});
