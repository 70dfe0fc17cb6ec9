import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseFeed } from '../../../index.js';
import { NewsloomError } from '../../../lib/errors.js';
import { FeedParseError } from '../../../stages/feeds/feed-parse-error.js';

const atom = (body: string, root = '') => `<feed xmlns="http://www.w3.org/2005/Atom"${root}><title>A</title>${body}</feed>`;

describe('parseFeed (package main export)', () => {
  it('names the format and gives every item field, dates as ISO UTC', () => {
    const doc = parseFeed(
      Buffer.from(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://x.example/</link>' +
          '<item><title>One</title><link>https://x.example/1</link><guid isPermaLink="false">g1</guid><pubDate>Fri, 01 Mar 2024 10:00:00 +0100</pubDate>' +
          '<author>a@x.example (Ana)</author><description>Sum</description><content:encoded><![CDATA[<p>Body</p>]]></content:encoded></item></channel></rss>',
      ),
      { url: 'https://x.example/rss' },
    );
    expect(doc).toEqual({
      format: 'rss2.0',
      feed: { title: 'T', link: 'https://x.example/' },
      items: [{ title: 'One', link: 'https://x.example/1', guid: 'g1', published: '2024-03-01T09:00:00.000Z', updated: null, author: 'Ana', content: '<p>Body</p>', summary: 'Sum', categories: [] }],
    });
  });

  it.each([
    ['<rss version="0.91"><channel><item><link>https://x.example/a</link></item></channel></rss>', 'rss0.9x'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><item><link>https://x.example/a</link></item></rdf:RDF>', 'rss0.9x'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="https://x.example/a"><link>https://x.example/a</link></item></rdf:RDF>', 'rss1.0'],
    ['<rss><channel><item><link>https://x.example/a</link></item></channel></rss>', 'rss2.0'],
    ['<feed xmlns="http://purl.org/atom/ns#" version="0.3"><entry><id>a</id></entry></feed>', 'atom0.3'],
    [atom('<entry><id>a</id></entry>'), 'atom1.0'],
    ['{"version":"https://jsonfeed.org/version/1","items":[{"id":"a"}]}', 'json1.0'],
    ['{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"a"}]}', 'json1.1'],
  ])('tells the format of %s', (text, format) => {
    const doc = parseFeed(Buffer.from(text), { url: 'https://x.example/f' });
    expect(doc.format).toBe(format);
    expect(doc.items).toHaveLength(1);
  });

  it('resolves xml:base on the feed, the entry and the link element, in that order, over the feed URL', () => {
    const doc = parseFeed(
      atom('<entry xml:base="b/"><id>1</id><link xml:base="c/" href="d"/></entry><entry><id>2</id><link href="/e"/></entry>', ' xml:base="https://cdn.example/a/"'),
      { url: 'https://x.example/feed' },
    );
    expect(doc.items.map((i) => i.link)).toEqual(['https://cdn.example/a/b/c/d', 'https://cdn.example/e']);
  });

  it('uses the canonical link as identity when an item has no guid or id', () => {
    const doc = parseFeed('<rss version="2.0"><channel><item><link> /news/1 </link></item></channel></rss>', { url: 'https://x.example/rss' });
    expect(doc.items[0]).toMatchObject({ link: 'https://x.example/news/1', guid: 'https://x.example/news/1' });
  });

  it('reads dc:date and keeps a feed whose dates cannot be read', () => {
    const doc = parseFeed(
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><link>https://x.example/1</link><dc:date>2024-03-01T10:00:00+02:00</dc:date></item>' +
        '<item><link>https://x.example/2</link><pubDate>yesterday-ish</pubDate></item></channel></rss>',
      { url: null },
    );
    expect(doc.items.map((i) => i.published)).toEqual(['2024-03-01T08:00:00.000Z', null]);
  });

  it('decodes windows-1252 bytes that declare nothing, curly quotes included', () => {
    const bytes = iconv.encode('<rss version="2.0"><channel><item><title>“Café” – €5</title><link>https://x.example/1</link></item></channel></rss>', 'windows-1252');
    expect(parseFeed(bytes, { url: null }).items[0]!.title).toBe('“Café” – €5');
  });

  it('reads a JSON Feed behind a PHP warning and a truncated one up to its last whole item', () => {
    const items = '[{"id":"1","url":"https://x.example/1"},{"id":"2","url":"https://x.example/2"},{"id":"3","ur';
    const doc = parseFeed(`<b>Warning</b>: x.php\n{"version":"https://jsonfeed.org/version/1.1","items":${items}`, { url: null });
    expect(doc.items.map((i) => i.guid)).toEqual(['1', '2']);
  });

  it('throws a FeedParseError (NL_FEED_PARSE, not retryable) for a document that is no feed', () => {
    let caught: unknown;
    try {
      parseFeed(Buffer.from('<html><body>Not here</body></html>'), { contentType: 'text/html', url: 'https://x.example/' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FeedParseError);
    expect(caught).toBeInstanceOf(NewsloomError);
    expect(caught).toMatchObject({ code: 'NL_FEED_PARSE', retryable: false, message: 'parse feed https://x.example/: no <rss>, <feed>, <rdf:RDF> root or JSON Feed' });
  });
});
