import { describe, expect, it } from 'vitest';
import { planWrite } from '../../../stages/store/plan-write.js';
import { makeArticle } from '../../helpers/articles.js';

describe('planWrite', () => {
  const a = makeArticle();
  it('creates a new article and announces it', () => {
    expect(planWrite(null, a)).toEqual({ change: 'created', event: 'article.created' });
  });
  it('announces a new duplicate as a duplicate', () => {
    expect(planWrite(null, { ...a, duplicateOf: 'x' })).toEqual({ change: 'created', event: 'article.duplicate' });
  });
  it('does nothing for the same text and title', () => {
    expect(planWrite({ contentHash: a.contentHash, title: a.title }, a)).toEqual({ change: 'unchanged', event: null });
  });
  it('updates in place when the text changed', () => {
    expect(planWrite({ contentHash: 'old', title: a.title }, a)).toEqual({ change: 'updated', event: 'article.updated' });
  });
});
