import { describe, expect, it } from 'vitest';
import { NewsloomError } from '../../../lib/errors.js';
import { batches, runStages, type ConfiguredStage, type StageBatcher } from '../../../stages/enrich/run-stages.js';
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

// A batcher that runs its stages here, one by one, and counts the batches it was given.
function countingBatcher(): StageBatcher & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: (article, stages, { terms, lastAttempt }) => {
      calls.push(stages.map((s) => s.stage.name));
      return runStages(article, stages.map(({ batch: _, ...s }) => s), { terms: () => terms, lastAttempt });
    },
  };
}

const writer = (name: string, writes: EnrichmentStage['writes']): EnrichmentStage => ({ name, version: '1', writes, run: () => ({}) });

describe('batches of stages', () => {
  it('groups consecutive stages with the same batcher, cut after a stage that writes the language and around a stage without one', () => {
    const a = countingBatcher();
    const b = countingBatcher();
    const s = (name: string, batch?: StageBatcher, writes: EnrichmentStage['writes'] = ['summary']): ConfiguredStage => ({ stage: writer(name, writes), options: {}, timeoutMs: 1_000, ...(batch ? { batch } : {}) });
    const stages = [s('lang', a, ['language']), s('w', a), s('e', a), s('http'), s('k', a), s('q', b), s('r', b, ['language', 'summary']), s('t', b)];
    expect(batches(stages).map((g) => g.map((c) => c.stage.name))).toEqual([['lang'], ['w', 'e'], ['http'], ['k'], ['q', 'r'], ['t']]);
    expect(batches([])).toEqual([]);
  });

  it('hands each batch over once, with term statistics asked as when the stages run one by one', async () => {
    const batcher = countingBatcher();
    const lang: EnrichmentStage = { name: 'lang', version: '1', writes: ['language'], run: () => ({ language: 'fr' }) };
    const peek: EnrichmentStage = { name: 'peek', version: '1', writes: ['keywords'], run: (a, c) => ({ keywords: [a.language ?? '-', String(c.terms.documents)] }) };
    const asked: Array<string | null> = [];
    const terms = (a: Article): TermStats => (asked.push(a.language), { documents: a.language === 'fr' ? 2 : 1, documentFrequency: () => 0 });
    const stages: ConfiguredStage[] = [lang, keywords(), peek].map((stage) => ({ ...configured(stage), batch: batcher }));
    const a = await runStages(makeArticle({ language: 'en' }), stages, { terms });
    expect(batcher.calls).toEqual([['lang'], ['keywords', 'peek']]);
    expect(asked).toEqual(['en', 'fr']);
    expect(a.keywords).toEqual(['fr', '2']);
    expect(Object.keys(a.enrichment)).toEqual(['lang', 'keywords', 'peek']);
    const one = await runStages(makeArticle({ language: 'en' }), stages.map(({ batch: _, ...s }) => s), { terms });
    const withoutTimes = (x: Article) => ({ ...x, enrichment: Object.fromEntries(Object.entries(x.enrichment).map(([k, v]) => [k, { ...v, ms: 0 }])) });
    expect(withoutTimes(a)).toEqual(withoutTimes(one));
  });

  it("records a batcher's unexpected failure on each of its stages, and rethrows a retryable one unless it is the last try", async () => {
    const broken: StageBatcher = { run: () => Promise.reject(new Error('batch lost')) };
    const busy: StageBatcher = { run: () => Promise.reject(Object.assign(new Error('busy'), { retryable: true })) };
    const two = (batch: StageBatcher): ConfiguredStage[] => [keywords(), writer('other', ['summary'])].map((stage) => ({ ...configured(stage), batch }));
    const a = await runStages(makeArticle(), two(broken));
    expect([a.enrichment.keywords?.error, a.enrichment.other?.error]).toEqual(['batch lost', 'batch lost']);
    await expect(runStages(makeArticle(), two(busy))).rejects.toThrow('busy');
    const last = await runStages(makeArticle(), two(busy), { lastAttempt: true });
    expect(last.enrichment.other?.error).toBe('busy');
  });
});
