import type { Article } from '../../stages/article.js';
import type { EnrichStageEntry } from '../../config/schema.js';
import { NewsloomError } from '../../lib/errors.js';
import type { ArticlePatch, EnrichmentStage, TermStats } from '../../stages/enrich/stage.js';
import { ThreadPool } from '../thread-pool/thread-pool.js';

/** What every enrichment thread loads: the built-in and module stages, in config order. */
export interface EnrichThreadData {
  entries: Array<Pick<EnrichStageEntry, 'kind' | 'target' | 'name'>>;
  /** Module paths are resolved against this folder (the config file's). */
  baseDir: string;
}

/** Document frequencies as data: the terms the pipeline looked up for this article, and their counts. */
export interface TermSnapshot {
  documents: number;
  known: ReadonlyMap<string, number>;
}

/** One stage as a thread loaded it: its identity, or why it could not load. */
export type StageDescription = { ok: true; name: string; version: string; writes: string[]; readsTerms: boolean } | { ok: false; message: string };

export type EnrichTask =
  | { kind: 'describe' }
  | { kind: 'run'; index: number; article: Article; options: Readonly<Record<string, unknown>>; terms: TermSnapshot };

export interface EnrichPoolOptions {
  /** Threads kept, each with every local stage loaded. */
  size: number;
  /** V8 old-space cap of each thread (worker_threads resourceLimits). */
  maxOldGenerationSizeMb: number;
}

/**
 * Built-in and user module stages run in worker threads: a stage that spins (`while (true)`) or
 * allocates without bound is killed at its time limit or memory cap with its thread, which is
 * replaced at once (keepWarm), and the worker's event loop stays free to renew its BullMQ locks.
 * HTTP stages stay in the worker process: they only wait on I/O.
 */
export class EnrichPool {
  private readonly pool: ThreadPool<EnrichTask, unknown>;
  /** Stage names by entry, once described: what errors call them. */
  private names: string[] = [];

  constructor(data: EnrichThreadData, opts: EnrichPoolOptions) {
    const label = (task: EnrichTask | null) => (task?.kind === 'run' ? (this.names[task.index] ?? stageLabel(data, task)) : '(loading)');
    this.pool = new ThreadPool<EnrichTask, unknown>({
      entry: new URL('./thread-entry.mjs', import.meta.url),
      size: Math.max(1, opts.size),
      timeoutMs: 60_000,
      maxOldGenerationSizeMb: opts.maxOldGenerationSizeMb,
      workerData: data,
      keepWarm: true,
      errors: {
        timeout: (task, ms) => new NewsloomError(`enrichment stage ${label(task)} did not finish within ${ms} ms; its thread was stopped`, 'NL_ENRICH_TIMEOUT', false),
        crash: (task, err, limitMb) =>
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new NewsloomError(`enrichment stage ${label(task)} ran out of memory (thread limit ${limitMb} MB); its thread was stopped`, 'NL_ENRICH_MEMORY', false, { cause: err })
            : new NewsloomError(`enrichment thread failed${task ? ` in stage ${label(task)}` : ' to start'}: ${err.message}`, 'NL_ENRICH_CRASH', task !== null, { cause: err }),
        closed: () => new NewsloomError('the enrichment thread pool is closed', 'NL_POOL_CLOSED', false),
        // A stage's own error keeps its message, code and retryable flag, as if it had run in-process.
        rebuild: (e) => Object.assign(new Error(e.message), { name: e.name, ...(e.code ? { code: e.code } : {}), ...(e.retryable ? { retryable: true } : {}) }),
      },
    });
  }

  /** Starts every thread, then asks one what it loaded: one description per entry, in order. */
  async describe(): Promise<StageDescription[]> {
    await this.pool.warm();
    const described = (await this.pool.run({ kind: 'describe' })) as StageDescription[];
    this.names = described.map((d, i) => (d.ok ? d.name : `#${i}`));
    return described;
  }

  /**
   * The stage at `index` as a proxy whose run() happens in a thread. Its time limit runs from when a
   * thread takes the task (the runner leaves it to the pool: ConfiguredStage.selfTimed); past it, or
   * when the stage's signal aborts, the thread is ended and replaced.
   */
  stage(index: number, d: Extract<StageDescription, { ok: true }>, timeoutMs: number): EnrichmentStage {
    return {
      name: d.name,
      version: d.version,
      writes: d.writes as EnrichmentStage['writes'],
      readsTerms: d.readsTerms,
      run: async (article, context) => {
        // Only a stage that reads them gets the term statistics: copying them into the thread for every stage cost more than the article itself.
        const terms = d.readsTerms ? snapshot(context.terms) : NO_SNAPSHOT;
        const task: EnrichTask = { kind: 'run', index, article, options: context.options, terms };
        // The runner validates the patch (checkPatch), as for any stage.
        return (await this.pool.run(task, { signal: context.signal, timeoutMs })) as ArticlePatch;
      },
    };
  }

  get threads(): number {
    return this.pool.threads;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function stageLabel(data: EnrichThreadData, task: EnrichTask | null): string {
  if (task === null || task.kind !== 'run') return '(loading)';
  const e = data.entries[task.index];
  return e?.name ?? e?.target ?? `#${task.index}`;
}

const NO_SNAPSHOT: TermSnapshot = { documents: 0, known: new Map() };

/** TermStats crosses the thread boundary as data: the counts the pipeline looked up (term-stats.ts keeps them in `known`). */
export function snapshot(terms: TermStats): TermSnapshot {
  return { documents: terms.documents, known: terms.known ?? new Map() };
}

export function fromSnapshot(s: TermSnapshot): TermStats {
  return { documents: s.documents, known: s.known, documentFrequency: (term) => s.known.get(term) ?? 0 };
}
