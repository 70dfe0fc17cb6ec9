import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnrichStages, loadEnrichStagesInThreads, type ThreadedStages } from '../../../adapters/enrich/load-stages.js';
import { loadConfig } from '../../../config/load.js';
import { runStages } from '../../../stages/enrich/run-stages.js';
import type { TermStats } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

// Enrichment stages in worker threads (issue 9: a CPU-bound stage must not make a worker lose its
// locks): a spinning or runaway stage is killed at its limit, the event loop keeps turning, and the
// next article gets a fresh thread.
const dir = mkdtempSync(join(tmpdir(), 'newsloom-enrich-threads-'));
const opened: ThreadedStages[] = [];
afterAll(async () => {
  await Promise.all(opened.map((o) => o.close()));
  rmSync(dir, { recursive: true, force: true });
});

function project(name: string, yaml: string, modules: Record<string, string> = {}) {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const [file, source] of Object.entries(modules)) writeFileSync(join(root, file), source);
  const path = join(root, 'newsloom.yaml');
  writeFileSync(path, yaml);
  return { path, config: loadConfig(path, {}).config };
}

async function threaded(name: string, yaml: string, modules: Record<string, string> = {}) {
  const { path, config } = project(name, yaml, modules);
  const loaded = await loadEnrichStagesInThreads(config, path);
  opened.push(loaded);
  return loaded;
}

const SPIN = `export default { name: 'spin', version: '1', writes: ['summary'], run: (a) => { if (a.title.includes('spin')) for (;;) {} return { summary: 'calm' }; } };\n`;
const HOG = `export default { name: 'hog', version: '1', writes: ['summary'], run: () => { const xs = []; for (;;) xs.push(new Array(1e5).fill(Math.random())); } };\n`;
const FN_PATCH = `export default { name: 'fnpatch', version: '1', writes: ['summary'], run: () => ({ summary: () => 1 }) };\n`;
const UPPER = `export default { name: 'upper', version: '1', writes: ['subtitle'], run: (a) => ({ subtitle: a.title.toUpperCase() }) };\n`;
const FLAKY = `export default { name: 'flaky', version: '2', writes: ['summary'], run: async () => { await new Promise((r) => setTimeout(r, 5)); throw Object.assign(new Error('service busy'), { retryable: true }); } };\n`;

describe('enrichment stages in worker threads', () => {
  it('kills a spinning stage at its time limit without blocking the event loop, and the next article is enriched', async () => {
    const { stages } = await threaded('spin', 'enrich:\n  threads: 1\n  stages: [{ module: ./spin.mjs, timeout: 400ms }, wordcount]\n', { 'spin.mjs': SPIN });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    // One thread: the calm article's stage waits behind the spinning one, and that wait is not charged to it.
    const [spun, beside] = await Promise.all([runStages(makeArticle({ title: 'A spin story' }), stages), runStages(makeArticle({ title: 'A calm story' }), stages)]);
    clearInterval(ticker);
    expect(beside.enrichment.spin?.error).toBeNull();
    expect(beside.summary).toBe('calm');
    expect(spun.enrichment.spin?.error).toMatch(/NL_ENRICH_TIMEOUT: enrichment stage spin did not finish within 400 ms/);
    expect(spun.enrichment.wordcount?.error).toBeNull();
    // In-process the loop would not turn once while the stage spins.
    expect(ticks).toBeGreaterThan(0);
    const calm = await runStages(makeArticle({ title: 'A calm story' }), stages);
    expect(calm.summary).toBe('calm');
    expect(calm.enrichment.spin?.error).toBeNull();
  });

  it('stops a stage that allocates without bound at the thread memory cap, and the pool recovers', async () => {
    const { stages } = await threaded('hog', 'enrich:\n  threads: 1\n  threadMemory: 64\n  timeout: 30s\n  stages: [./hog.mjs, wordcount]\n', { 'hog.mjs': HOG });
    const a = await runStages(makeArticle(), stages);
    expect(a.enrichment.hog?.error).toMatch(/NL_ENRICH_MEMORY: enrichment stage hog ran out of memory \(thread limit 64 MB\)/);
    expect(a.enrichment.wordcount?.error).toBeNull();
    expect(a.wordCount).toBeGreaterThan(0);
  });

  it('gives the built-in stages the same output as in the worker thread', async () => {
    const { path, config } = project('builtins', 'enrich:\n  threads: 1\n');
    const inThreads = await loadEnrichStagesInThreads(config, path);
    opened.push(inThreads);
    const inProcess = await loadEnrichStages(config, path);
    expect(inThreads.stages.map((s) => [s.stage.name, s.stage.version, s.stage.writes])).toEqual(inProcess.map((s) => [s.stage.name, s.stage.version, s.stage.writes]));
    const article = makeArticle({
      title: 'Palestinian Islamic Jihad says talks in Cairo stalled',
      text: 'Officials from Palestinian Islamic Jihad met Egyptian mediators in Cairo on Tuesday. "We will not accept these terms," said spokesman Daoud Shehab. The United Nations warned that conditions in Gaza were worsening.',
    });
    const withoutTimes = (a: Awaited<ReturnType<typeof runStages>>) => ({ ...a, enrichment: Object.fromEntries(Object.entries(a.enrichment).map(([k, v]) => [k, { ...v, ms: 0 }])) });
    const a = await runStages(article, inThreads.stages, { lastAttempt: true });
    const b = await runStages(article, inProcess, { lastAttempt: true });
    expect(Object.values(a.enrichment).every((e) => e.error === null)).toBe(true);
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
    expect(a.entities?.organizations.map((o) => o.name)).toContain('Palestinian Islamic Jihad');
  }, 180_000);

  it("records a patch the article schema rejects (a function) as that stage's error, checked in the thread", async () => {
    const { stages } = await threaded('fnpatch', 'enrich:\n  threads: 1\n  stages: [./fnpatch.mjs, wordcount]\n', { 'fnpatch.mjs': FN_PATCH });
    const a = await runStages(makeArticle(), stages);
    expect(a.enrichment.fnpatch?.error).toMatch(/NL_ENRICH_PATCH: enrichment stage fnpatch wrote an invalid summary/);
    expect(a.summary).toEqual(makeArticle().summary);
    expect(a.enrichment.wordcount?.error).toBeNull();
  });

  it("records a patch that cannot cross the thread boundary as that stage's error when it runs alone", async () => {
    const { stages } = await threaded('fnpatch-alone', 'enrich:\n  threads: 1\n  stages: [./fnpatch.mjs, wordcount]\n', { 'fnpatch.mjs': FN_PATCH });
    const alone = stages.map(({ batch: _, ...s }) => s);
    const a = await runStages(makeArticle(), alone);
    expect(a.enrichment.fnpatch?.error).toMatch(/could not be cloned/);
    expect(a.enrichment.wordcount?.error).toBeNull();
  });

  it('keeps a retryable fault retryable: rethrown for a retry, recorded on the last try', async () => {
    const { stages } = await threaded('flaky', 'enrich:\n  threads: 1\n  stages: [./flaky.mjs]\n', { 'flaky.mjs': FLAKY });
    await expect(runStages(makeArticle(), stages)).rejects.toThrow('service busy');
    const last = await runStages(makeArticle(), stages, { lastAttempt: true });
    expect(last.enrichment.flaky).toMatchObject({ version: '2', error: 'service busy' });
  });

  it('keeps a retryable fault in the middle of a batch retryable, and on the last try applies the stages around it', async () => {
    const { stages } = await threaded('flaky-batch', 'enrich:\n  threads: 1\n  stages: [wordcount, ./flaky.mjs, ./upper.mjs]\n', { 'flaky.mjs': FLAKY, 'upper.mjs': UPPER });
    await expect(runStages(makeArticle({ title: 'quiet harbour' }), stages)).rejects.toThrow('service busy');
    const last = await runStages(makeArticle({ title: 'quiet harbour' }), stages, { lastAttempt: true });
    expect(last.enrichment.flaky).toMatchObject({ version: '2', error: 'service busy' });
    expect(last.enrichment.upper?.error).toBeNull();
    expect(last.subtitle).toBe('QUIET HARBOUR');
    expect(last.wordCount).toBeGreaterThan(0);
  });

  it('names the file and the entry when a module cannot load in the thread', async () => {
    const { path, config } = project('broken', 'enrich:\n  threads: 1\n  stages: [wordcount, ./broken.mjs]\n', { 'broken.mjs': 'export default {\n' });
    await expect(loadEnrichStagesInThreads(config, path)).rejects.toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: enrich\\.stages\\[1\\]: enrichment stage module .*broken\\.mjs: cannot import`));
  });
});

function termStats(documents: number, counts: Record<string, number>): TermStats {
  const known = new Map(Object.entries(counts));
  return { documents, known, documentFrequency: (term) => known.get(term) ?? 0 };
}

// Each module stage writes what it saw of the term statistics.
const PEEK = `export default { name: 'peek', version: '1', writes: ['keywords'],
  run: (a, c) => ({ keywords: [String(c.terms.documents), String(c.terms.documentFrequency('budget'))] }) };\n`;
const BLIND = `export default { name: 'blind', version: '1', writes: ['summary'], readsTerms: false,
  run: (a, c) => ({ summary: c.terms.documents + '/' + c.terms.documentFrequency('budget') }) };\n`;

// Term statistics cross into an enrichment thread only for stages that read them (issue 10: copying
// them for every stage was most of the hand-off's cost); the stages that read them see the same counts.
describe('term statistics in enrichment threads', () => {
  it('sends them to a stage that does not say it ignores them, and not to one that does', async () => {
    const loaded = await threaded('peek', 'enrich:\n  threads: 1\n  stages: [./peek.mjs, ./blind.mjs]\n', { 'peek.mjs': PEEK, 'blind.mjs': BLIND });
    expect(loaded.stages.map((s) => [s.stage.name, s.stage.readsTerms])).toEqual([['peek', true], ['blind', false]]);
    const a = await runStages(makeArticle(), loaded.stages, { lastAttempt: true, terms: () => termStats(120, { budget: 7 }) });
    expect(a.keywords).toEqual(['120', '7']);
    expect(a.summary).toBe('0/0');
  });

  it('ranks keywords in a thread with the same frequencies as in-process, where they change the ranking', async () => {
    const { path, config } = project('keywords', 'enrich:\n  threads: 1\n  stages: [keywords]\n');
    const inThread = await loadEnrichStagesInThreads(config, path);
    opened.push(inThread);
    const inProcess = await loadEnrichStages(config, path);
    const article = makeArticle({
      title: 'Council approves harbour budget',
      text: 'The council approved the harbour budget on Tuesday after a long debate.\n\nThe budget funds dredging, new cranes and a ferry terminal. Council members said the harbour needs the dredging before winter.',
    });
    // "budget" and "council" in nearly every counted article, the harbour words in few.
    const terms = () => termStats(200, { budget: 190, council: 180, harbour: 2, dredging: 1, cranes: 1, ferry: 3, terminal: 4 });
    const counted = await runStages(article, inProcess, { lastAttempt: true, terms });
    const uncounted = await runStages(article, inProcess, { lastAttempt: true });
    expect(counted.keywords).not.toEqual(uncounted.keywords);
    const threaded = await runStages(article, inThread.stages, { lastAttempt: true, terms });
    expect(threaded.keywords).toEqual(counted.keywords);
  });
});

// A module stage that says which language it found (as the language stage does), and one that reads
// the term statistics and writes the counts it saw of one term, next to what it saw of the article.
const LANG = `export default { name: 'lang', version: '1', writes: ['language'], readsTerms: false, run: () => ({ language: 'de' }) };\n`;
const SEEN = `export default { name: 'seen', version: '1', writes: ['keywords'],
  run: (a, c) => ({ keywords: [a.language, a.subtitle ?? '-', String(c.terms.documentFrequency('hafen'))] }) };\n`;

// Consecutive thread stages are handed over together (issue 10: one hand-off per stage was a fifth of
// enrichment's CPU): each stage still sees the patches before it, and term statistics are asked again
// after a stage that may change the language, exactly as when they run one by one.
describe('enrichment stages handed to a thread in batches', () => {
  it('hands a run of stages over once per article, with the same output as in-process', async () => {
    const { path, config } = project('batch', 'enrich:\n  threads: 1\n  stages: [wordcount, ./upper.mjs, ./seen.mjs, sentiment]\n', { 'upper.mjs': UPPER, 'seen.mjs': SEEN });
    const inThreads = await loadEnrichStagesInThreads(config, path);
    opened.push(inThreads);
    const inProcess = await loadEnrichStages(config, path);
    const terms = () => termStats(50, { hafen: 4 });
    const article = makeArticle({ title: 'Harbour reopens', language: 'en' });
    const before = inThreads.handOffs();
    const a = await runStages(article, inThreads.stages, { lastAttempt: true, terms });
    expect(inThreads.handOffs() - before).toBe(1);
    const b = await runStages(article, inProcess, { lastAttempt: true, terms });
    const withoutTimes = (x: typeof a) => ({ ...x, enrichment: Object.fromEntries(Object.entries(x.enrichment).map(([k, v]) => [k, { ...v, ms: 0 }])) });
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
    expect(a.keywords).toEqual(['en', 'HARBOUR REOPENS', '4']);
    expect(Object.keys(a.enrichment)).toEqual(['wordcount', 'upper', 'seen', 'sentiment']);
  });

  it('cuts the batch after a stage that writes the language, and asks the term statistics again for the new one', async () => {
    const { stages, handOffs } = await threaded('batch-lang', 'enrich:\n  threads: 1\n  stages: [./lang.mjs, ./upper.mjs, ./seen.mjs]\n', { 'lang.mjs': LANG, 'upper.mjs': UPPER, 'seen.mjs': SEEN });
    const asked: Array<string | null> = [];
    const terms = (a: { language: string | null }) => {
      asked.push(a.language);
      return termStats(50, { hafen: a.language === 'de' ? 9 : 1 });
    };
    const before = handOffs();
    const a = await runStages(makeArticle({ title: 'Hafen', language: 'en' }), stages, { lastAttempt: true, terms });
    expect(handOffs() - before).toBe(2);
    expect(asked).toEqual(['en', 'de']);
    expect(a.keywords).toEqual(['de', 'HAFEN', '9']);
  });

  it('stops a stage that spins in the middle of a batch at its own limit, and applies the stages around it', async () => {
    // The other stages have long limits: the watchdog, not the batch's total, must stop the spinning one.
    const { stages, handOffs } = await threaded('batch-spin', 'enrich:\n  threads: 1\n  timeout: 50s\n  stages: [./upper.mjs, { module: ./spin.mjs, timeout: 300ms }, wordcount]\n', { 'upper.mjs': UPPER, 'spin.mjs': SPIN });
    const before = handOffs();
    const a = await runStages(makeArticle({ title: 'A spin story' }), stages);
    expect(a.enrichment.spin?.error).toMatch(/NL_ENRICH_TIMEOUT: enrichment stage spin did not finish within 300 ms; its thread was stopped/);
    expect(a.subtitle).toBe('A SPIN STORY');
    expect(a.wordCount).toBeGreaterThan(0);
    expect(Object.keys(a.enrichment)).toEqual(['upper', 'spin', 'wordcount']);
    // The batch, then the same batch without the spinning stage.
    expect(handOffs() - before).toBe(2);
  });

  it('runs a reprocess of some stages (only) as one batch of those', async () => {
    const { stages, handOffs } = await threaded('batch-only', 'enrich:\n  threads: 1\n  stages: [./lang.mjs, ./upper.mjs, wordcount, ./seen.mjs]\n', { 'lang.mjs': LANG, 'upper.mjs': UPPER, 'seen.mjs': SEEN });
    const before = handOffs();
    const a = await runStages(makeArticle({ title: 'Hafen', language: 'en' }), stages, { lastAttempt: true, only: ['upper', 'seen'], terms: () => termStats(5, { hafen: 2 }) });
    expect(handOffs() - before).toBe(1);
    expect(Object.keys(a.enrichment).filter((k) => ['lang', 'upper', 'wordcount', 'seen'].includes(k))).toEqual(['upper', 'seen']);
    expect(a.keywords).toEqual(['en', 'HAFEN', '2']);
  });
});
