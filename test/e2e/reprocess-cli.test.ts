import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli, exportArticles } from '../helpers/cli.js';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let site: FixtureSite;
let dir: string;
let configPath: string;
let worker: RunningCli | null = null;

const toneStage = (version: string) => `export default {
  name: 'tone', version: '${version}', writes: ['summary'],
  run: (article) => ({ summary: 'v${version}: ' + article.title }),
};\n`;

/** Waits for a condition on a child's output (progress lines), up to 30 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  redis = await startTestRedis();
  site = await startFixtureSite();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-reprocess-'));
  mkdirSync(join(dir, 'stages'));
  writeFileSync(join(dir, 'stages', 'tone.mjs'), toneStage('1'));
  configPath = join(dir, 'newsloom.yaml');
  writeFileSync(configPath, `redis:
  url: ${redis.url}
  prefix: ${testPrefix()}
storage:
  sqlite: ${join(dir, 'newsloom.db')}
fetch:
  allowPrivateNetworks: true
  timeout: 5s
queues:
  attempts: 2
  backoff: 50ms
log:
  level: warn
enrich:
  stages: [language, wordcount, ./stages/tone.mjs]
feeds:
  - url: ${site.rssUrl}
  - url: ${site.atomUrl}
`);
  const first = await runCli(['start', '--once', '--config', configPath]);
  expect(first.code, first.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('newsloom reprocess', () => {
  it('stored every article with the stage at version 1', async () => {
    const stored = await exportArticles(configPath);
    expect(stored.length).toBeGreaterThan(3);
    for (const a of stored) {
      expect(a.enrichment.tone).toMatchObject({ version: '1', error: null });
      expect(a.summary).toBe(`v1: ${a.title}`);
    }
  });

  it('runs a new stage version on every stored article through the workers and stores its output', async () => {
    writeFileSync(join(dir, 'stages', 'tone.mjs'), toneStage('2'));
    const before = await exportArticles(configPath);
    worker = startCli(['worker', '--stages', 'enrich,store', '--config', configPath]);
    const r = await runCli(['reprocess', '--stage', 'tone', '--batch', '2', '--config', configPath], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`reprocess: selected ${before.length}, queued ${before.length}, done ${before.length}, failed 0`);
    expect(r.stdout).toContain(`reprocess: finished: ${before.length} done, 0 failed`);
    const after = await exportArticles(configPath);
    expect(after).toHaveLength(before.length);
    for (const a of after) {
      expect(a.enrichment.tone).toMatchObject({ version: '2', error: null });
      expect(a.summary).toBe(`v2: ${a.title}`);
      const old = before.find((b) => b.id === a.id)!;
      // Only the named stage ran: the others' records are untouched, and the story and text are kept.
      expect(a.enrichment.language).toEqual(old.enrichment.language);
      expect({ ...a, summary: null, enrichment: null }).toEqual({ ...old, summary: null, enrichment: null });
    }
  }, 120_000);

  it('finds nothing left to do when run again, so a rerun after a crash resumes where it stopped', async () => {
    const r = await runCli(['reprocess', '--stage', 'tone', '--config', configPath], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('reprocess: finished: 0 done, 0 failed');
  });

  it('resumes after being stopped midway without queueing an article twice', async () => {
    await worker?.stop();
    worker = null;
    writeFileSync(join(dir, 'stages', 'tone.mjs'), toneStage('3'));
    const total = (await exportArticles(configPath)).length;
    // No worker: the first run queues two batches of 2 and waits; it is stopped there.
    const first = startCli(['reprocess', '--stage', 'tone', '--batch', '2', '--config', configPath]);
    await until(() => first.output().stdout.includes('queued 4,'));
    expect(first.output().stdout).toContain('reprocess: selected 4, queued 4, done 0, failed 0');
    await first.stop();
    const counts = async () => {
      const r = await runCli(['status', '--json', '--config', configPath]);
      return (JSON.parse(r.stdout) as { queues: Record<string, { waiting: number; completed: number }> }).queues.enrich!;
    };
    const parked = await counts();
    expect(parked.waiting).toBe(4);
    // The second run finds the four parked jobs by their ids and follows them; then a worker comes.
    const second = startCli(['reprocess', '--stage', 'tone', '--batch', '2', '--config', configPath]);
    await until(() => second.output().stdout.includes('reprocess: selected 4, queued 4, done 0, failed 0'));
    worker = startCli(['worker', '--stages', 'enrich,store', '--config', configPath]);
    expect(await second.wait(60_000), second.output().stderr).toBe(0);
    expect(second.output().stdout).toContain(`reprocess: finished: ${total} done, 0 failed`);
    // The four parked jobs were tracked, not added again: one enrich job per article.
    expect((await counts()).completed - parked.completed).toBe(total);
    for (const a of await exportArticles(configPath)) expect(a.enrichment.tone!.version).toBe('3');
  }, 120_000);

  it('selects by fetch time and feed', async () => {
    const future = await runCli(['reprocess', '--since', '2099-01-01', '--config', configPath], { timeoutMs: 30_000 });
    expect(future.stdout).toContain('reprocess: finished: 0 done, 0 failed');
    const stored = await exportArticles(configPath);
    const fromRss = stored.filter((a) => a.feed?.url === site.rssUrl).length;
    const r = await runCli(['reprocess', '--since', '2d', '--feed', site.rssUrl, '--config', configPath], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`reprocess: finished: ${fromRss} done, 0 failed`);
  }, 120_000);

  it('refuses an unknown stage or date with a readable error', async () => {
    const stage = await runCli(['reprocess', '--stage', 'tones', '--config', configPath]);
    expect(stage.code).toBe(1);
    expect(stage.stderr).toBe('newsloom: reprocess --stage: no enabled stage "tones" in enrich.stages; expected one of language, wordcount, tone\n');
    const since = await runCli(['reprocess', '--since', 'yesterday', '--config', configPath]);
    expect(since.stderr).toContain('reprocess --since: expected an ISO date like 2026-11-01 or a duration like "2d", got "yesterday"');
  });
});
