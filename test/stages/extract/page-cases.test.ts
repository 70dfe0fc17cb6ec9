import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ArticleImage } from '../../../stages/article.js';
import { extractArticle } from '../../../stages/extract/extract-article.js';

/** test/fixtures/pages/<case>/expected.json: what extractArticle must make of source.html, and the rule it pins. */
interface PageCase {
  url: string;
  rule: string;
  kind: 'article' | 'skipped';
  reason?: 'not-an-article' | 'empty' | 'paywall';
  with?: string[];
  without?: string[];
  textStartsWith?: string;
  images?: ArticleImage[];
}

const PAGES = new URL('../../fixtures/pages/', import.meta.url);
const fold = (s: string) => s.replace(/\s+/g, ' ');

describe.each(['jsdom', 'linkedom'] as const)('extraction regression cases on %s', (dom) => {
  for (const name of readdirSync(PAGES).sort()) {
    const want = JSON.parse(readFileSync(new URL(`${name}/expected.json`, PAGES), 'utf8')) as PageCase;
    it(`${name}: ${want.rule}`, () => {
      const html = readFileSync(new URL(`${name}/source.html`, PAGES), 'utf8');
      const outcome = extractArticle({ url: want.url, html, fetchedAt: '2024-12-01T00:00:00.000Z' }, { dom });
      if (want.kind === 'skipped') {
        expect(outcome).toMatchObject({ kind: 'skipped', reason: want.reason });
        return;
      }
      if (outcome.kind !== 'article') throw new Error(`expected an article, got skipped: ${outcome.reason}: ${outcome.detail}`);
      const { text, images } = outcome.article;
      for (const snippet of want.with ?? []) expect(fold(text), snippet).toContain(fold(snippet));
      for (const snippet of want.without ?? []) expect(fold(text), snippet).not.toContain(fold(snippet));
      if (want.textStartsWith) expect(text.startsWith(want.textStartsWith), text.slice(0, 200)).toBe(true);
      if (want.images) expect(images).toEqual(want.images);
    });
  }
});
