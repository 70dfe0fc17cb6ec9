import { describe, expect, it } from 'vitest';
import { enrichmentKey, planWrite } from '../../../stages/store/plan-write.js';
import { makeArticle } from '../../helpers/articles.js';

describe('planWrite', () => {
  const a = makeArticle();
  it('creates a new article and announces it', () => {
    expect(planWrite(null, a)).toEqual({ change: 'created', event: 'article.created', revision: false });
  });
  it('announces a new duplicate as a duplicate', () => {
    expect(planWrite(null, { ...a, duplicateOf: 'x' })).toEqual({ change: 'created', event: 'article.duplicate', revision: false });
  });
  it('does nothing for the same text and title', () => {
    expect(planWrite({ contentHash: a.contentHash, title: a.title, enrichmentKey: enrichmentKey(a) }, a)).toEqual({ change: 'unchanged', event: null, revision: false });
  });
  it('updates in place when the text changed', () => {
    expect(planWrite({ contentHash: 'old', title: a.title, enrichmentKey: enrichmentKey(a) }, a)).toEqual({ change: 'updated', event: 'article.updated', revision: true });
  });
  it('updates without a revision when only enrichment changed: a new stage version or new output', () => {
    const stored = { ...a, keywords: ['budget'], enrichment: { keywords: { version: '1', ms: 3, error: null } } };
    const held = { contentHash: a.contentHash, title: a.title, enrichmentKey: enrichmentKey(stored) };
    const newVersion = { ...stored, enrichment: { keywords: { version: '2', ms: 3, error: null } } };
    const newOutput = { ...stored, keywords: ['budget', 'council'] };
    const nowFailing = { ...stored, enrichment: { keywords: { version: '1', ms: 3, error: 'model missing' } } };
    for (const next of [newVersion, newOutput, nowFailing]) expect(planWrite(held, next)).toEqual({ change: 'updated', event: 'article.updated', revision: false });
  });
  it('does nothing when a retry gives the same enrichment in another time', () => {
    const stored = { ...a, keywords: ['budget'], enrichment: { keywords: { version: '1', ms: 3, error: null } } };
    const retry = { ...stored, enrichment: { keywords: { version: '1', ms: 9.5, error: null } } };
    expect(planWrite({ contentHash: a.contentHash, title: a.title, enrichmentKey: enrichmentKey(stored) }, retry).change).toBe('unchanged');
  });
});
