import { loadEnrichStages } from '../adapters/enrich/load-stages.js';
import { redisAnswers } from '../adapters/redis/spawn-redis.js';
import { openStorage } from '../adapters/storage/open-storage.js';
import type { ArticleFilter } from '../adapters/storage/storage.js';
import type { Config } from '../config/schema.js';
import { NewsloomError } from '../lib/errors.js';
import { createRedis } from '../queues/connection.js';
import { closeQueues, createQueues, enqueue, jobId, type Queues } from '../queues/queues.js';
import type { Article } from '../stages/article.js';
import type { ConfiguredStage } from '../stages/enrich/run-stages.js';
import { loadCliConfig, parseCommand, parseSince } from './common.js';

const POLL_MS = 300;
const STALL_WARNING_MS = 30_000;

interface Tracked {
  storeJobId: string;
  phase: 'enrich' | 'store';
}

interface Progress {
  selected: number;
  queued: number;
  done: number;
  failed: number;
}

/**
 * `newsloom reprocess [--stage NAME] [--since DATE] [--feed URL] [--batch N]`: runs enrichment
 * again on stored articles (only stage NAME, and only articles whose enrichment.NAME.version is not
 * the configured one, so a re-run after a crash resumes where it stopped), through the enrich and
 * store queues of running workers. Prints progress until its jobs are done; exit 1 if any failed.
 */
export async function runReprocess(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { stage: { type: 'string' }, since: { type: 'string' }, feed: { type: 'string' }, batch: { type: 'string' } }, 'reprocess');
  const { config, path } = loadCliConfig(values.config);
  const stages = await loadEnrichStages(config, path);
  const stage = typeof values.stage === 'string' ? findStage(stages, values.stage) : null;
  const batch = parseBatch(values.batch);
  const filter: ArticleFilter = {
    ...(typeof values.since === 'string' ? { since: parseSince(values.since, 'reprocess') } : {}),
    ...(typeof values.feed === 'string' ? { feedUrl: values.feed } : {}),
    ...(stage ? { staleStage: { name: stage.stage.name, version: knownVersion(config, stage) } } : {}),
  };
  if (stage && filter.staleStage?.version === undefined) {
    process.stderr.write(`newsloom reprocess: ${stage.stage.name} is an HTTP stage without a configured version: every matching article is reprocessed\n`);
  }
  // One identity per article and stage versions: the same run again gives the same job ids.
  const signature = (stage ? [stage] : stages).map((s) => `${s.stage.name}@${s.stage.version}`).join(',');

  const url = config.redis.url ?? 'redis://127.0.0.1:6379';
  if (!config.redis.url && !(await redisAnswers('127.0.0.1', 6379))) {
    throw new NewsloomError('reprocess: no Redis answers on 127.0.0.1:6379 and redis.url is not set; is newsloom running?', 'NL_NO_REDIS', false);
  }
  const redis = createRedis(url, 'newsloom-reprocess');
  const queues = createQueues(redis, config);
  const storage = await openStorage(config.storage);
  try {
    const tracked = new Map<string, Tracked>();
    const progress: Progress = { selected: 0, queued: 0, done: 0, failed: 0 };
    let after: string | null = null;
    let more = true;
    let last = '';
    let lastChangeAt = Date.now();
    let warned = false;
    for (;;) {
      // At most two batches in Redis at once: each job carries its article.
      while (more && tracked.size < batch * 2) {
        const page = await storage.pageArticles(filter, after, batch);
        if (page.length < batch) more = false;
        if (page.length === 0) break;
        after = page.at(-1)!.id;
        progress.selected += page.length;
        for (const article of page) await queueOne(queues, article, stage?.stage.name, signature, tracked, progress);
      }
      await poll(queues, tracked, progress);
      const line = `reprocess: selected ${progress.selected}, queued ${progress.queued}, done ${progress.done}, failed ${progress.failed}`;
      if (line !== last) {
        process.stdout.write(`${line}\n`);
        last = line;
        lastChangeAt = Date.now();
      } else if (!warned && Date.now() - lastChangeAt > STALL_WARNING_MS) {
        process.stderr.write('newsloom reprocess: no progress for 30 s; is a worker running the enrich and store stages (newsloom start, or newsloom worker --stages enrich,store)?\n');
        warned = true;
      }
      if (!more && tracked.size === 0) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    process.stdout.write(`reprocess: finished: ${progress.done} done, ${progress.failed} failed\n`);
    return progress.failed > 0 ? 1 : 0;
  } finally {
    await storage.close();
    await closeQueues(queues);
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Queues one stored article to enrich; a job of the same identity still in flight (a crashed run's) is tracked, not added again. */
async function queueOne(queues: Queues, article: Article, only: string | undefined, signature: string, tracked: Map<string, Tracked>, progress: Progress): Promise<void> {
  const identity = `reprocess ${article.id} ${signature}`;
  const enrichJobId = jobId('enrich', identity);
  const storeJobId = jobId('store', `reprocess ${enrichJobId}`);
  const state = await queues.enrich.getJobState(enrichJobId);
  if (state === 'completed' || state === 'failed') {
    // A finished job of an earlier run: the article is still stale, so run it again.
    await queues.enrich.remove(enrichJobId);
    await queues.store.remove(storeJobId);
  }
  if (state === 'completed' || state === 'failed' || state === 'unknown') {
    const item = { feed: article.feed ?? { url: article.canonicalUrl }, url: article.url, guid: article.url, discoveredAt: article.fetchedAt };
    await enqueue(queues, 'enrich', { ...item, article, reprocess: true, ...(only ? { only: [only] } : {}) }, identity);
  }
  tracked.set(enrichJobId, { storeJobId, phase: 'enrich' });
  progress.queued++;
}

/** Moves tracked jobs on: enrich completed → its store job; store completed → done; either failed → failed. */
async function poll(queues: Queues, tracked: Map<string, Tracked>, progress: Progress): Promise<void> {
  for (const [id, t] of tracked) {
    if (t.phase === 'enrich') {
      const state = await queues.enrich.getJobState(id);
      if (state === 'failed') {
        tracked.delete(id);
        progress.failed++;
      } else if (state === 'completed' || state === 'unknown') {
        // Unknown: completed and already trimmed (queues.keepCompleted).
        t.phase = 'store';
      }
    }
    if (t.phase === 'store') {
      const state = await queues.store.getJobState(t.storeJobId);
      if (state === 'completed' || state === 'unknown') {
        tracked.delete(id);
        progress.done++;
      } else if (state === 'failed') {
        tracked.delete(id);
        progress.failed++;
      }
    }
  }
}

function findStage(stages: ConfiguredStage[], name: string): ConfiguredStage {
  const found = stages.find((s) => s.stage.name === name);
  if (!found) {
    throw new NewsloomError(`reprocess --stage: no enabled stage "${name}" in enrich.stages; expected one of ${stages.map((s) => s.stage.name).join(', ')}`, 'NL_USAGE', false);
  }
  return found;
}

/** The version a stage records, or undefined for an HTTP stage that reports its own (X-Stage-Version). */
function knownVersion(config: Readonly<Config>, configured: ConfiguredStage): string | undefined {
  const entry = config.enrich.stages.find((e) => e.kind === 'http' && e.enabled && (e.name ?? new URL(e.target).hostname) === configured.stage.name);
  return entry && entry.version === undefined ? undefined : configured.stage.version;
}

function parseBatch(value: unknown): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new NewsloomError(`reprocess --batch: expected a whole number from 1 to 10000, got ${JSON.stringify(value)}`, 'NL_USAGE', false);
  return n;
}
