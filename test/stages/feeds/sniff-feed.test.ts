import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sniffFeed } from '../../../stages/feeds/sniff-feed.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url));
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('sniffFeed on the feed fixtures', () => {
  it.each([
    ['rss2.xml', 'rss'],
    ['rss091.xml', 'rss'],
    ['rss-no-version.xml', 'rss'],
    ['atom.xml', 'atom'],
    ['rss1-rdf.xml', 'rdf'],
    ['jsonfeed-1.1.json', 'json'],
    ['utf16-bom.xml', 'atom'],
    ['windows-1252.xml', 'rss'],
    ['truncated.xml', 'rss'],
    ['billion-laughs.xml', 'rss'],
  ])('recognises %s as %s', (name, format) => {
    expect(sniffFeed(fixture(name), null)).toBe(format);
  });

  it('sees through a PHP warning printed before the XML declaration', () => {
    expect(sniffFeed(fixture('php-warning.xml'), 'text/html')).toBe('rss');
  });

  it('says an HTML page is not a feed, even one that links a feed', () => {
    expect(sniffFeed(fixture('html-page.html'), 'text/html; charset=utf-8')).toBeNull();
  });

  it('says a document with no root element is not a feed', () => {
    expect(sniffFeed(fixture('comment-only.xml'), 'application/rss+xml')).toBeNull();
  });
});

describe('sniffFeed on answers servers really give', () => {
  it('trusts the bytes over the content type: RSS labelled text/html is a feed', () => {
    expect(sniffFeed(bytes('<rss version="2.0"><channel><title>x</title></channel></rss>'), 'text/html')).toBe('rss');
  });

  it('trusts the bytes over the content type: an HTML error page labelled application/rss+xml is not', () => {
    expect(sniffFeed(bytes('<!DOCTYPE html><html><body>Not found</body></html>'), 'application/rss+xml')).toBeNull();
  });

  it('finds the root after a BOM, a stylesheet PI, comments and a DOCTYPE with an internal subset holding ">"', () => {
    const doc = '\ufeff<?xml version="1.0"?>\n<?xml-stylesheet href="feed.xsl" type="text/xsl"?>\n<!-- a > b -->\n' +
      '<!DOCTYPE feed [ <!ENTITY gt2 ">>"> ]>\n<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>t</atom:title></atom:feed>';
    expect(sniffFeed(bytes(doc), null)).toBe('atom');
  });

  it('sees an RSS feed behind a PHP warning with no XML declaration', () => {
    expect(sniffFeed(bytes('<br />\n<b>Notice</b>: undefined index<br />\n<rss version="2.0"><channel/></rss>'), null)).toBe('rss');
  });

  it('sees a JSON Feed behind a PHP warning, and RSS whose <rss> wrapper was lost', () => {
    expect(sniffFeed(bytes('<br />\n<b>Warning</b>: headers already sent<br />\n{"version": "https://jsonfeed.org/version/1", "items": []}'), null)).toBe('json');
    expect(sniffFeed(bytes('<?xml version="1.0"?><channel><title>Bare</title></channel>'), null)).toBe('rss');
  });

  it('accepts RSS 1.0 and Netscape RSS 0.90 RDF, but not RDF data that is not a feed', () => {
    const rss090 = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel/></rdf:RDF>';
    const foaf = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/"><foaf:Person/></rdf:RDF>';
    expect(sniffFeed(bytes(rss090), null)).toBe('rdf');
    expect(sniffFeed(bytes(foaf), null)).toBeNull();
  });

  it('recognises JSON Feed 1.0 and 1.1 by version, and rejects other JSON', () => {
    expect(sniffFeed(bytes('{"title":"t","version":"https://jsonfeed.org/version/1","items":[]}'), 'application/json')).toBe('json');
    expect(sniffFeed(bytes('{"version":"https://jsonfeed.org/version/1.1","items":[]}'), null)).toBe('json');
    expect(sniffFeed(bytes('{"version":"2.3","routes":[]}'), 'application/json')).toBeNull();
    expect(sniffFeed(bytes('[1,2,3]'), 'application/json')).toBeNull();
  });

  it('recognises a JSON Feed cut short, by the version near its top', () => {
    expect(sniffFeed(bytes('{"version": "https://jsonfeed.org/version/1.1", "title": "cut", "items": [{"id": "1", "ti'), null)).toBe('json');
  });

  it('decodes UTF-16 without a BOM and a charset given only by the HTTP header', () => {
    expect(sniffFeed(Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"/>', 'utf16le'), null)).toBe('atom');
    expect(sniffFeed(iconv.encode('<rss version="2.0"><channel><title>Ça</title></channel></rss>', 'utf-16be'), 'text/xml; charset=utf-16be')).toBe('rss');
  });

  it('says empty, whitespace-only, plain-text and binary bodies are not feeds', () => {
    expect(sniffFeed(Buffer.alloc(0), null)).toBeNull();
    expect(sniffFeed(bytes(' \n\t '), null)).toBeNull();
    expect(sniffFeed(bytes('rss feed coming soon'), 'text/plain')).toBeNull();
    expect(sniffFeed(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'image/png')).toBeNull();
  });
});
