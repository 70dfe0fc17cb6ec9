import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../adapters/storage/open-storage.js';
import type { Article } from '../../stages/article.js';
import { contractErrors } from '../helpers/article-contract.js';
import { makeArticle } from '../helpers/articles.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'newsloom-search-'));
const configPath = join(dir, 'newsloom.yaml');

beforeAll(async () => {
  const db = join(dir, 'newsloom.db');
  writeFileSync(configPath, `storage:\n  sqlite: ${db}\n`);
  const storage = await openStorage({ sqlite: db });
  const article = (slug: string, title: string, text: string, publishedAt: string) =>
    makeArticle({ canonicalUrl: `https://news.example.com/2026/${slug}`, title, text, publishedAt });
  await storage.upsertArticle(article('harbour', 'Harbour dredging approved', 'The port authority approved dredging of the harbour channel.', '2026-11-20T08:00:00.000Z'));
  await storage.upsertArticle(article('budget', 'Council approves budget', 'The council approved the budget after a debate about the harbour.', '2026-10-01T08:00:00.000Z'));
  await storage.upsertArticle(article('schools', 'New schools open', 'Two schools opened in the north of the city.', '2026-11-21T08:00:00.000Z'));
  await storage.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('newsloom search', () => {
  it('lists matching articles, a title match first, one line each', async () => {
    const r = await runCli(['search', 'harbour', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '2026-11-20  Example News  Harbour dredging approved  https://news.example.com/2026/harbour\n' +
      '2026-10-01  Example News  Council approves budget  https://news.example.com/2026/budget\n',
    );
    expect(r.stderr).toContain('2 articles');
  });

  it('keeps to --since and prints contract-valid articles with --json', async () => {
    const r = await runCli(['search', 'harbour', '--since', '2026-11-01', '--json', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Article);
    expect(hits.map((a) => a.title)).toEqual(['Harbour dredging approved']);
    expect(contractErrors(hits[0])).toEqual([]);
  });

  it('refuses a search without words and a bad --since, saying what was expected', async () => {
    expect(await runCli(['search', '--config', configPath])).toMatchObject({ code: 2, stderr: expect.stringContaining('give the words to search for') });
    const bad = await runCli(['search', 'harbour', '--since', 'last tuesday', '--config', configPath]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('newsloom: search --since: expected an ISO date like 2026-11-01 or a duration like "2d", got "last tuesday"\n');
  });
});
