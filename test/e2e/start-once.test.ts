import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from '../helpers/article-contract.js';
import { runCli, type CliResult, exportArticles } from '../helpers/cli.js';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let site: FixtureSite;
let dir: string;
let configPath: string;
let firstRun: CliResult;

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureSite();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-e2e-'));
  configPath = join(dir, 'newsloom.yaml');
  writeFileSync(configPath, `# e2e config
redis:
  url: ${redis.url}
  prefix: ${testPrefix()}
storage:
  sqlite: ${join(dir, 'newsloom.db')}
fetch:
  allowPrivateNetworks: true   # the fixture site is on loopback
  timeout: 5s
queues:
  attempts: 2
  backoff: 50ms
log:
  level: warn
feeds:
  - url: ${site.rssUrl}
    name: Loopback Gazette     # a comment to keep
  - url: ${site.atomUrl}
`);
  firstRun = await runCli(['start', '--once', '--config', configPath]);
});

afterAll(async () => {
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('newsloom start --once, then export', () => {
  it('polls both feeds, drains every queue and exits 0 with a summary', () => {
    expect(firstRun.code, firstRun.stderr).toBe(0);
    const articles = [...site.pages.values()].filter((p) => p.skipped === null).length;
    expect(firstRun.stdout).toContain('feeds polled: 2 (0 failed)');
    expect(firstRun.stdout).toContain(`articles stored: ${articles} (${articles} new, 0 updated`);
    expect(firstRun.stdout).toContain('failed jobs: 2');
    expect(firstRun.stdout).toContain(`fetch ${site.brokenUrls.serverError}: NL_HTTP_STATUS: GET ${site.brokenUrls.serverError} answered 500`);
    expect(firstRun.stdout).toContain(`fetch ${site.brokenUrls.notFound}: NL_HTTP_STATUS: GET ${site.brokenUrls.notFound} answered 404`);
    process.stdout.write(`e2e first run summary:\n${firstRun.stdout}`);
  });

  it('exports every article with the right title and body and none of the boilerplate', async () => {
    const exported = await exportArticles(configPath);
    const expectedArticles = [...site.pages].filter(([, p]) => p.skipped === null);
    expect(exported).toHaveLength(expectedArticles.length);
    for (const [url, page] of expectedArticles) {
      const a = exported.find((x) => x.canonicalUrl === url);
      expect(a, url).toBeDefined();
      expect(a!.title).toBe(page.title);
      expect(a!.authors).toEqual(page.authors);
      if (page.publishedAt) expect(a!.publishedAt).toBe(page.publishedAt);
      for (const s of page.with) expect(a!.text, url).toContain(s);
      for (const s of page.without) expect(a!.text, url).not.toContain(s);
      for (const img of page.images) {
        expect(a!.images, url).toContainEqual(expect.objectContaining({ caption: img.caption, credit: img.credit }));
      }
    }
  });

  it('exports articles that validate against the article contract', async () => {
    for (const a of await exportArticles(configPath)) expect(contractErrors(a), a.url).toEqual([]);
  });

  it('keeps the article reached through a tracking link as the same article', async () => {
    const exported = await exportArticles(configPath);
    expect(exported.filter((a) => a.url.startsWith(site.trackedDuplicateOf))).toHaveLength(1);
  });

  it('files a syndicated copy as its own article, a duplicate in the original\'s story', async () => {
    const exported = await exportArticles(configPath);
    const original = exported.find((a) => a.canonicalUrl === site.syndicated.of)!;
    const copy = exported.find((a) => a.canonicalUrl === site.syndicated.url)!;
    expect(copy.id).not.toBe(original.id);
    // Whichever was stored first heads the story (the host's turns decide the order); the other points to it.
    const [first, second] = copy.duplicateOf === null ? [copy, original] : [original, copy];
    expect(first.duplicateOf).toBeNull();
    expect(second.duplicateOf).toBe(first.id);
    expect(copy.storyId).toBe(first.id);
    expect(original.storyId).toBe(first.id);
    const r = await runCli(['export', '--stories', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    const stories = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { storyId: string; articles: Array<{ id: string; url: string }> });
    expect(stories).toHaveLength(exported.length - 1);
    expect(stories.find((s) => s.storyId === first.id)!.articles.map((a) => a.url)).toEqual([first.canonicalUrl, second.canonicalUrl]);
  });

  it('stores nothing twice when run a second time', async () => {
    const before = await exportArticles(configPath);
    const second = await runCli(['start', '--once', '--config', configPath]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('articles stored: 0 (0 new, 0 updated');
    const after = await exportArticles(configPath);
    expect(after).toEqual(before);
    expect(new Set(after.map((a) => a.id)).size).toBe(after.length);
  });

  it('shows queue counts and per-feed state in status', async () => {
    const r = await runCli(['status', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^queue\s+waiting\s+active\s+delayed\s+failed\s+completed/m);
    expect(r.stdout).toMatch(/^fetch\s+0\s+0\s+0\s+2\s+\d+/m);
    expect(r.stdout).toMatch(/^feed\s+last poll\s+status\s+last success\s+next poll\s+items\s+new\s+seen\s+304\s+failures\s+error$/m);
    // Run twice by now: the second poll of each feed was answered 304.
    expect(r.stdout).toMatch(/^Loopback Gazette\s+\S+\s+not-modified\s+\S+\s+\S+\s+\d+\s+0\s+\d+\s+50%\s+0\s*$/m);
  });
});

describe('newsloom feeds', () => {
  it('adds and removes a feed, keeping the config file\'s comments', async () => {
    const add = await runCli(['feeds', 'add', 'https://news.example.org/rss', '--as-is', '--name', 'Example', '--config', configPath]);
    expect(add.code, add.stderr).toBe(0);
    let text = readFileSync(configPath, 'utf8');
    expect(text).toContain('# a comment to keep');
    expect(text).toContain('https://news.example.org/rss');
    const list = await runCli(['feeds', 'list', '--config', configPath]);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    const remove = await runCli(['feeds', 'remove', 'https://news.example.org/rss', '--config', configPath]);
    expect(remove.code, remove.stderr).toBe(0);
    text = readFileSync(configPath, 'utf8');
    expect(text).not.toContain('news.example.org');
    expect(text).toContain('# the fixture site is on loopback');
  });

  it('refuses to add a feed that would make the config invalid', async () => {
    const r = await runCli(['feeds', 'add', 'ftp://example.org/feed', '--as-is', '--config', configPath]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/feeds\[2\]\.url: expected an http:\/\/ or https:\/\/ feed URL, got "ftp:\/\/example.org\/feed"/);
    expect(readFileSync(configPath, 'utf8')).not.toContain('ftp://');
  });
});

describe('newsloom with a bad config', () => {
  it('prints every problem with file and key, no stack trace, and exits 1', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'feeds:\n  - url: https://a.example/rss\n    interval: soon\n');
    const r = await runCli(['start', '--once', '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`newsloom: ${bad}: feeds[0].interval: expected a duration like "15m", got "soon"`);
  });
});
