import { workerData } from 'node:worker_threads';
import { loadLocalStage } from '../enrich/load-stages.js';
import { serveThread } from '../thread-pool/serve-thread.js';
import type { Article } from '../../stages/article.js';
import { runStages, type ConfiguredStage } from '../../stages/enrich/run-stages.js';
import { NO_TERMS, type ArticlePatch, type EnrichmentStage } from '../../stages/enrich/stage.js';
import { stepDone, stepStarted } from './batch-progress.js';
import { fromSnapshot, type BatchReply, type EnrichTask, type EnrichThreadData, type StageDescription } from './enrich-pool.js';

// The body of one enrichment thread: every local stage loaded once, then run on request. The
// stage's signal never aborts here: a stage past its limit is stopped by ending this thread.
const { entries, baseDir } = workerData as EnrichThreadData;
const loaded: Array<{ stage: EnrichmentStage } | { error: string }> = [];
for (const entry of entries) {
  loaded.push(await loadLocalStage(entry, baseDir).then((stage) => ({ stage }), (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) })));
}
const never = new AbortController().signal;

serveThread((task: EnrichTask): StageDescription[] | ArticlePatch | BatchReply | Promise<ArticlePatch | BatchReply> => {
  if (task.kind === 'describe') {
    return loaded.map((l): StageDescription =>
      'stage' in l
        ? { ok: true, name: l.stage.name, version: l.stage.version, writes: [...l.stage.writes], readsTerms: l.stage.readsTerms !== false }
        : { ok: false, message: l.error });
  }
  if (task.kind === 'batch') return runBatch(task);
  return stageAt(task.index).run(task.article, { options: task.options, signal: never, terms: fromSnapshot(task.terms) });
}, '');

function stageAt(index: number): EnrichmentStage {
  const l = loaded[index];
  if (l === undefined || !('stage' in l)) throw new Error(`enrichment stage #${index} is not loaded in this thread`);
  return l.stage;
}

/** The stages of a batch in order, as the worker would run them one by one; only what they changed goes back. */
async function runBatch(task: Extract<EnrichTask, { kind: 'batch' }>): Promise<BatchReply> {
  const terms = fromSnapshot(task.terms);
  const { progress } = task;
  const configured = task.steps.map(({ index, options, timeoutMs }, step): ConfiguredStage => {
    const stage = stageAt(index);
    const run: EnrichmentStage['run'] = (a, c) => {
      // What the worker's watchdog reads: which stage is running, since when; idle once it is done
      // (unless a later stage has started: an async stage abandoned at its limit may settle late).
      const at = stepStarted(progress, step);
      const done = () => stepDone(progress, step, at);
      let out: ReturnType<EnrichmentStage['run']>;
      try {
        // A stage that says it ignores term statistics gets none, as it would alone.
        out = stage.run(a, stage.readsTerms === false ? { ...c, terms: NO_TERMS } : c);
      } catch (err) {
        done();
        throw err;
      }
      if (out instanceof Promise) return out.finally(done);
      done();
      return out;
    };
    return { stage: { name: stage.name, version: stage.version, writes: stage.writes, readsTerms: stage.readsTerms !== false, run }, options, timeoutMs };
  });
  const out = await runStages(task.article, configured, { lastAttempt: task.lastAttempt, terms: () => terms });
  const patch: Record<string, unknown> = {};
  const enrichment: Article['enrichment'] = {};
  for (const { stage } of configured) {
    for (const field of stage.writes) if (out[field] !== task.article[field]) patch[field] = out[field];
    const record = out.enrichment[stage.name];
    if (record) enrichment[stage.name] = record;
  }
  return { patch: patch as ArticlePatch, enrichment };
}
