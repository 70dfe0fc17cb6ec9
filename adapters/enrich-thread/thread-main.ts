import { workerData } from 'node:worker_threads';
import { loadLocalStage } from '../enrich/load-stages.js';
import { serveThread } from '../thread-pool/serve-thread.js';
import type { EnrichmentStage } from '../../stages/enrich/stage.js';
import { fromSnapshot, type EnrichTask, type EnrichThreadData, type StageDescription } from './enrich-pool.js';

// The body of one enrichment thread: every local stage loaded once, then run on request. The
// stage's signal never aborts here: a stage past its limit is stopped by ending this thread.
const { entries, baseDir } = workerData as EnrichThreadData;
const loaded: Array<{ stage: EnrichmentStage } | { error: string }> = [];
for (const entry of entries) {
  loaded.push(await loadLocalStage(entry, baseDir).then((stage) => ({ stage }), (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) })));
}
const never = new AbortController().signal;

serveThread((task: EnrichTask) => {
  if (task.kind === 'describe') {
    return loaded.map((l): StageDescription =>
      'stage' in l
        ? { ok: true, name: l.stage.name, version: l.stage.version, writes: [...l.stage.writes], readsTerms: l.stage.readsTerms !== false }
        : { ok: false, message: l.error });
  }
  const l = loaded[task.index];
  if (l === undefined || !('stage' in l)) throw new Error(`enrichment stage #${task.index} is not loaded in this thread`);
  return l.stage.run(task.article, { options: task.options, signal: never, terms: fromSnapshot(task.terms) });
}, '');
