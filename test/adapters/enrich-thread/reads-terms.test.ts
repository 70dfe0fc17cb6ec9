import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnrichStages, loadEnrichStagesInThreads, type ThreadedStages } from '../../../adapters/enrich/load-stages.js';
import { loadConfig } from '../../../config/load.js';
import { runStages } from '../../../stages/enrich/run-stages.js';
import type { TermStats } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

// Term statistics cross into an enrichment thread only for stages that read them (issue 10: copying
// them for every stage was most of the hand-off's cost); the stages that read them see the same counts.
const dir = mkdtempSync(join(tmpdir(), 'newsloom-reads-terms-'));
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

function termStats(documents: number, counts: Record<string, number>): TermStats {
  const known = new Map(Object.entries(counts));
  return { documents, known, documentFrequency: (term) => known.get(term) ?? 0 };
}

// Each module stage writes what it saw of the term statistics.
const PEEK = `export default { name: 'peek', version: '1', writes: ['keywords'],
  run: (a, c) => ({ keywords: [String(c.terms.documents), String(c.terms.documentFrequency('budget'))] }) };\n`;
const BLIND = `export default { name: 'blind', version: '1', writes: ['summary'], readsTerms: false,
  run: (a, c) => ({ summary: c.terms.documents + '/' + c.terms.documentFrequency('budget') }) };\n`;

describe('term statistics in enrichment threads', () => {
  it('sends them to a stage that does not say it ignores them, and not to one that does', async () => {
    const { path, config } = project('peek', 'enrich:\n  threads: 1\n  stages: [./peek.mjs, ./blind.mjs]\n', { 'peek.mjs': PEEK, 'blind.mjs': BLIND });
    const loaded = await loadEnrichStagesInThreads(config, path);
    opened.push(loaded);
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
