import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer, type FixtureServer } from './http.js';

export interface PageExpectation {
  title: string;
  authors: string[];
  publishedAt: string | null;
  with: string[];
  without: string[];
  images: Array<{ caption: string | null; credit: string | null }>;
  skipped: null | 'empty' | 'not-an-article';
}

export interface FixtureSite {
  server: FixtureServer;
  rssUrl: string;
  atomUrl: string;
  /** Page URL → what extraction must give. */
  pages: Map<string, PageExpectation>;
  /** URLs listed in a feed that must fail: a 500 every time, and a 404. */
  brokenUrls: { serverError: string; notFound: string };
  /** A feed link to an article already listed, with tracking parameters: the same article. */
  trackedDuplicateOf: string;
  /** The same page served under another URL (a syndicated copy): its own article, a duplicate in the original's story. */
  syndicated: { url: string; of: string };
  close(): Promise<void>;
}

const SITE_DIR = new URL('../fixtures/site/', import.meta.url).pathname;

/**
 * Item dates are relative to now, so poll.maxItemAge keeps them whenever the tests run.
 * A loopback news site: the realistic pages of test/fixtures/site served at /articles/, an RSS 2.0
 * feed and an Atom feed listing them (written with this server's port, served with ETags so polls
 * are conditional), one URL that always answers 500 and one that answers 404.
 */
export async function startFixtureSite(): Promise<FixtureSite> {
  const expected = JSON.parse(readFileSync(join(SITE_DIR, 'expected.json'), 'utf8')) as Record<string, PageExpectation>;
  const files = readdirSync(SITE_DIR).filter((f) => f.endsWith('.html')).sort();
  const server = await startFixtureServer();
  server.serveDir('/articles/', SITE_DIR);
  server.route('/broken/server-error.html', { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>Internal Server Error</h1>' });
  const feedDir = mkdtempSync(join(tmpdir(), 'newsloom-feeds-'));
  server.serveDir('/feeds/', feedDir);

  const pages = new Map<string, PageExpectation>();
  for (const f of files) if (expected[f]) pages.set(`${server.url}/articles/${f}`, expected[f]!);
  const urls = [...pages.keys()];
  const half = Math.ceil(urls.length / 2);
  const brokenUrls = { serverError: `${server.url}/broken/server-error.html`, notFound: `${server.url}/broken/gone.html` };
  const trackedDuplicateOf = urls.find((u) => pages.get(u)!.skipped === null)!;
  const original = urls.filter((u) => pages.get(u)!.skipped === null).at(-1)!;
  const syndicated = { url: `${server.url}/wire/copy-of-${original.split('/').pop()}`, of: original };
  const copyBody = readFileSync(join(SITE_DIR, original.split('/').pop()!));
  server.route(new URL(syndicated.url).pathname, { headers: { 'content-type': 'text/html; charset=utf-8' }, body: copyBody });

  writeFileSync(join(feedDir, 'rss.xml'), rss(server.url, [...urls.slice(0, half), brokenUrls.serverError], pages));
  writeFileSync(join(feedDir, 'atom.xml'), atom(server.url, [...urls.slice(half), brokenUrls.notFound, `${trackedDuplicateOf}?utm_source=atom&utm_medium=feed`, syndicated.url], pages));
  pages.set(syndicated.url, pages.get(original)!);

  return {
    server,
    rssUrl: `${server.url}/feeds/rss.xml`,
    atomUrl: `${server.url}/feeds/atom.xml`,
    pages,
    brokenUrls,
    trackedDuplicateOf,
    syndicated,
    close: async () => {
      await server.close();
      rmSync(feedDir, { recursive: true, force: true });
    },
  };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function titleOf(url: string, pages: Map<string, PageExpectation>): string {
  return pages.get(url.split('?')[0]!)?.title ?? 'Untitled';
}

function rss(base: string, urls: string[], pages: Map<string, PageExpectation>): string {
  const items = urls.map((u, i) => `    <item>
      <title>${esc(titleOf(u, pages))}</title>
      <link>${esc(u)}</link>
      <guid isPermaLink="true">${esc(u)}</guid>
      <pubDate>${new Date(Date.now() - (i + 1) * 3_600_000).toUTCString()}</pubDate>
      <description>Item ${i + 1}</description>
    </item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Loopback Gazette</title>
    <link>${base}/</link>
    <description>Fixture feed</description>
${items.join('\n')}
  </channel>
</rss>
`;
}

function atom(base: string, urls: string[], pages: Map<string, PageExpectation>): string {
  const entries = urls.map((u, i) => `  <entry>
    <title>${esc(titleOf(u, pages))}</title>
    <link rel="alternate" href="${esc(u)}"/>
    <id>urn:loopback:${i}</id>
    <updated>${new Date(Date.now() - (i + 1) * 3_600_000).toISOString()}</updated>
    <author><name>Atom Author</name></author>
  </entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Loopback Wire</title>
  <link href="${base}/"/>
  <id>urn:loopback:feed</id>
  <updated>2026-11-25T09:00:00Z</updated>
${entries.join('\n')}
</feed>
`;
}
