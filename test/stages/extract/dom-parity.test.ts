import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle, type ExtractOutcome } from '../../../stages/extract/extract-article.js';
import type { PageExpectation } from '../../helpers/fixture-site.js';

const SITE_DIR = new URL('../../fixtures/site/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(`${SITE_DIR}expected.json`, 'utf8')) as Record<string, PageExpectation>;
const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

function extract(file: string, dom: 'jsdom' | 'linkedom'): ExtractOutcome {
  const html = readFileSync(`${SITE_DIR}${file}`, 'utf8');
  return extractArticle({ url: `https://news.example/articles/${file}`, html, fetchedAt: '2024-09-04T00:00:00.000Z' }, { dom });
}

describe.each(['jsdom', 'linkedom'] as const)('extractArticle on %s', (dom) => {
  for (const [file, want] of Object.entries(expected)) {
    it(`gives ${file} its title and the with/without snippets of expected.json`, () => {
      const out = extract(file, dom);
      if (want.skipped !== null) {
        expect(out).toMatchObject({ kind: 'skipped', reason: want.skipped });
        return;
      }
      if (out.kind !== 'article') throw new Error(`${file} on ${dom}: skipped: ${out.detail}`);
      expect(out.article.title).toBe(want.title);
      const text = fold(out.article.text);
      for (const snippet of want.with) expect(text, `${dom} misses: ${snippet}`).toContain(fold(snippet));
      for (const snippet of want.without) expect(text, `${dom} leaks: ${snippet}`).not.toContain(fold(snippet));
    });
  }
});

describe('jsdom and linkedom', () => {
  for (const file of Object.keys(expected)) {
    it(`agree on ${file}: same outcome, title, body text and images`, () => {
      const a = extract(file, 'jsdom');
      const b = extract(file, 'linkedom');
      if (a.kind !== 'article' || b.kind !== 'article') {
        expect(b.kind).toBe(a.kind);
        return;
      }
      expect(b.article.title).toBe(a.article.title);
      expect(b.article.text).toBe(a.article.text);
      expect(b.article.images).toEqual(a.article.images);
      expect(b.article.canonicalUrl).toBe(a.article.canonicalUrl);
    });
  }
});
