import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../stages/feeds/parse-feed.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url));
const parse = (name: string, contentType: string | null = null, feedUrl = 'https://feeds.example/feed', opts = {}) =>
  parseFeed(fixture(name), contentType, feedUrl, opts);

describe('parseFeed formats', () => {
  it('reads RSS 2.0 items with guid, author, UTC date and categories', async () => {
    const feed = await parse('rss2.xml', 'application/rss+xml');
    expect(feed.title).toBe('Example Daily');
    expect(feed.link).toBe('https://news.example/');
    expect(feed.items[0]).toEqual({
      url: 'https://news.example/2024/03/bridge',
      guid: 'news-example-1003',
      title: 'Council approves the new bridge',
      author: 'Ana Lima',
      publishedAt: '2024-03-01T09:00:00.000Z',
      categories: ['Local', 'Transport'],
    });
    // RSS <author> is "email (Name)": the name is what a reader shows (feedparser's author).
    expect(feed.items[1]).toMatchObject({ author: 'News Desk', publishedAt: '2024-02-29T18:30:00.000Z' });
  });

  it('uses an http guid as the URL when an RSS item has no link', async () => {
    const feed = await parse('rss2.xml');
    expect(feed.items[2]).toMatchObject({
      url: 'https://news.example/2024/02/guid-only',
      guid: 'https://news.example/2024/02/guid-only',
      publishedAt: '2024-02-28T07:00:00.000Z', // CET is +01:00
    });
  });

  it('drops items without an http(s) URL and repeats of a URL already listed', async () => {
    const feed = await parse('rss2.xml');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://news.example/2024/03/bridge',
      'https://news.example/2024/02/storm',
      'https://news.example/2024/02/guid-only',
    ]);
    expect(feed.items[1]!.title).toBe('Storm closes the harbour');
  });

  it('reads RSS 0.91', async () => {
    const feed = await parse('rss091.xml');
    expect(feed.title).toBe('Old School News');
    expect(feed.items.map((i) => [i.url, i.guid, i.publishedAt])).toEqual([
      ['http://oldschool.example/1.html', 'http://oldschool.example/1.html', null],
      ['http://oldschool.example/2.html', 'http://oldschool.example/2.html', null],
    ]);
  });

  it('reads RSS 1.0 (RDF) with Dublin Core dates, creators and subjects', async () => {
    const feed = await parse('rss1-rdf.xml');
    expect(feed.title).toBe('RDF Times');
    expect(feed.items).toEqual([
      { url: 'https://rdf.example/story/2', guid: 'https://rdf.example/story/2', title: 'Second story', author: 'Kenji Sato', publishedAt: '2024-03-02T00:15:00.000Z', categories: ['Science'] },
      { url: 'https://rdf.example/story/1', guid: 'https://rdf.example/story/1', title: 'First story', author: null, publishedAt: '2024-03-01T00:00:00.000Z', categories: [] },
    ]);
  });

  it('reads Atom 1.0, preferring the rel=alternate link and published over updated', async () => {
    const feed = await parse('atom.xml', 'application/atom+xml');
    expect(feed.title).toBe('Atom Observer');
    expect(feed.link).toBe('https://atom.example/');
    expect(feed.items[0]).toEqual({
      url: 'https://atom.example/2024/03/markets',
      guid: 'tag:atom.example,2024:2',
      title: 'Markets & mood', // type="html": titles come out as plain text
      author: 'Mira Chen',
      publishedAt: '2024-03-03T09:00:00.000Z',
      categories: ['Economy', 'markets'],
    });
    expect(feed.items[1]).toMatchObject({ url: 'https://atom.example/2024/03/updated-only', publishedAt: '2024-03-01T08:00:00.000Z' });
  });

  it('reads JSON Feed 1.1 and 1.0 fields, resolving relative URLs and skipping non-object items', async () => {
    const feed = await parse('jsonfeed-1.1.json', 'application/feed+json', 'https://json.example/feed.json');
    expect(feed.title).toBe('JSON Journal');
    expect(feed.link).toBe('https://json.example/');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://json.example/posts/3',
      'https://json.example/posts/2',
      'https://json.example/posts/1',
    ]);
    expect(feed.items[0]).toMatchObject({ author: 'Sam Ortiz, Lee Park', categories: ['politics', 'world'], publishedAt: '2024-03-03T15:00:00.000Z' });
    expect(feed.items[1]).toMatchObject({ guid: '2', author: 'JSON Feed 1.0 style', publishedAt: '2024-03-02T10:00:00.000Z' });
  });

  it('does not let JSON Feed keys like __proto__ pollute prototypes', async () => {
    const feed = await parse('jsonfeed-1.1.json', null, 'https://json.example/feed.json');
    expect(feed.items[2]).toMatchObject({ title: 'Hostile keys', categories: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(feed.items[2])).toBe(Object.prototype);
  });

  it('rejects JSON Feed whose items are not an array', async () => {
    const body = Buffer.from(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: { 0: {} } }));
    await expect(parseFeed(body, 'application/feed+json', 'https://j.example/f')).rejects.toMatchObject({
      code: 'NL_FEED_PARSE',
      message: 'parse feed https://j.example/f: JSON Feed "items" is not an array',
    });
  });

  it('rejects JSON that is not a JSON Feed', async () => {
    await expect(parseFeed(Buffer.from('{"hello":"world"}'), 'application/json', 'https://j.example/f')).rejects.toMatchObject({
      code: 'NL_FEED_PARSE',
      retryable: false,
    });
  });

  it('reads <rss> without a version attribute as RSS 2.0', async () => {
    const feed = await parse('rss-no-version.xml');
    expect(feed.items).toMatchObject([{ url: 'https://noversion.example/a', title: 'Still RSS', publishedAt: '2024-03-02T10:00:00.000Z' }]);
  });

  it('resolves relative item links against the feed URL', async () => {
    const feed = await parse('relative-links.xml', null, 'https://rel.example/section/feed.xml');
    expect(feed.link).toBe('https://rel.example/');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://rel.example/news/1',
      'https://rel.example/section/2',
      'https://cdn.rel.example/news/3',
      'https://rel.example/news/4',
    ]);
  });
});

describe('parseFeed repairs', () => {
  it('keeps bare & and turns HTML entities into characters; a CDATA title holding HTML is read as HTML', async () => {
    const feed = await parse('entities.xml');
    expect(feed.title).toBe('Fish & Chips\u00a0Weekly');
    expect(feed.link).toBe('https://fish.example/?a=1&b=2');
    expect(feed.items[0]).toMatchObject({ title: 'Café opens – “finally” & more…', url: 'https://fish.example/news?id=7&lang=en' });
    expect(feed.items[1]!.title).toBe('Salt & vinegar & CDATA stays as written');
  });

  it('skips a PHP warning printed before <?xml', async () => {
    const feed = await parse('php-warning.xml');
    expect(feed.items).toMatchObject([{ url: 'https://php.example/post/1', title: 'Survived the warning' }]);
  });

  it('keeps the complete items of a truncated document and drops the cut one', async () => {
    const feed = await parse('truncated.xml');
    expect(feed.title).toBe('Cut Short');
    expect(feed.items.map((i) => i.url)).toEqual(['https://cut.example/1', 'https://cut.example/2']);
  });

  it('keeps an item whose date is garbage (null) and trims padded dates', async () => {
    const feed = await parse('atom-dates.xml');
    expect(feed.items.map((i) => [i.url, i.publishedAt])).toEqual([
      ['https://dates.example/padded', '2024-03-05T10:00:00.000Z'],
      ['https://dates.example/garbage', null],
      ['https://dates.example/no-zone', '2024-03-04T09:30:00.000Z'],
      ['https://dates.example/empty', null],
    ]);
  });

  it('decodes windows-1252 bytes declared only in the XML declaration', async () => {
    const feed = await parse('windows-1252.xml', 'application/rss+xml');
    expect(feed.title).toBe('Café Gazette');
    expect(feed.items[0]!.title).toBe('“Quoted” – naïve €5 menu');
  });

  it('lets the HTTP charset win over the XML declaration', async () => {
    const body = Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Grüße</title></channel></rss>');
    const feed = await parseFeed(body, 'text/xml; charset=utf-8', 'https://x.example/rss');
    expect(feed.title).toBe('Grüße');
  });

  it('decodes UTF-16 with a byte-order mark', async () => {
    const feed = await parse('utf16-bom.xml');
    expect(feed.title).toBe('Утренние новости');
    expect(feed.items).toMatchObject([{ url: 'https://utf16.example/1', title: 'Привет, мир — 日本' }]);
  });

  it('does not expand a billion-laughs DOCTYPE or external entities, and finishes quickly', async () => {
    const started = Date.now();
    const feed = await parse('billion-laughs.xml');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(feed.title).toBe('&lol9;');
    expect(feed.items).toMatchObject([{ url: 'https://laughs.example/1', title: '&lol9; &xxe;' }]);
  });

  it('keeps at most maxItems items, from the top', async () => {
    const items = Array.from({ length: 30 }, (_, i) => `<item><link>https://many.example/${i}</link></item>`).join('');
    const body = Buffer.from(`<rss version="2.0"><channel><title>Many</title>${items}</channel></rss>`);
    const feed = await parseFeed(body, null, 'https://many.example/rss', { maxItems: 5 });
    expect(feed.items.map((i) => i.url)).toEqual([0, 1, 2, 3, 4].map((i) => `https://many.example/${i}`));
  });
});

describe('parseFeed rejections', () => {
  it('rejects a comment-only document without hanging', async () => {
    await expect(parse('comment-only.xml', null, 'https://x.example/rss')).rejects.toMatchObject({
      code: 'NL_FEED_PARSE',
      retryable: false,
      message: 'parse feed https://x.example/rss: no <rss>, <feed>, <rdf:RDF> root or JSON Feed',
    });
  });

  it('rejects an HTML page as not a feed', async () => {
    await expect(parse('html-page.html', 'text/html', 'https://x.example/news')).rejects.toMatchObject({
      code: 'NL_FEED_PARSE',
      message: 'parse feed https://x.example/news: no <rss>, <feed>, <rdf:RDF> root or JSON Feed',
    });
  });

  it.each([
    ['an empty body', ''],
    ['plain text', 'Service Unavailable'],
    ['an unrelated XML root', '<?xml version="1.0"?><sitemap><url/></sitemap>'],
  ])('rejects %s', async (_name, body) => {
    await expect(parseFeed(Buffer.from(body), null, 'https://x.example/rss')).rejects.toMatchObject({ code: 'NL_FEED_PARSE' });
  });

  it('reads a feed whose end tags are crossed, as feedparser\'s loose mode does', async () => {
    const body = Buffer.from('<rss version="2.0"><channel><title>x</channel></title><item><link>https://x.example/1</link></item></rss>');
    const feed = await parseFeed(body, null, 'https://x.example/rss');
    expect(feed.items.map((i) => i.url)).toEqual(['https://x.example/1']);
  });

  it('parses many documents in a row, each with a fresh parser, after failures', async () => {
    for (const name of ['comment-only.xml', 'rss2.xml', 'html-page.html', 'atom.xml', 'truncated.xml', 'rss091.xml']) {
      await parse(name).catch(() => null);
    }
    expect((await parse('rss2.xml')).items).toHaveLength(3);
  });
});
