import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMON_FEED_PATHS, discover } from '../../../adapters/http/discover.js';
import type { HttpGetOptions } from '../../../adapters/http/http-get.js';
import { resolveFeedUrl } from '../../../cli/feeds-sources.js';
import { parseConfig } from '../../../config/load.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/http.js';

const loopback: HttpGetOptions = { userAgent: 'newsloom-test', timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 5, allowPrivateNetworks: true };
const feed = (name: string) => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url));
const rss = { headers: { 'content-type': 'application/rss+xml' }, body: feed('rss2.xml') };
const atom = { headers: { 'content-type': 'application/atom+xml' }, body: feed('atom.xml') };
const html = (head: string, body = '<p>Welcome</p>') => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!DOCTYPE html><html><head><title>Home</title>${head}</head><body>${body}</body></html>`,
});

let servers: FixtureServer[] = [];
async function site(): Promise<FixtureServer> {
  const server = await startFixtureServer();
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('discover', () => {
  it('finds the feed a home page links with <link rel=alternate>, resolved against the page URL', async () => {
    const s = await site();
    s.route('/', html(`
      <link rel="alternate" type="application/rss+xml" title="Home » Feed" href="/news/rss.xml">
      <link rel="alternate" type="application/atom+xml" title="Home » Atom" href="atom">`));
    s.route('/news/rss.xml', rss);
    const found = await discover(`${s.url}/`, loopback);
    expect(found).toEqual({ url: `${s.url}/news/rss.xml`, format: 'rss', title: 'Home » Feed', via: 'link', others: [`${s.url}/atom`] });
    // One request for the page, one for the feed: nothing else is probed.
    expect(s.requests.map((r) => r.path)).toEqual(['/', '/news/rss.xml']);
  });

  it('keeps a URL that already is a feed as it is', async () => {
    const s = await site();
    s.route('/feeds/main', atom);
    expect(await discover(`${s.url}/feeds/main`, loopback)).toEqual({ url: `${s.url}/feeds/main`, format: 'atom', title: null, via: 'direct', others: [] });
    expect(s.hits('/feeds/main')).toBe(1);
  });

  it('skips a linked feed that is gone and takes the next one the page links', async () => {
    const s = await site();
    s.route('/', html(`
      <link rel="alternate" type="application/rss+xml" href="/old-feed">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">`));
    s.route('/old-feed', { status: 404, body: 'gone' });
    s.route('/atom.xml', atom);
    const found = await discover(`${s.url}/`, loopback);
    expect(found).toMatchObject({ url: `${s.url}/atom.xml`, format: 'atom', via: 'link' });
  });

  it('finds /feed.xml on a page without feed links, probing the common paths in order and stopping there', async () => {
    const s = await site();
    s.route('/', html('<link rel="stylesheet" href="/style.css">'));
    s.route('/feed.xml', rss);
    const found = await discover(`${s.url}/`, loopback);
    expect(found).toEqual({ url: `${s.url}/feed.xml`, format: 'rss', title: null, via: 'common-path', others: [] });
    expect(s.requests.map((r) => r.path)).toEqual(['/', '/feed', '/rss', '/rss.xml', '/feed.xml']);
  });

  it('does not take an HTML page answered 200 at a common path (a soft 404) for a feed', async () => {
    const s = await site();
    s.route('/', html(''));
    s.route('/feed', html('', '<h1>Page not found</h1>'));
    s.route('/rss', { headers: { 'content-type': 'application/rss+xml' }, body: '<html><body>error</body></html>' });
    s.route('/index.xml', atom);
    expect(await discover(`${s.url}/`, loopback)).toMatchObject({ url: `${s.url}/index.xml`, via: 'common-path', format: 'atom' });
  });

  it('looks under a blog\'s own folder before the site root', async () => {
    const s = await site();
    s.route('/blog/', html(''));
    s.route('/blog/index.xml', atom);
    s.route('/feed', rss);
    expect(await discover(`${s.url}/blog/`, loopback)).toMatchObject({ url: `${s.url}/blog/index.xml`, via: 'common-path' });
  });

  it('finds a WordPress feed at /?feed=rss2 and a same-site <a> feed link', async () => {
    const s = await site();
    s.route('/', (req, res) => {
      if (req.url === '/?feed=rss2') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed('rss2.xml'));
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><a href="/subscribe.rss">RSS</a></body></html>');
    });
    expect(await discover(`${s.url}/`, loopback)).toMatchObject({ url: `${s.url}/?feed=rss2`, via: 'common-path' });
    s.route('/subscribe.rss', rss);
    expect(await discover(`${s.url}/`, loopback)).toMatchObject({ url: `${s.url}/subscribe.rss`, via: 'anchor', title: 'RSS' });
  });

  it('says plainly that there is no feed, and what it looked for', async () => {
    const s = await site();
    s.route('/', html('<link rel="alternate" type="application/rss+xml" href="/broken-feed">'));
    s.route('/broken-feed', { status: 500, body: 'oops' });
    const err = await discover(`${s.url}/`, loopback).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NL_NO_FEED', retryable: false });
    expect((err as Error).message).toBe(
      `no feed found at ${s.url}/ (looked for <link rel=alternate> and /feed, /rss, /rss.xml, /feed.xml, /atom.xml, /index.xml, ` +
        `/feeds/posts/default, /?feed=rss2, /feed.json, /atom, /index.rss); the feeds the page links gave none: ${s.url}/broken-feed: 500`,
    );
    // Every common path was tried once, one after another.
    for (const path of COMMON_FEED_PATHS) expect(s.requests.filter((r) => r.path === path)).toHaveLength(1);
  });

  it('still probes the common paths when the home page itself answers an error, and says so', async () => {
    const s = await site();
    s.route('/', { status: 403, body: 'forbidden' });
    const err = await discover(`${s.url}/`, loopback).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`^no feed found at ${s.url}/, which answered 403 \\(looked for <link rel=alternate> and /feed, /rss`));
    expect(s.hits('/feed')).toBe(1);
  });

  it('refuses loopback pages unless private networks are allowed, without probing anything', async () => {
    const s = await site();
    s.route('/', html('<link rel="alternate" type="application/rss+xml" href="/rss">'));
    const err = await discover(`${s.url}/`, { ...loopback, allowPrivateNetworks: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NL_SSRF' });
    expect(s.requests).toHaveLength(0);
  });

  it('moves on when a linked feed fails at the network level (its redirect leads to a closed port)', async () => {
    const closed = await startFixtureServer();
    await closed.close();
    const s = await site();
    s.route('/', html('<link rel="alternate" type="application/rss+xml" href="/hop">'));
    s.route('/hop', { status: 302, headers: { location: `${closed.url}/rss` } });
    s.route('/feed.json', { headers: { 'content-type': 'application/feed+json' }, body: feed('jsonfeed-1.1.json') });
    expect(await discover(`${s.url}/`, loopback)).toMatchObject({ url: `${s.url}/feed.json`, via: 'common-path', format: 'json' });
  });
});

describe('resolveFeedUrl', () => {
  const config = parseConfig({ fetch: { userAgent: 'newsloom-test', timeout: '5s', allowPrivateNetworks: true } }, 'test config');

  it('returns a feed URL unchanged, with no note', async () => {
    const s = await site();
    s.route('/rss', rss);
    expect(await resolveFeedUrl(`${s.url}/rss`, config)).toEqual({ url: `${s.url}/rss`, note: null });
  });

  it('replaces a home page by its feed and says so', async () => {
    const s = await site();
    s.route('/', html('<link rel="alternate" type="application/rss+xml" title="Main" href="/rss">'));
    s.route('/rss', rss);
    expect(await resolveFeedUrl(`${s.url}/`, config)).toEqual({
      url: `${s.url}/rss`,
      note: `${s.url}/ is a web page; its feed is ${s.url}/rss ("Main")`,
    });
  });

  it('fails with the discovery message and how to add the URL anyway', async () => {
    const s = await site();
    s.route('/', html(''));
    await expect(resolveFeedUrl(`${s.url}/`, config)).rejects.toThrow(/^feeds add: no feed found at .*\n\(to add the URL unchecked, use --as-is\)$/s);
  });
});
