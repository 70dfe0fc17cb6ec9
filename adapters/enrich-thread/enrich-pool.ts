import type { Article } from '../../stages/article.js';
import type { EnrichStageEntry } from '../../config/schema.js';
import { describeError, NewsloomError } from '../../lib/errors.js';
import { isRetryableFault, runStages, type ConfiguredStage, type StageBatcher } from '../../stages/enrich/run-stages.js';
import type { ArticlePatch, EnrichmentStage, TermStats } from '../../stages/enrich/stage.js';
import { ThreadPool } from '../thread-pool/thread-pool.js';
import { newProgress, runningStep, type BatchProgress } from './batch-progress.js';

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

/** One stage of a batch: which loaded stage, its options, its time limit. */
export interface BatchStep {
  index: number;
  options: Readonly<Record<string, unknown>>;
  timeoutMs: number;
}

export type EnrichTask =
  | { kind: 'describe' }
  | { kind: 'run'; index: number; article: Article; options: Readonly<Record<string, unknown>>; terms: TermSnapshot }
  | {
      kind: 'batch';
      steps: BatchStep[];
      article: Article;
      terms: TermSnapshot;
      lastAttempt: boolean;
      /** Shared with the worker: which step the thread is running, since when. */
      progress: BatchProgress;
    };

/** What a batch sends back: only the fields its stages changed, and their enrichment records. */
export interface BatchReply {
  patch: ArticlePatch;
  enrichment: Article['enrichment'];
}

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
  /** The entry index of each stage proxy handed out by stage(): how a batch names its stages to the thread. */
  private readonly indexOf = new WeakMap<EnrichmentStage, number>();

  constructor(data: EnrichThreadData, opts: EnrichPoolOptions) {
    const label = (task: EnrichTask | null) =>
      task?.kind === 'run' ? (this.names[task.index] ?? stageLabel(data, task)) : task?.kind === 'batch' ? batchLabel(task, this.names) : '(loading)';
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
    const proxy: EnrichmentStage = {
      name: d.name,
      version: d.version,
      writes: d.writes as EnrichmentStage['writes'],
      readsTerms: d.readsTerms,
      run: async (article, context) => {
        // Only a stage that reads them gets the term statistics: copying them into the thread for every stage cost more than the article itself.
        const terms = d.readsTerms ? snapshot(context.terms) : NO_SNAPSHOT;
        const task: EnrichTask = { kind: 'run', index, article, options: context.options, terms };
        this.handOffs++;
        // The runner validates the patch (checkPatch), as for any stage.
        return (await this.pool.run(task, { signal: context.signal, timeoutMs })) as ArticlePatch;
      },
    };
    this.indexOf.set(proxy, index);
    return proxy;
  }

  /**
   * Runs consecutive stages of this pool in one task: the article crosses into a thread once and
   * only the changed fields come back (issue 10: one hand-off per stage cost about a fifth of
   * enrichment's CPU). The thread runs them with runStages, each under its own time limit (an async
   * stage is aborted at it; a synchronous one over it has its patch dropped), and writes which stage
   * it is in, and since when, to memory shared with this thread. A watchdog ends the thread when a
   * stage spins past its limit; that stage, or the one running when the thread ran out of memory or
   * died, gets the error, and the batch's other stages run again without it.
   */
  readonly batcher: StageBatcher = {
    run: (article, stages, opts) => this.runBatch(article, stages, opts),
  };

  private async runBatch(article: Article, stages: readonly ConfiguredStage[], { terms, lastAttempt }: { terms: TermStats; lastAttempt: boolean }): Promise<Article> {
    const steps = stages.map((s): BatchStep => {
      const index = this.indexOf.get(s.stage);
      if (index === undefined) throw new Error(`enrichment stage ${s.stage.name} is not one of this pool's stages`);
      return { index, options: s.options, timeoutMs: s.timeoutMs };
    });
    const progress = newProgress();
    const task: EnrichTask = { kind: 'batch', steps, article, terms: stages.some((s) => s.stage.readsTerms !== false) ? snapshot(terms) : NO_SNAPSHOT, lastAttempt, progress };
    const watched: Watched = { stages, progress, controller: new AbortController() };
    this.watch(watched);
    let reply: BatchReply;
    try {
      this.handOffs++;
      // The sum of the limits backs up the watchdog (a thread that never starts a stage).
      reply = (await this.pool.run(task, { timeoutMs: steps.reduce((sum, s) => sum + s.timeoutMs, 0) + WATCH_GRACE_MS, signal: watched.controller.signal })) as BatchReply;
    } catch (err) {
      // A stage's retryable fault comes back rebuilt as a plain Error: the job is retried.
      if (!(err instanceof NewsloomError) && isRetryableFault(err)) throw err;
      const running = runningStep(progress);
      const culprit = running ? stages[running.step] : undefined;
      if (!(err instanceof NewsloomError) || running === null || culprit === undefined) {
        // A reply that could not cross, or a thread that ended before any stage: each stage alone, as stage() runs it.
        const alone = stages.map(({ batch: _, ...s }): ConfiguredStage => s);
        return runStages(article, alone, { terms: () => terms, lastAttempt });
      }
      // A crash is retried, as when the stage ran alone; its timeout or memory cap is that stage's error.
      if (isRetryableFault(err) && !lastAttempt) throw err;
      const record = { version: culprit.stage.version, ms: Math.max(0, Date.now() - running.startedAt), error: describeError(err) };
      const rest = stages.filter((_, i) => i !== running.step);
      const out = rest.length > 0 ? await this.runBatch(article, rest, { terms, lastAttempt }) : article;
      return { ...out, enrichment: { ...out.enrichment, [culprit.stage.name]: record } };
    } finally {
      this.unwatch(watched);
    }
    return { ...article, ...reply.patch, enrichment: { ...article.enrichment, ...reply.enrichment } };
  }

  /** Batches in a thread now, checked every WATCH_EVERY_MS for a stage past its limit. */
  private readonly watched = new Set<Watched>();
  private watchdog: NodeJS.Timeout | null = null;

  private watch(w: Watched): void {
    this.watched.add(w);
    this.watchdog ??= setInterval(() => {
      const now = Date.now();
      for (const { stages, progress, controller } of this.watched) {
        const running = runningStep(progress);
        const stage = running ? stages[running.step] : undefined;
        // The thread times an async stage itself (runStages); the grace lets it, so only a stage that blocks its thread is ended here.
        if (running && stage && now - running.startedAt > stage.timeoutMs + WATCH_GRACE_MS && !controller.signal.aborted) {
          controller.abort(new NewsloomError(`enrichment stage ${stage.stage.name} did not finish within ${stage.timeoutMs} ms; its thread was stopped`, 'NL_ENRICH_TIMEOUT', false));
        }
      }
    }, WATCH_EVERY_MS).unref();
  }

  private unwatch(w: Watched): void {
    this.watched.delete(w);
    if (this.watched.size === 0 && this.watchdog !== null) {
      clearInterval(this.watchdog);
      this.watchdog = null;
    }
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** Tasks handed to the threads to run stages (one per batch; one per stage when run alone). */
  handOffs = 0;

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A batch in a thread: its stages, and which of them the thread is running, since when. */
interface Watched {
  stages: readonly ConfiguredStage[];
  progress: BatchProgress;
  controller: AbortController;
}

const WATCH_EVERY_MS = 50;
const WATCH_GRACE_MS = 100;

/** The stage a batch was running (the thread says which), else all of its stages. */
function batchLabel(task: Extract<EnrichTask, { kind: 'batch' }>, names: readonly string[]): string {
  const name = (index: number) => names[index] ?? `#${index}`;
  const step = runningStep(task.progress)?.step;
  const running = step === undefined ? undefined : task.steps[step];
  return running ? name(running.index) : task.steps.map((s) => name(s.index)).join(', ');
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
