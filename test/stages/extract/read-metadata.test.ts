import { JSDOM } from 'jsdom';
import { parseHTML } from 'linkedom';
import { afterEach, describe, expect, it } from 'vitest';
import type { ItemHints } from '../../../stages/article.js';
import { readMetadata } from '../../../stages/extract/read-metadata.js';

const PAGE = 'https://news.example/world/2024/story.html?utm_source=feed';
const FETCHED_AT = '2024-06-01T12:00:00.000Z';
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const ld = (data: unknown) => `<script type="application/ld+json">${typeof data === 'string' ? data : JSON.stringify(data)}</script>`;
const html = (head: string, body: string, lang: string) => `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head>${head}</head><body>${body}</body></html>`;

// Every reader uses only DOM methods both jsdom and linkedom implement: each case runs on both.
describe.each(['jsdom', 'linkedom'] as const)('readMetadata on %s', (dom) => {
  function read(head: string, body = '', opts: { lang?: string; hints?: ItemHints; url?: string } = {}) {
    const source = html(head, body, opts.lang ?? 'en');
    let document: Document;
    if (dom === 'jsdom') {
      const jsdom = new JSDOM(source, { url: opts.url ?? PAGE });
      closers.push(() => jsdom.window.close());
      document = jsdom.window.document;
    } else {
      document = parseHTML(source).document as unknown as Document;
    }
    return readMetadata(document, opts.url ?? PAGE, { fetchedAt: FETCHED_AT, hints: opts.hints });
  }

  describe('JSON-LD', () => {
    it('reads the article node out of an @graph, following @id references to author and publisher', () => {
      const meta = read(ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebSite', '@id': '#site', name: 'World Desk' },
          { '@type': 'Person', '@id': '#p1', name: 'Sara Lindqvist' },
          { '@type': 'Organization', '@id': '#org', name: 'World Desk' },
          { '@type': ['NewsArticle'], headline: 'Talks resume', author: { '@id': '#p1' }, datePublished: '2024-03-05T10:00:00+01:00', publisher: { '@id': '#org' }, articleSection: ['World', 'Europe'], keywords: ['talks', 'Europe'] },
        ],
      }));
      expect(meta).toMatchObject({ title: 'Talks resume', authors: ['Sara Lindqvist'], publishedAt: '2024-03-05T09:00:00.000Z', siteName: 'World Desk', section: 'World', tags: ['talks', 'Europe'], declaresArticle: true });
      expect(meta.provenance).toMatchObject({ title: 'json-ld:headline', authors: 'json-ld:author', publishedAt: 'json-ld:datePublished', siteName: 'json-ld:publisher', section: 'json-ld:articleSection', tags: 'json-ld:keywords' });
    });

    it('reads a top-level array and every author of an author array: objects, strings and duplicates', () => {
      const meta = read(ld([
        { '@type': 'BreadcrumbList', itemListElement: [] },
        { '@type': 'ReportageNewsArticle', headline: 'Floods', author: [{ '@type': 'Person', name: 'A. Writer' }, 'B. Reporter', { '@type': 'Person', name: 'a. writer' }] },
      ]));
      expect(meta.title).toBe('Floods');
      expect(meta.authors).toEqual(['A. Writer', 'B. Reporter']);
    });

    it('finds the article nested as the mainEntity of a WebPage', () => {
      const meta = read(ld({
        '@type': 'WebPage', name: 'Page name', url: 'https://news.example/p',
        mainEntity: { '@type': 'NewsArticle', headline: 'Nested headline', author: { '@type': 'Person', givenName: 'Ines', familyName: 'Moreau' }, dateModified: '2024-04-02T08:00:00Z', mainEntityOfPage: { '@id': 'https://news.example/canonical' } },
      }));
      expect(meta).toMatchObject({ title: 'Nested headline', authors: ['Ines Moreau'], modifiedAt: '2024-04-02T08:00:00.000Z', canonicalUrl: 'https://news.example/canonical', declaresArticle: true });
      expect(meta.provenance).toMatchObject({ modifiedAt: 'json-ld:dateModified', canonicalUrl: 'json-ld:url' });
    });

    it('reads an author given as a plain "By …" string, and an author array of arrays', () => {
      expect(read(ld({ '@type': 'NewsArticle', headline: 'H', author: 'By PAT QUINN and Lee Wong' })).authors).toEqual(['Pat Quinn', 'Lee Wong']);
      expect(read(ld({ '@type': 'NewsArticle', headline: 'H', author: [[{ name: 'Ann Poe' }], { '@type': 'Person', name: ['Bo Lin'] }] })).authors).toEqual(['Ann Poe', 'Bo Lin']);
    });

    it('takes the lead image caption and credit from an ImageObject', () => {
      const meta = read(ld({ '@type': 'NewsArticle', headline: 'H', image: { '@type': 'ImageObject', url: '/img/lead.jpg', caption: 'The harbour at dawn', creditText: 'Jo Park/Reuters' } }));
      expect(meta.leadImage).toEqual({ url: 'https://news.example/img/lead.jpg', alt: null, caption: 'The harbour at dawn', credit: 'Jo Park/Reuters' });
      expect(meta.provenance.leadImage).toBe('json-ld:image');
    });

    it('survives malformed JSON-LD and falls back to meta tags and the byline', () => {
      const meta = read(
        `${ld('{ "@type": "NewsArticle", "headline": "Cut off", "author": ')}${ld('not json at all <')}` +
          '<meta property="article:published_time" content="2024-01-02T03:04:05Z">',
        '<h1>Heading of the page</h1><p class="byline">By Jo Bloggs and Sam Roe</p>',
      );
      expect(meta).toMatchObject({ title: 'Heading of the page', authors: ['Jo Bloggs', 'Sam Roe'], publishedAt: '2024-01-02T03:04:05.000Z', declaresArticle: false });
      expect(meta.provenance).toMatchObject({ title: 'h1', authors: 'byline', publishedAt: 'article:published_time' });
    });

    it('repairs JSON-LD with raw newlines inside strings and trailing commas', () => {
      const meta = read(ld('{"@type": "NewsArticle", "headline": "Line one\nline two", "author": {"name": "Kim Park",},}'));
      expect(meta.title).toBe('Line one line two');
      expect(meta.authors).toEqual(['Kim Park']);
    });
  });

  describe('meta tags', () => {
    it('reads OpenGraph: title, description, site, url, image with alt, locale, type', () => {
      const meta = read(
        '<meta property="og:title" content="Ferry returns"><meta property="og:description" content="Service resumes."><meta property="og:site_name" content="Bay Post">' +
          '<meta property="og:url" content="/ferry"><meta property="og:image" content="/f.jpg"><meta property="og:image:alt" content="A ferry"><meta property="og:locale" content="nb_NO"><meta property="og:type" content="article">',
        '', { lang: '' },
      );
      expect(meta).toMatchObject({ title: 'Ferry returns', subtitle: 'Service resumes.', siteName: 'Bay Post', canonicalUrl: 'https://news.example/ferry', language: 'nb', pageType: 'article', leadImage: { url: 'https://news.example/f.jpg', alt: 'A ferry', caption: null, credit: null } });
      expect(meta.provenance).toEqual({ title: 'og:title', subtitle: 'og:description', siteName: 'og:site_name', canonicalUrl: 'og:url', language: 'og:locale', leadImage: 'og:image' });
    });

    it('reads Twitter cards when OpenGraph is absent', () => {
      const meta = read('<meta name="twitter:title" content="Tram strike ends"><meta name="twitter:description" content="Drivers accept the offer."><meta name="twitter:image" content="https://cdn.example/t.jpg"><meta name="twitter:image:alt" content="A tram">');
      expect(meta).toMatchObject({ title: 'Tram strike ends', subtitle: 'Drivers accept the offer.', leadImage: { url: 'https://cdn.example/t.jpg', alt: 'A tram' } });
      expect(meta.provenance).toMatchObject({ title: 'twitter:title', subtitle: 'twitter:description', leadImage: 'twitter:image' });
    });

    it('reads article:* tags: dates with offsets, section, every tag, author names but not profile URLs', () => {
      const meta = read(
        '<meta property="article:published_time" content="2024-05-14T07:30:00-05:00"><meta property="article:modified_time" content="2024-05-14T09:00:00+0200">' +
          '<meta property="article:section" content="Politics"><meta property="article:tag" content="Energy"><meta property="article:tag" content="energy"><meta property="article:tag" content="Grid">' +
          '<meta property="article:author" content="https://www.facebook.com/someone"><meta property="article:author" content="Rae Holt">',
      );
      expect(meta).toMatchObject({ publishedAt: '2024-05-14T12:30:00.000Z', modifiedAt: '2024-05-14T07:00:00.000Z', section: 'Politics', tags: ['Energy', 'Grid'], authors: ['Rae Holt'] });
      expect(meta.provenance).toMatchObject({ publishedAt: 'article:published_time', modifiedAt: 'article:modified_time', section: 'article:section', tags: 'article:tag', authors: 'article:author' });
    });

    it('unpacks the parsely-page JSON record, and reads parsely-* tags', () => {
      const record = { title: 'Dam opens', pub_date: '2024-02-01T06:00:00Z', authors: ['Uma Das', 'Ravi Nair'], section: 'Science', tags: ['water', 'power'], image_url: 'https://cdn.example/dam.jpg', link: 'https://news.example/dam' };
      const meta = read(`<meta name="parsely-page" content='${JSON.stringify(record)}'>`);
      expect(meta).toMatchObject({ title: 'Dam opens', publishedAt: '2024-02-01T06:00:00.000Z', authors: ['Uma Das', 'Ravi Nair'], section: 'Science', tags: ['water', 'power'], canonicalUrl: 'https://news.example/dam', leadImage: { url: 'https://cdn.example/dam.jpg' } });
      expect(meta.provenance).toMatchObject({ title: 'parsely-page:title', publishedAt: 'parsely-page:pub_date', authors: 'parsely-page:authors', section: 'parsely-page:section', tags: 'parsely-page:tags' });
      const flat = read('<meta name="parsely-author" content="Uma Das"><meta name="parsely-pub-date" content="2024-02-01T06:00:00Z"><meta name="parsely-section" content="Science"><meta name="parsely-tags" content="water,power">');
      expect(flat).toMatchObject({ authors: ['Uma Das'], publishedAt: '2024-02-01T06:00:00.000Z', section: 'Science', tags: ['water', 'power'] });
      expect(read(`<meta name="parsely-page" content='{"title": broken'>`).title).toBeNull();
    });

    it('reads sailthru.* tags', () => {
      const meta = read('<meta name="sailthru.title" content="Orchard harvest"><meta name="sailthru.author" content="Ola Berg"><meta name="sailthru.date" content="2024-04-20 14:00:00 -0400"><meta name="sailthru.tags" content="farming, apples"><meta name="sailthru.image.full" content="/apples.jpg">');
      expect(meta).toMatchObject({ title: 'Orchard harvest', authors: ['Ola Berg'], publishedAt: '2024-04-20T18:00:00.000Z', tags: ['farming', 'apples'], leadImage: { url: 'https://news.example/apples.jpg' } });
      expect(meta.provenance).toMatchObject({ title: 'sailthru.title', authors: 'sailthru.author', publishedAt: 'sailthru.date', tags: 'sailthru.tags', leadImage: 'sailthru.image.full' });
    });

    it('reads Dublin Core in any case (DC.* and dc.*), and citation_* tags', () => {
      const meta = read('<meta name="DC.Title" content="Soil survey"><meta name="DC.Creator" content="Lin, Mei"><meta name="DC.Date.Issued" content="2023-11-30"><meta name="DC.Subject" content="soil; survey"><meta name="DC.Language" content="fr">', '', { lang: '' });
      expect(meta).toMatchObject({ title: 'Soil survey', publishedAt: '2023-11-30T00:00:00.000Z', tags: ['soil', 'survey'], language: 'fr' });
      expect(meta.provenance).toMatchObject({ title: 'dc.title', authors: 'dc.creator', publishedAt: 'dc.date.issued', tags: 'dc.subject', language: 'dc.language' });
      const citation = read('<meta name="citation_title" content="Tidal model"><meta name="citation_author" content="Ada Ngo"><meta name="citation_publication_date" content="2022/03/04">');
      expect(citation).toMatchObject({ title: 'Tidal model', authors: ['Ada Ngo'], publishedAt: '2022-03-04T00:00:00.000Z' });
    });

    it('takes the language from html lang, then content-language, then og:locale, as a lower-case primary subtag', () => {
      expect(read('', '', { lang: 'en-GB' })).toMatchObject({ language: 'en', provenance: { language: 'html[lang]' } });
      expect(read('<meta http-equiv="content-language" content="de-AT"><meta property="og:locale" content="pt_BR">', '', { lang: '' })).toMatchObject({ language: 'de', provenance: { language: 'content-language' } });
      expect(read('<meta property="og:locale" content="pt_BR">', '', { lang: '' }).language).toBe('pt');
      expect(read('', '', { lang: '' }).language).toBeNull();
    });

    it('makes a relative canonical URL absolute, and refuses a javascript: one', () => {
      expect(read('<link rel="canonical" href="/world/2024/story.html">')).toMatchObject({ canonicalUrl: 'https://news.example/world/2024/story.html', provenance: { canonicalUrl: 'link[rel=canonical]' } });
      expect(read('<link rel="canonical" href="javascript:alert(1)">').canonicalUrl).toBeNull();
    });

    it('gives nulls, empty lists and an empty provenance for a page that says nothing', () => {
      expect(read('', '', { lang: '' })).toMatchObject({ subtitle: null, section: null, tags: [], authors: [], leadImage: null, publishedAt: null, modifiedAt: null, siteName: null, title: null, canonicalUrl: null, provenance: {} });
    });
  });

  describe('the body', () => {
    it('falls back to <time datetime> for the publication date', () => {
      expect(read('', '<article><time datetime="2024-02-27T18:00:00+09:00">27 February</time></article>')).toMatchObject({ publishedAt: '2024-02-27T09:00:00.000Z', provenance: { publishedAt: 'time[datetime]' } });
    });

    it('reads rel=author links', () => {
      expect(read('', '<article><p>Words by <a rel="author" href="/staff/ann">Ann Poe</a></p></article>')).toMatchObject({ authors: ['Ann Poe'], provenance: { authors: 'rel=author' } });
    });

    it('reads microdata: itemprop author name, headline, dates and section', () => {
      const meta = read('', '<article itemscope itemtype="https://schema.org/NewsArticle"><h2 itemprop="headline">Micro headline</h2><span itemprop="author" itemscope><span itemprop="name">Zoe Kim</span></span><time itemprop="datePublished" datetime="2024-01-10T10:00:00Z">Jan 10</time><time itemprop="dateModified" datetime="2024-01-11T10:00:00Z">Jan 11</time><span itemprop="articleSection">Health</span></article>');
      expect(meta).toMatchObject({ title: 'Micro headline', authors: ['Zoe Kim'], publishedAt: '2024-01-10T10:00:00.000Z', modifiedAt: '2024-01-11T10:00:00.000Z', section: 'Health' });
      expect(meta.provenance).toMatchObject({ title: 'itemprop:headline', authors: 'itemprop:author', publishedAt: 'itemprop:datePublished', modifiedAt: 'itemprop:dateModified', section: 'itemprop:articleSection' });
    });

    it('reads a "By A, B and C" line in the body, de-shouted, without what follows a bar', () => {
      expect(read('', '<article><h1>H</h1><p><span>By MARTA SOLIS, Ken Ito and Ade Bello | Reuters</span></p><p>By Monday, officials had agreed.</p></article>').authors).toEqual(['Marta Solis', 'Ken Ito', 'Ade Bello']);
      expect(read('', '<article><p>By Monday, officials had agreed to meet again.</p></article>').authors).toEqual([]);
    });

    it('prefers a person in the byline to a <meta name="author"> that is only the site name', () => {
      const meta = read('<meta property="og:site_name" content="Harbor Daily"><meta name="author" content="Harbor Daily">', '<div class="byline">By Nina Wolfe</div>');
      expect(meta).toMatchObject({ authors: ['Nina Wolfe'], provenance: { authors: 'byline' } });
      expect(read('<meta property="og:site_name" content="Harbor Daily"><meta name="author" content="HARBOR DAILY STAFF">').authors).toEqual(['Harbor Daily Staff']);
    });
  });

  describe('the feed item, as last resort', () => {
    const hints: ItemHints = { title: 'Feed title', author: 'By Feed Person', publishedAt: 'Tue, 05 Mar 2024 10:00:00 GMT', categories: ['Local', 'local'] };

    it('fills title, authors, date and tags from the feed when the page lacks them', () => {
      const meta = read('', '<p>Body only.</p>', { hints });
      expect(meta).toMatchObject({ title: 'Feed title', authors: ['Feed Person'], publishedAt: '2024-03-05T10:00:00.000Z', tags: ['Local'] });
      expect(meta.provenance).toMatchObject({ title: 'feed:title', authors: 'feed:author', publishedAt: 'feed:publishedAt', tags: 'feed:categories' });
    });

    it('never lets the feed override what the page says', () => {
      const meta = read('<meta property="og:title" content="Page title"><meta name="author" content="Page Person"><meta property="article:published_time" content="2024-03-04T00:00:00Z"><meta property="article:tag" content="Page">', '', { hints });
      expect(meta).toMatchObject({ title: 'Page title', authors: ['Page Person'], publishedAt: '2024-03-04T00:00:00.000Z', tags: ['Page'] });
    });
  });

  describe('title affixes', () => {
    it('removes a " | Site" or " - Site" suffix naming og:site_name', () => {
      expect(read('<meta property="og:title" content="Bridge reopens | The Courier"><meta property="og:site_name" content="The Courier">').title).toBe('Bridge reopens');
      expect(read('<meta property="og:title" content="Bridge reopens - Courier"><meta property="og:site_name" content="The Courier">').title).toBe('Bridge reopens');
    });

    it('removes a "Site: " prefix naming the site', () => {
      expect(read('<title>The Courier: Bridge reopens after repairs</title><meta property="og:site_name" content="The Courier">').title).toBe('Bridge reopens after repairs');
    });

    it('removes a suffix naming the host, or one the other title sources show is not the headline', () => {
      expect(read('<title>Bridge reopens after repairs - Kestrel Bay News</title>', '', { url: 'https://www.kestrelbaynews.co.uk/a' }).title).toBe('Bridge reopens after repairs');
      expect(read('<title>Bridge reopens after repairs » KBN Online</title>', '<h1>Bridge reopens after repairs</h1>').title).toBe('Bridge reopens after repairs');
    });

    it('keeps a dash or colon that belongs to the headline', () => {
      expect(read('<meta property="og:title" content="Storm - what we know so far"><meta property="og:site_name" content="The Courier">').title).toBe('Storm - what we know so far');
      expect(read('<title>Bridge reopens after repairs - Kestrel Bay News</title>').title).toBe('Bridge reopens after repairs - Kestrel Bay News');
      expect(read('<meta property="og:title" content="Breaking: Storm hits coast">').title).toBe('Breaking: Storm hits coast');
    });
  });

  describe('dates', () => {
    it('rejects a date more than a day after the fetch, and takes the next source', () => {
      const meta = read('<meta property="article:published_time" content="2024-06-03T12:00:00Z">', '<time datetime="2024-05-31T08:00:00Z">31 May</time>');
      expect(meta).toMatchObject({ publishedAt: '2024-05-31T08:00:00.000Z', provenance: { publishedAt: 'time[datetime]' } });
      expect(read('<meta property="article:published_time" content="2024-06-02T06:00:00Z">').publishedAt).toBe('2024-06-02T06:00:00.000Z');
    });

    it('rejects a date before 1995', () => {
      expect(read('<meta property="article:published_time" content="1994-12-31T23:00:00Z">').publishedAt).toBeNull();
      expect(read(ld({ '@type': 'NewsArticle', headline: 'H', datePublished: '1970-01-01T00:00:00Z' })).provenance.publishedAt).toBeUndefined();
    });
  });
});
