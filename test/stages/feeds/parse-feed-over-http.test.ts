import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type HttpGetOptions } from '../../../adapters/http/http-get.js';
import { checkPage } from '../../../stages/fetch/check-page.js';
import { httpStatusError } from '../../../stages/fetch/errors.js';
import { parseFeed } from '../../../stages/feeds/parse-feed.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/http.js';

const loopback: HttpGetOptions = { userAgent: 'newsloom-test', timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 5, allowPrivateNetworks: true };
const fetchFeed = async (url: string) => {
  const res = await httpGet(url, loopback);
  return parseFeed(res.body, res.headers['content-type'] ?? null, res.url);
};

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  server.serveDir('/feeds/', fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url)));
});
afterAll(() => server.close());

describe('feeds fetched from the fixture server', () => {
  it.each([
    ['rss2.xml', 3],
    ['atom.xml', 2],
    ['rss1-rdf.xml', 2],
    ['jsonfeed-1.1.json', 3],
    ['windows-1252.xml', 1],
    ['utf16-bom.xml', 1],
  ])('parses %s served with its content type', async (name, count) => {
    const feed = await fetchFeed(`${server.url}/feeds/${name}`);
    expect(feed.items).toHaveLength(count);
  });

  it('resolves relative links against the URL the feed was finally fetched from', async () => {
    server.route('/old-feed', { status: 301, headers: { location: '/feeds/relative-links.xml' } });
    const feed = await fetchFeed(`${server.url}/old-feed`);
    expect(feed.items[0]!.url).toBe(`${server.url}/news/1`);
  });

  it('falls back to the document when the server names a charset nobody knows', async () => {
    const bytes = iconv.encode('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>“Smart” quotes</title></channel></rss>', 'windows-1252');
    server.route('/bad-charset', { headers: { 'content-type': 'application/rss+xml; charset=klingon' }, body: bytes });
    expect((await fetchFeed(`${server.url}/bad-charset`)).title).toBe('“Smart” quotes');
  });

  it('sees a 500 on the first try and the feed on the second, as a retry would', async () => {
    server.route('/flaky', (req, res, hit) => {
      if (hit === 1) {
        res.writeHead(500);
        res.end('oops');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end('<rss version="2.0"><channel><title>Back</title></channel></rss>');
    });
    const first = await httpGet(`${server.url}/flaky`, loopback);
    expect(httpStatusError(first.url, first.status)).toMatchObject({ retryable: true, message: `GET ${server.url}/flaky answered 500` });
    expect((await fetchFeed(`${server.url}/flaky`)).title).toBe('Back');
  });

  it('accepts an HTML page for extraction but not as a feed', async () => {
    const res = await httpGet(`${server.url}/feeds/html-page.html`, loopback);
    expect(checkPage(res)).toMatchObject({ kind: 'page', contentType: 'text/html; charset=utf-8' });
    await expect(parseFeed(res.body, res.headers['content-type']!, res.url)).rejects.toMatchObject({ code: 'NL_FEED_PARSE' });
  });
});
