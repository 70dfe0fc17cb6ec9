import { describe, expect, it } from 'vitest';
import type { ExtractedArticle } from '../../../stages/article.js';
import { cleanText, countWords } from '../../../stages/normalise/clean-text.js';
import { normaliseArticle } from '../../../stages/normalise/normalise-article.js';
import { toUtc } from '../../../stages/normalise/to-utc.js';

const base: ExtractedArticle = {
  url: 'https://news.example.com/2026/11/story?utm_source=rss',
  canonicalUrl: 'https://news.example.com/2026/11/story',
  title: '  Council\u200b approves   budget ',
  subtitle: null,
  authors: ['Ana Ruiz', 'Ana Ruiz', ' '],
  publishedAt: '2026-11-24T09:30:00+02:00',
  modifiedAt: 'not a date',
  siteName: 'Example News',
  language: 'en',
  section: null,
  tags: ['budget', 'budget'],
  text: 'First  paragraph\u00a0here.\r\n\r\n\r\nSecond\tparagraph.\n\n\n',
  html: '<p>First paragraph here.</p><p>Second paragraph.</p>',
  images: [],
};

describe('normaliseArticle', () => {
  const out = normaliseArticle({ article: base, fetchedAt: '2026-11-25T10:00:00.000Z', feed: { url: 'https://news.example.com/rss' } });

  it('derives a stable id from the canonical URL only', () => {
    const again = normaliseArticle({ article: { ...base, url: 'https://news.example.com/2026/11/story?fbclid=1', text: 'Other' }, fetchedAt: '2026-11-26T00:00:00Z', feed: null });
    expect(out.id).toHaveLength(24);
    expect(again.id).toBe(out.id);
    expect(out.canonicalUrl).toBe('https://news.example.com/2026/11/story');
  });

  it('writes dates in UTC ending in Z and drops unparseable ones', () => {
    expect(out.publishedAt).toBe('2026-11-24T07:30:00.000Z');
    expect(out.modifiedAt).toBeNull();
  });

  it('cleans title, authors, tags and text', () => {
    expect(out.title).toBe('Council approves budget');
    expect(out.authors).toEqual(['Ana Ruiz']);
    expect(out.tags).toEqual(['budget']);
    expect(out.text).toBe('First paragraph here.\n\nSecond paragraph.');
    expect(out.wordCount).toBe(5);
  });

  it('gives the same content hash to texts differing only in case and spacing', () => {
    const other = normaliseArticle({ article: { ...base, text: 'FIRST paragraph here.\n\n Second paragraph. ' }, fetchedAt: base.publishedAt!, feed: null });
    expect(other.contentHash).toBe(out.contentHash);
  });

  it('falls back to feed hints for a missing author and date', () => {
    const hinted = normaliseArticle({
      article: { ...base, authors: [], publishedAt: null },
      fetchedAt: '2026-11-25T10:00:00Z', feed: null,
      hints: { author: 'Feed Author', publishedAt: 'Tue, 24 Nov 2026 08:00:00 GMT' },
    });
    expect(hinted.authors).toEqual(['Feed Author']);
    expect(hinted.publishedAt).toBe('2026-11-24T08:00:00.000Z');
  });

  // Found by npm run security (P4, P9): PostgreSQL's jsonb refuses NUL and unpaired surrogates, and a
  // hostile feed's 1 MB title was stored whole.
  it('stores no NUL, forbidden control character or unpaired surrogate, in the HTML either', () => {
    const hostile = normaliseArticle({
      article: { ...base, title: 'Broken \ud800 title\u0000', text: 'Para\u0000graph \udc00 here.', html: '<p>before\u0000after\u0001\ud800</p>\n<p>tab\tok</p>' },
      fetchedAt: '2026-11-25T10:00:00Z', feed: null,
    });
    const all = JSON.stringify(hostile);
    expect(all).not.toMatch(/\\u0000|\\u0001/);
    expect(Buffer.from(all, 'utf8').toString('utf8')).toBe(all);
    expect(hostile.html).toBe('<p>beforeafter\uFFFD</p>\n<p>tab\tok</p>');
    expect(hostile.title).toBe('Broken \uFFFD title');
    expect(hostile.text).toBe('Para graph \uFFFD here.');
  });

  it('cuts a title of a megabyte to 1,000 characters ending in an ellipsis', () => {
    const long = normaliseArticle({ article: { ...base, title: 'word '.repeat(200_000), subtitle: 'x'.repeat(5_000) }, fetchedAt: '2026-11-25T10:00:00Z', feed: null });
    expect(long.title.length).toBeLessThanOrEqual(1000);
    expect(long.title).toMatch(/^word word .*word…$/);
    expect(long.subtitle).toHaveLength(1000);
    expect(long.subtitle!.endsWith('x…')).toBe(true);
  });
});

describe('text helpers', () => {
  it('removes control characters and NUL', () => {
    expect(cleanText('a\u0000b\u0007c')).toBe('a b c');
  });
  it('counts words across scripts and keeps hyphenated words whole', () => {
    expect(countWords("state-run media's report, 2026 — Zürich")).toBe(5);
  });
  it('rejects implausible years', () => {
    expect(toUtc('0001-01-01T00:00:00Z')).toBeNull();
    expect(toUtc('')).toBeNull();
  });
});

describe('toUtc', () => {
  it('reads a date without a zone as UTC, whatever the worker\'s time zone', () => {
    expect(toUtc('2026-11-24T09:30:00')).toBe('2026-11-24T09:30:00.000Z');
    expect(toUtc('Tue, 24 Nov 2026 09:30:00 CEST')).toBe('2026-11-24T07:30:00.000Z');
  });
});
