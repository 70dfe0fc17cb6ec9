import { Article } from '../article.js';
import { describeError, NewsloomError } from '../../lib/errors.js';
import { NO_TERMS, type ArticlePatch, type EnrichContext, type EnrichmentStage, type TermStats } from './stage.js';

/** A stage as configured: the stage, its own options and its time limit. */
export interface ConfiguredStage {
  stage: EnrichmentStage;
  options: Readonly<Record<string, unknown>>;
  timeoutMs: number;
  /**
   * The stage enforces `timeoutMs` itself, from when it really starts (a stage in an enrichment
   * thread: the pool kills the thread), so time spent waiting for a free thread is not charged to it.
   */
  selfTimed?: boolean;
  /**
   * Runs this stage together with the consecutive stages that share the same batcher (an enrichment
   * thread pool: one hand-off per article instead of one per stage). Absent: the stage runs alone.
   */
  batch?: StageBatcher;
}

/**
 * Runs a run of consecutive stages in one go, with runStages' semantics over them (each stage's
 * options, time limit, patch check and error record; a retryable fault rethrown unless
 * `lastAttempt`), all with the same term statistics. Resolves to the article with their patches
 * and their `enrichment` records.
 */
export interface StageBatcher {
  run(article: Article, stages: readonly ConfiguredStage[], opts: { terms: TermStats; lastAttempt: boolean }): Promise<Article>;
}

export interface RunStagesOptions {
  /** Run only the stages with these names (`newsloom reprocess --stage`); every stage when absent. */
  only?: readonly string[];
  /** The job's last try: a retryable fault is recorded on the article instead of rethrown. */
  lastAttempt?: boolean;
  /**
   * Document frequencies for the article as it stands (an earlier stage may have set its language
   * or entities): asked again only when the language changed since the last ask.
   */
  terms?: (article: Article) => TermStats | Promise<TermStats>;
}

// Identity, dedupe and storage fields: no stage may write them.
const PROTECTED_FIELDS = new Set(['id', 'url', 'canonicalUrl', 'storyId', 'duplicateOf', 'enrichment', 'contentHash']);

/** The article fields an enrichment stage may declare in `writes`. */
export const WRITABLE_FIELDS: readonly (keyof ArticlePatch)[] = Object.keys(Article.shape).filter((k) => !PROTECTED_FIELDS.has(k)) as (keyof ArticlePatch)[];

export function isWritableField(name: string): name is keyof ArticlePatch {
  return (WRITABLE_FIELDS as readonly string[]).includes(name);
}

/**
 * Runs enrichment stages in order, each with its options and time limit, and records
 * `enrichment.<name> = { version, ms, error }`. A stage that throws, times out, or returns fields it
 * does not declare (or invalid values) records its error and its patch is dropped: enrichment never
 * loses an article, and `error === null` means the patch was applied. A retryable fault
 * (`retryable: true`, e.g. an HTTP stage answering 503) is rethrown so the job is retried with
 * backoff, except on the job's last try, when it is recorded like any other error.
 *
 * The time limit races the stage's promise and aborts `context.signal`. A synchronous, CPU-bound
 * stage cannot be interrupted on this thread: it runs to the end, and a run over its limit is
 * recorded as an error and its patch dropped, like a timeout.
 */
export async function runStages(article: Article, stages: readonly ConfiguredStage[], opts: RunStagesOptions = {}): Promise<Article> {
  let current = article;
  const enrichment = { ...article.enrichment };
  let asked = null as { language: string | null; stats: TermStats } | null;
  for (const group of batches(stages.filter((s) => !opts.only || opts.only.includes(s.stage.name)))) {
    if (opts.terms && asked?.language !== current.language) asked = { language: current.language, stats: await opts.terms(current) };
    const terms = asked?.stats ?? NO_TERMS;
    const started = performance.now();
    const [first] = group;
    if (first?.batch) {
      try {
        current = await first.batch.run(current, group, { terms, lastAttempt: opts.lastAttempt === true });
        for (const { stage } of group) enrichment[stage.name] = current.enrichment[stage.name] ?? { version: stage.version, ms: 0, error: 'no enrichment record came back from the batch' };
      } catch (err) {
        // A batcher records its stages' errors itself; what escapes is a retryable fault (or a bug in it).
        if (isRetryableFault(err) && !opts.lastAttempt) throw err;
        for (const { stage } of group) enrichment[stage.name] = { version: stage.version, ms: round(performance.now() - started), error: describeError(err) };
      }
      continue;
    }
    let error: string | null = null;
    try {
      const patch = await runOne(first!, current, terms);
      current = { ...current, ...patch };
    } catch (err) {
      if (isRetryableFault(err) && !opts.lastAttempt) throw err;
      error = describeError(err);
    }
    enrichment[first!.stage.name] = { version: first!.stage.version, ms: round(performance.now() - started), error };
  }
  return { ...current, enrichment };
}

/**
 * The stages in runs to hand over at once: consecutive stages with the same batcher, cut after a
 * stage that writes `language` (term statistics are asked again when the language changes, and a
 * batch has one set); a stage without a batcher alone.
 */
export function batches(stages: readonly ConfiguredStage[]): ConfiguredStage[][] {
  const out: ConfiguredStage[][] = [];
  let open: ConfiguredStage[] | null = null;
  for (const s of stages) {
    if (open && s.batch !== undefined && open[0]!.batch === s.batch) open.push(s);
    else out.push((open = [s]));
    if (s.batch === undefined || s.stage.writes.includes('language')) open = null;
  }
  return out;
}

async function runOne({ stage, options, timeoutMs, selfTimed }: ConfiguredStage, article: Article, terms: TermStats): Promise<ArticlePatch> {
  const controller = new AbortController();
  const context: EnrichContext = { options, signal: controller.signal, terms };
  if (selfTimed) return checkPatch(stage, await stage.run(article, context));
  const limit = () => new NewsloomError(`enrichment stage ${stage.name} did not finish within ${timeoutMs} ms`, 'NL_ENRICH_TIMEOUT', false);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = limit();
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  const started = performance.now();
  try {
    // Started in a microtask so that a stage throwing synchronously is caught like a rejection.
    const out: unknown = await Promise.race([Promise.resolve().then(() => stage.run(article, context)), timedOut]);
    // A synchronous stage blocks the timer: measure instead.
    if (performance.now() - started > timeoutMs) throw limit();
    return checkPatch(stage, out);
  } finally {
    clearTimeout(timer);
  }
}

/** The patch, validated: an object, only declared writable fields, each valid for the article schema. */
function checkPatch(stage: EnrichmentStage, out: unknown): ArticlePatch {
  const fail = (what: string) => new NewsloomError(`enrichment stage ${stage.name} ${what}`, 'NL_ENRICH_PATCH', false);
  if (typeof out !== 'object' || out === null || Array.isArray(out)) {
    throw fail(`returned ${out === null ? 'null' : Array.isArray(out) ? 'an array' : typeof out}, expected an object of article fields`);
  }
  const declared = stage.writes as readonly string[];
  const undeclared = Object.keys(out).filter((k) => !declared.includes(k) || !isWritableField(k));
  if (undeclared.length > 0) {
    throw fail(`wrote ${undeclared.join(', ')}, not declared in its writes (${declared.join(', ') || 'none'})`);
  }
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(out)) {
    const parsed = Article.shape[field as keyof ArticlePatch].safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
      throw fail(`wrote an invalid ${field}${at}: ${issue?.message ?? 'invalid value'}`);
    }
    patch[field] = parsed.data;
  }
  return patch as ArticlePatch;
}

/**
 * Only faults that say they are transient are retried: an unknown error from a stage is a bug or
 * bad input, which another try will not fix, so it is recorded (unlike lib/errors.ts#isRetryable,
 * which retries unknown errors of the pipeline's own I/O).
 */
export function isRetryableFault(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
