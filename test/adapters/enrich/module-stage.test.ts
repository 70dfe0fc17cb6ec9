import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnrichStages } from '../../../adapters/enrich/load-stages.js';
import { loadModuleStage } from '../../../adapters/enrich/module-stage.js';
import { loadConfig } from '../../../config/load.js';
import { runStages } from '../../../stages/enrich/run-stages.js';
import { DEFAULT_STAGES } from '../../../stages/enrich/builtin-stages.js';
import { makeArticle } from '../../helpers/articles.js';

const dir = mkdtempSync(join(tmpdir(), 'newsloom-stage-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, source: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, source);
  return path;
}

const SHOUT = `export default {
  name: 'shout', version: '3', writes: ['summary'],
  run: (article, { options }) => ({ summary: article.title.toUpperCase() + (options.suffix ?? '') }),
};\n`;

describe('loadModuleStage', () => {
  it('takes the default export of an ES module and runs it like a built-in', async () => {
    const stage = await loadModuleStage(file('shout.mjs', SHOUT));
    expect(stage).toMatchObject({ name: 'shout', version: '3', writes: ['summary'] });
    const a = await runStages(makeArticle(), [{ stage, options: { suffix: '!' }, timeoutMs: 1_000 }]);
    expect(a.summary).toBe('COUNCIL APPROVES BUDGET!');
    expect(a.enrichment.shout).toMatchObject({ version: '3', error: null });
  });

  it('takes an export named stage when there is no default export', async () => {
    const path = file('named.mjs', `export const stage = { name: 'named', version: '1', writes: ['keywords'], run: async () => ({ keywords: ['a'] }) };\n`);
    expect((await loadModuleStage(path)).name).toBe('named');
  });

  it('names the file and every problem with the shape', async () => {
    const path = file('bad-shape.mjs', `export default { name: 'has space', writes: ['title', 'storyId', 'nonsense'], run: 'no' };\n`);
    const err = (await loadModuleStage(path).then(() => null, (e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('NL_ENRICH_MODULE');
    expect(err.message).toContain(`enrichment stage module ${path}: name: expected letters, digits`);
    expect(err.message).toContain('version: expected a non-empty string, got nothing');
    expect(err.message).toContain('writes: "storyId", "nonsense" not writable; expected some of');
    expect(err.message).toContain('run: expected a function');
  });

  it('names the file when it cannot be imported', async () => {
    const path = file('syntax.mjs', 'export default {\n');
    await expect(loadModuleStage(path)).rejects.toThrow(new RegExp(`^enrichment stage module ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot import: `));
    await expect(loadModuleStage(join(dir, 'missing.mjs'))).rejects.toThrow(/missing\.mjs: cannot import/);
  });

  it('says what to export when the module exports no stage', async () => {
    await expect(loadModuleStage(file('empty.mjs', 'export const x = 1;\n'))).rejects.toThrow(/expected a default export \(or an export named stage\)/);
  });
});

describe('enrich.stages in config', () => {
  function config(name: string, yaml: string) {
    const path = file(join(name, 'newsloom.yaml'), yaml);
    return { path, config: loadConfig(path, {}).config };
  }

  it('runs the built-in default stages when none are configured', async () => {
    const { path, config: c } = config('defaults', '');
    const stages = await loadEnrichStages(c, path);
    expect(stages.map((s) => s.stage.name)).toEqual([...DEFAULT_STAGES]);
    expect(stages.every((s) => s.timeoutMs === 20_000)).toBe(true);
  });

  it('resolves module paths against the config file, in config order, with options, names and time limits', async () => {
    file('project/stages/shout.mjs', SHOUT);
    const { path, config: c } = config('project', [
      'enrich:',
      '  timeout: 2s',
      '  stages:',
      '    - ./stages/shout.mjs',
      '    - wordcount',
      '    - { module: ./stages/shout.mjs, name: shout-again, options: { suffix: "?" }, timeout: 300ms }',
      '    - { stage: language, enabled: false }',
    ].join('\n'));
    const stages = await loadEnrichStages(c, path);
    expect(stages.map((s) => [s.stage.name, s.stage.version, s.timeoutMs, s.options])).toEqual([
      ['shout', '3', 2_000, {}], ['wordcount', '1', 2_000, {}], ['shout-again', '3', 300, { suffix: '?' }],
    ]);
  });

  it('names the entry when two stages would record under one name, or a module fails to load', async () => {
    file('dupe/shout.mjs', SHOUT);
    const dupe = config('dupe', 'enrich:\n  stages: [wordcount, ./shout.mjs, { module: ./shout.mjs }]\n');
    await expect(loadEnrichStages(dupe.config, dupe.path)).rejects.toThrow(`${dupe.path}: enrich.stages[2]: stage name "shout" is already used by enrich.stages[1]; give one of them a name`);
    const missing = config('missing', 'enrich:\n  stages: [./nope.mjs]\n');
    await expect(loadEnrichStages(missing.config, missing.path)).rejects.toThrow(new RegExp(`enrich\\.stages\\[0\\]: enrichment stage module .*nope\\.mjs: cannot import`));
  });

  it('rejects an unknown built-in by key, listing the known names', () => {
    const path = file('unknown/newsloom.yaml', 'enrich:\n  stages: [language, wordcount, ./x.mjs, lenguage, { stage: nope }, { module: x.mjs }, { http: http://a.example/, module: ./y.mjs }]\n');
    let message = '';
    try {
      loadConfig(path, {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`${path}: enrich.stages[3]: expected a built-in stage (language, wordcount`);
    expect(message).toContain('or a module path starting with ./, ../ or /, got "lenguage"');
    expect(message).toContain(`${path}: enrich.stages[4]: expected stage to name a built-in stage (language, wordcount`);
    expect(message).toContain(`${path}: enrich.stages[5]: expected module to be a path starting with ./, ../ or /, got "x.mjs"`);
    expect(message).toContain(`${path}: enrich.stages[6]: expected exactly one of stage, module or http, got several`);
  });
});
