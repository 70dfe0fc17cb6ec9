import { describe, expect, it } from 'vitest';
import { NewsloomError } from '../../../lib/errors.js';
import { runStages, type ConfiguredStage } from '../../../stages/enrich/run-stages.js';
import type { EnrichmentStage, TermStats } from '../../../stages/enrich/stage.js';
import type { Article } from '../../../stages/article.js';
import { makeArticle } from '../../helpers/articles.js';

const configured = (stage: EnrichmentStage, options: Record<string, unknown> = {}, timeoutMs = 1_000): ConfiguredStage => ({ stage, options, timeoutMs });

const keywords = (version = '1'): EnrichmentStage => ({
  name: 'keywords',
  version,
  writes: ['keywords'],
  run: (a, { options }) => ({ keywords: a.title.toLowerCase().split(' ').slice(0, Number(options.max ?? 10)) }),
});

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('runStages', () => {
  it('runs stages in config order, each seeing the previous patch, with its own options', async () => {
    const upper: EnrichmentStage = { name: 'upper', version: '2', writes: ['summary'], run: async (a) => ({ summary: (a.keywords ?? []).join('+').toUpperCase() }) };
    const a = await runStages(makeArticle(), [configured(keywords(), { max: 2 }), configured(upper)]);
    expect(a.keywords).toEqual(['council', 'approves']);
    expect(a.summary).toBe('COUNCIL+APPROVES');
    expect(a.enrichment.keywords).toMatchObject({ version: '1', error: null });
    expect(a.enrichment.upper).toMatchObject({ version: '2', error: null });
    expect(a.enrichment.upper!.ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps enrichment records of stages that did not run, and runs only the named ones', async () => {
    const before = makeArticle({ keywords: ['old'], enrichment: { keywords: { version: '1', ms: 1, error: null }, other: { version: '7', ms: 1, error: null } } });
    const counter = { name: 'other', version: '8', writes: ['summary'], run: () => ({ summary: 'ran' }) } satisfies EnrichmentStage;
    const a = await runStages(before, [configured(keywords('2')), configured(counter)], { only: ['keywords'] });
    expect(a.keywords).toEqual(['council', 'approves', 'budget']);
    expect(a.summary).toBeUndefined();
    expect(a.enrichment.keywords!.version).toBe('2');
    expect(a.enrichment.other).toEqual({ version: '7', ms: 1, error: null });
  });

  it('records a failing stage on the article and still returns it, with the next stages run', async () => {
    const broken: EnrichmentStage = { name: 'broken', version: '0.1', writes: ['summary'], run: () => { throw new Error('model missing'); } };
    const a = await runStages(makeArticle(), [configured(broken), configured(keywords())]);
    expect(a.enrichment.broken).toMatchObject({ version: '0.1', error: 'model missing' });
    expect(a.title).toBe('Council approves budget');
    expect(a.keywords).toHaveLength(3);
  });

  it('stops waiting for an async stage at its time limit, aborts its signal and records the timeout', async () => {
    let aborted: unknown = null;
    const slow: EnrichmentStage = {
      name: 'slow', version: '1', writes: ['summary'],
      run: (_a, { signal }) => new Promise((resolve) => {
        signal.addEventListener('abort', () => (aborted = signal.reason));
        setTimeout(() => resolve({ summary: 'late' }), 2_000).unref();
      }),
    };
    const started = Date.now();
    const a = await runStages(makeArticle(), [configured(slow, {}, 50)]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(a.summary).toBeUndefined();
    expect(a.enrichment.slow!.error).toBe('NL_ENRICH_TIMEOUT: enrichment stage slow did not finish within 50 ms');
    expect((aborted as NewsloomError).code).toBe('NL_ENRICH_TIMEOUT');
  });

  it('records a synchronous stage that overran its limit as an error and drops its patch', async () => {
    const cpu: EnrichmentStage = { name: 'cpu', version: '1', writes: ['summary'], run: () => { busyWait(80); return { summary: 'done' }; } };
    const a = await runStages(makeArticle(), [configured(cpu, {}, 20)]);
    expect(a.summary).toBeUndefined();
    expect(a.enrichment.cpu!.error).toMatch(/^NL_ENRICH_TIMEOUT: .*within 20 ms/);
  });

  it('drops a patch that writes fields the stage does not declare, naming them', async () => {
    const sneaky: EnrichmentStage = { name: 'sneaky', version: '1', writes: ['keywords'], run: (a) => ({ keywords: ['x'], title: 'Hijacked', ...{ storyId: 's' } }) as never };
    const a = await runStages(makeArticle(), [configured(sneaky)]);
    expect(a.title).toBe('Council approves budget');
    expect(a.keywords).toBeUndefined();
    expect(a.enrichment.sneaky!.error).toBe('NL_ENRICH_PATCH: enrichment stage sneaky wrote title, storyId, not declared in its writes (keywords)');
  });

  it('drops a patch with an invalid value, naming the field', async () => {
    const bad: EnrichmentStage = { name: 'bad', version: '1', writes: ['sentiment'], run: () => ({ sentiment: { score: 'high', label: 'positive' } }) as never };
    const a = await runStages(makeArticle(), [configured(bad)]);
    expect(a.sentiment).toBeUndefined();
    expect(a.enrichment.bad!.error).toMatch(/^NL_ENRICH_PATCH: enrichment stage bad wrote an invalid sentiment\.score: /);
  });

  it('rethrows a retryable fault so the job is retried, except on its last attempt', async () => {
    const flaky: EnrichmentStage = {
      name: 'flaky', version: '1', writes: ['summary'],
      run: () => { throw new NewsloomError('POST http://x.example/ answered 503', 'NL_HTTP_STAGE_STATUS', true); },
    };
    await expect(runStages(makeArticle(), [configured(flaky)])).rejects.toMatchObject({ code: 'NL_HTTP_STAGE_STATUS', retryable: true });
    const a = await runStages(makeArticle(), [configured(flaky)], { lastAttempt: true });
    expect(a.enrichment.flaky!.error).toBe('NL_HTTP_STAGE_STATUS: POST http://x.example/ answered 503');
  });

  it('records a permanent NewsloomError without retrying', async () => {
    const refused: EnrichmentStage = { name: 'refused', version: '1', writes: ['summary'], run: () => { throw new NewsloomError('bad input', 'NL_X', false); } };
    const a = await runStages(makeArticle(), [configured(refused)]);
    expect(a.enrichment.refused!.error).toBe('NL_X: bad input');
  });

  it('gives each stage the term statistics of the language the article has by then', async () => {
    const seen: Array<string | null> = [];
    const terms = ({ language }: Article): TermStats => {
      seen.push(language);
      return { documents: 10, documentFrequency: (t) => (language === 'de' && t === 'rat' ? 3 : 0) };
    };
    const setLang: EnrichmentStage = { name: 'lang', version: '1', writes: ['language'], run: () => ({ language: 'de' }) };
    const useTerms: EnrichmentStage = { name: 'df', version: '1', writes: ['keywords'], run: (_a, ctx) => ({ keywords: [`rat:${ctx.terms.documentFrequency('rat')}/${ctx.terms.documents}`] }) };
    const a = await runStages(makeArticle({ language: 'en' }), [configured(useTerms), configured(setLang), configured(useTerms), configured(useTerms)], { terms });
    // Asked once per language the article had, not once per stage.
    expect(seen).toEqual(['en', 'de']);
    expect(a.keywords).toEqual(['rat:3/10']);
  });

  it('rejects a patch that is not an object', async () => {
    const nothing: EnrichmentStage = { name: 'nothing', version: '1', writes: ['summary'], run: () => undefined as never };
    const a = await runStages(makeArticle(), [configured(nothing)]);
    expect(a.enrichment.nothing!.error).toMatch(/returned undefined, expected an object/);
  });
});
