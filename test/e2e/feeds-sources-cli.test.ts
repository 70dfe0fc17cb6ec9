import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { runCli } from '../helpers/cli.js';

let server: FixtureServer;
let dir: string;
let configPath: string;
const OPML = new URL('../fixtures/opml/nested.opml', import.meta.url).pathname;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/', { headers: { 'content-type': 'text/html' }, body: '<html><head><link rel="alternate" type="application/rss+xml" title="Main" href="/rss.xml"></head><body>Home</body></html>' });
  server.route('/rss.xml', { headers: { 'content-type': 'application/rss+xml' }, body: '<rss version="2.0"><channel><title>Main</title><item><title>a</title><link>http://x.example/a</link></item></channel></rss>' });
  dir = mkdtempSync(join(tmpdir(), 'newsloom-sources-'));
  configPath = join(dir, 'newsloom.yaml');
  writeFileSync(configPath, '# sources test\nfetch:\n  allowPrivateNetworks: true  # loopback fixtures\nfeeds: []\n');
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('newsloom feeds add, import, export', () => {
  it('adds the feed a home page links to, with tags', async () => {
    const r = await runCli(['feeds', 'add', `${server.url}/`, '--tag', 'news', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(configPath, 'utf8');
    expect(text).toContain(`- url: ${server.url}/rss.xml`);
    expect(text).toMatch(/tags: \[ ?news ?\]/);
    expect(text).toContain('# loopback fixtures');
  });

  it('refuses a site with no feed, naming what it looked for, unless --as-is', async () => {
    // A site of its own: the main fixture site has /rss.xml, which the common-path probe would find.
    const bare = await startFixtureServer();
    bare.route('/plain', { headers: { 'content-type': 'text/html' }, body: '<html><body>No feeds here.</body></html>' });
    try {
      const r = await runCli(['feeds', 'add', `${bare.url}/plain`, '--config', configPath]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no feed found at .*\/plain/);
      expect(bare.hits('/rss.xml')).toBe(1);
      const asIs = await runCli(['feeds', 'add', `${bare.url}/plain`, '--as-is', '--config', configPath]);
      expect(asIs.code, asIs.stderr).toBe(0);
      expect(readFileSync(configPath, 'utf8')).toContain(`- url: ${bare.url}/plain`);
    } finally {
      await bare.close();
    }
  });

  it('imports an OPML file and exports every feed back as OPML 2.0', async () => {
    const imported = await runCli(['feeds', 'import', OPML, '--config', configPath]);
    expect(imported.code, imported.stderr).toBe(0);
    const exported = await runCli(['feeds', 'export', '--config', configPath]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<opml version="2.0">/);
    const urls = [...exported.stdout.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]);
    const inFile = [...readFileSync(OPML, 'utf8').matchAll(/xmlUrl="([^"]+)"/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    for (const u of inFile) expect(urls.map((x) => x!.replace(/&amp;/g, '&'))).toContain(u);
    expect(urls).toContain(`${server.url}/rss.xml`);
  });
});
