import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeedDocument } from '../../../stages/feeds/parse-feed-document.js';
import { scoreCorpusFile, type CorpusExpectation } from '../../fixtures/feed-corpus/score-corpus-file.js';

const corpus = new URL('../../fixtures/feed-corpus/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', corpus), 'utf8')) as Record<string, CorpusExpectation>;
const names = Object.keys(expected);

describe('the feed corpus', () => {
  it('has at least 300 small files, each with expectations, under 5 MB in all', () => {
    const files = readdirSync(new URL('files/', corpus));
    expect(files.sort()).toEqual([...names].sort());
    expect(files.length).toBeGreaterThanOrEqual(300);
    const bytes = files.reduce((sum, f) => sum + statSync(new URL(`files/${f}`, corpus)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });

  it.each(names)('parses %s as a correct parser must', (name) => {
    const exp = expected[name]!;
    const doc = parseFeedDocument(readFileSync(new URL(`files/${name}`, corpus)), { contentType: exp.contentType ?? null, url: exp.url });
    expect(doc.format).toBe(exp.format);
    expect(scoreCorpusFile(exp, doc.items).firstMiss).toBeNull();
  });
});
