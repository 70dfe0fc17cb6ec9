import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { readMetadata } from '../../../stages/extract/read-metadata.js';
import { splitAuthors } from '../../../stages/extract/split-authors.js';
import { toIsoDate } from '../../../stages/extract/to-iso-date.js';

const PAGE = 'https://news.example/world/2024/story.html?utm_source=feed';
const windows: JSDOM[] = [];
afterEach(() => {
  for (const dom of windows.splice(0)) dom.window.close();
});

function read(head: string, body = '', lang = 'en') {
  const dom = new JSDOM(`<!doctype html><html lang="${lang}"><head>${head}</head><body>${body}</body></html>`, { url: PAGE });
  windows.push(dom);
  return readMetadata(dom.window.document, PAGE);
}
const ld = (data: unknown) => `<script type="application/ld+json">${typeof data === 'string' ? data : JSON.stringify(data)}</script>`;

describe('readMetadata', () => {
  it('reads the article node out of a JSON-LD @graph, following @id references to the author', () => {
    const meta = read(ld({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', '@id': '#site', name: 'World Desk' },
        { '@type': 'Person', '@id': '#p1', name: 'Sara Lindqvist' },
        { '@type': ['NewsArticle'], headline: 'Talks resume', author: { '@id': '#p1' }, datePublished: '2024-03-05T10:00:00+01:00', publisher: { '@type': 'Organization', name: 'World Desk' }, articleSection: ['World', 'Europe'], keywords: ['talks', 'Europe'] },
      ],
    }));
    expect(meta).toMatchObject({ title: 'Talks resume', authors: ['Sara Lindqvist'], publishedAt: '2024-03-05T09:00:00.000Z', siteName: 'World Desk', section: 'World', tags: ['talks', 'Europe'], declaresArticle: true });
  });

  it('reads a top-level JSON-LD array and every author in an author array', () => {
    const meta = read(ld([
      { '@type': 'BreadcrumbList', itemListElement: [] },
      { '@type': 'ReportageNewsArticle', headline: 'Floods', author: [{ '@type': 'Person', name: 'A. Writer' }, 'B. Reporter', { '@type': 'Person', name: 'a. writer' }] },
    ]));
    expect(meta.title).toBe('Floods');
    expect(meta.authors).toEqual(['A. Writer', 'B. Reporter']);
  });

  it('survives malformed JSON-LD and falls back to meta tags and the byline', () => {
    const meta = read(
      `${ld('{ "@type": "NewsArticle", "headline": "Cut off", "author": ')}${ld('not json at all <')}` +
        '<meta property="article:published_time" content="2024-01-02T03:04:05Z">',
      '<h1>Heading of the page</h1><p class="byline">By Jo Bloggs and Sam Roe</p>',
    );
    expect(meta).toMatchObject({ title: 'Heading of the page', authors: ['Jo Bloggs', 'Sam Roe'], publishedAt: '2024-01-02T03:04:05.000Z', declaresArticle: false });
  });

  it('repairs JSON-LD with raw newlines inside strings and trailing commas', () => {
    const meta = read(ld('{"@type": "NewsArticle", "headline": "Line one\nline two", "author": {"name": "Kim Park",},}'));
    expect(meta.title).toBe('Line one line two');
    expect(meta.authors).toEqual(['Kim Park']);
  });

  it('makes a relative canonical URL absolute against the page URL', () => {
    expect(read('<link rel="canonical" href="/world/2024/story.html">').canonicalUrl).toBe('https://news.example/world/2024/story.html');
    expect(read('<meta property="og:url" content="https://news.example/s">').canonicalUrl).toBe('https://news.example/s');
    expect(read('<link rel="canonical" href="javascript:alert(1)">').canonicalUrl).toBeNull();
  });

  it('removes a " | Site" or " - Site" suffix from titles', () => {
    expect(read('<meta property="og:title" content="Bridge reopens | The Courier"><meta property="og:site_name" content="The Courier">').title).toBe('Bridge reopens');
    expect(read('<title>Bridge reopens after repairs - Kestrel Bay News</title>').title).toBe('Bridge reopens after repairs');
    expect(read('<meta property="og:title" content="Storm - what we know so far">').title).toBe('Storm - what we know so far');
  });

  it('takes the language from html lang, else og:locale, as a lower-case primary subtag', () => {
    expect(read('', '', 'en-GB').language).toBe('en');
    expect(read('<meta property="og:locale" content="pt_BR">', '', '').language).toBe('pt');
    expect(read('', '', '').language).toBeNull();
  });

  it('reads subtitle, section, tags and lead image from meta tags, with null when absent', () => {
    const meta = read(
      '<meta name="description" content="A short summary."><meta property="article:section" content="Politics">' +
        '<meta property="article:tag" content="Energy"><meta property="article:tag" content="energy"><meta name="keywords" content="Wind, Grid">' +
        '<meta property="og:image" content="/img/lead.jpg"><meta property="og:image:alt" content="A turbine">',
    );
    expect(meta).toMatchObject({ subtitle: 'A short summary.', section: 'Politics', tags: ['Energy', 'Wind', 'Grid'], leadImage: { url: 'https://news.example/img/lead.jpg', alt: 'A turbine' } });
    expect(read('')).toMatchObject({ subtitle: null, section: null, tags: [], leadImage: null, publishedAt: null, modifiedAt: null, siteName: null, title: null });
  });

  it('falls back to time[datetime] for the publication date', () => {
    expect(read('', '<article><time datetime="2024-02-27">27 February</time></article>').publishedAt).toBe('2024-02-27T00:00:00.000Z');
  });
});

describe('splitAuthors', () => {
  it('splits "By A and B" into names without "By"', () => {
    expect(splitAuthors('By Tomás Reyes and Aiko Tanaka')).toEqual(['Tomás Reyes', 'Aiko Tanaka']);
    expect(splitAuthors('Words by Jo Bloggs, Sam Roe & June Carter')).toEqual(['Jo Bloggs', 'Sam Roe', 'June Carter']);
  });

  it('drops URLs, dates and job titles', () => {
    expect(splitAuthors('https://www.facebook.com/someone')).toEqual([]);
    expect(splitAuthors('Jane Doe | Staff Writer | Updated 10:42')).toEqual(['Jane Doe']);
  });
});

describe('toIsoDate', () => {
  it.each([
    ['2024-05-14T07:30:00+01:00', '2024-05-14T06:30:00.000Z'],
    ['2024-05-14T07:30:00', '2024-05-14T07:30:00.000Z'],
    ['2024-05-14', '2024-05-14T00:00:00.000Z'],
    ['Tue, 14 May 2024 07:30:00 GMT', '2024-05-14T07:30:00.000Z'],
    ['May 14, 2024 7:30 AM', '2024-05-14T07:30:00.000Z'],
    ['yesterday', null],
    ['0000-00-00', null],
  ])('reads %j as %j', (raw, iso) => {
    expect(toIsoDate(raw)).toBe(iso);
  });
});
