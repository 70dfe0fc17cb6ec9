import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const feeds = fileURLToPath(new URL('../fixtures/feeds/', import.meta.url));

/** Runs runParseFeed in a real child process under tsx, as bin/newsloom.mjs will. */
function parseFeedCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `import('./cli/parse-feed.ts').then(async (m) => { process.exitCode = await m.runParseFeed(${JSON.stringify(args)}); })`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: { ...process.env, NEWSLOOM_CONFIG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  server.serveDir('/feeds/', feeds);
});
afterAll(() => server.close());

describe('newsloom parse-feed', () => {
  it('prints a file as { format, feed, items } JSON, resolving links against --url', async () => {
    const out = await parseFeedCli([`${feeds}relative-links.xml`, '--url', 'https://rel.example/section/feed.xml']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.format).toBe('rss2.0');
    expect(doc.items[0]).toMatchObject({ link: 'https://rel.example/news/1', guid: 'https://rel.example/news/1' });
  });

  it('fetches a URL with the config file\'s fetch settings, the final URL as base', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsloom-parse-feed-'));
    const config = join(dir, 'newsloom.yaml');
    writeFileSync(config, 'fetch:\n  allowPrivateNetworks: true\n');
    server.route('/moved', { status: 301, headers: { location: '/feeds/relative-links.xml' } });
    const out = await parseFeedCli([`${server.url}/moved`, '--config', config]);
    rmSync(dir, { recursive: true, force: true });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout).items[0].link).toBe(`${server.url}/news/1`);
  });

  it('refuses a loopback URL by default (SSRF guard) with one readable line', async () => {
    const out = await parseFeedCli([`${server.url}/feeds/atom.xml`]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^newsloom parse-feed: .+\n$/);
  });

  it('says why a document is no feed, on one line, with exit code 1', async () => {
    const out = await parseFeedCli([`${feeds}html-page.html`]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('newsloom parse-feed: NL_FEED_PARSE: parse feed (document): no <rss>, <feed>, <rdf:RDF> root or JSON Feed\n');
  });

  it('says so when the file does not exist', async () => {
    const out = await parseFeedCli(['/nonexistent/feed.xml']);
    expect(out).toMatchObject({ code: 1, stderr: 'newsloom parse-feed: read /nonexistent/feed.xml: no such file\n' });
  });
});
