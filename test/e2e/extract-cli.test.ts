import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PageExpectation } from '../helpers/fixture-site.js';
import { contractErrors } from '../helpers/article-contract.js';
import { runCli } from '../helpers/cli.js';

const SITE = new URL('../fixtures/site/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(SITE, 'expected.json'), 'utf8')) as Record<string, PageExpectation>;

describe('newsloom extract', () => {
  it('prints one JSON line per input, each carrying "input", without Redis', async () => {
    const files = readdirSync(SITE).filter((f) => f.endsWith('.html')).sort();
    const r = await runCli(['extract', '--jsonl', ...files.map((f) => join(SITE, f))], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.input)).toEqual(files.map((f) => join(SITE, f)));
    for (const [i, f] of files.entries()) {
      const e = expected[f]!;
      const line = lines[i]!;
      if (e.skipped) {
        expect(line.skipped, f).toBe(e.skipped);
        continue;
      }
      const { input: _input, ...article } = line;
      expect(contractErrors(article), f).toEqual([]);
      expect(article.title).toBe(e.title);
      for (const s of e.without) expect(article.text as string, f).not.toContain(s);
    }
  });

  it('resolves a file\'s links against --url', async () => {
    const file = Object.keys(expected).find((f) => expected[f]!.skipped === null)!;
    const r = await runCli(['extract', join(SITE, file), '--url', 'https://news.example.com/2026/story.html']);
    expect(r.code, r.stderr).toBe(0);
    const article = JSON.parse(r.stdout) as { url: string };
    expect(article.url).toBe('https://news.example.com/2026/story.html');
  });

  it('reports an unreadable input with a reason and exits 1', async () => {
    const r = await runCli(['extract', '--jsonl', join(SITE, 'no-such-file.html')]);
    expect(r.code).toBe(1);
    const line = JSON.parse(r.stdout.trim()) as { input: string; error: string };
    expect(line.error).toMatch(/ENOENT/);
  });
});
