import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';
import type { QueueName } from '../queues/names.js';
import { payloads, type Payload } from '../queues/payloads.js';
import { jobId, type Queues } from '../queues/queues.js';
import { itemKey, seenKey } from '../stages/feeds/select-new-items.js';
import { storableString } from '../stages/normalise/clean-text.js';
import type { AcceptedItem } from '../adapters/storage/ledger.js';
import type { WorkerContext } from './context.js';

/**
 * Failures that another fetch cures: the raw page left Redis before extraction (Redis restarted
 * empty, or its TTL passed), or its blob there does not unpack. The item stays pending, and the
 * reconciler fetches it again.
 */
const REFETCH_CODES = ['NL_PAGE_EXPIRED', 'NL_PAGE_CORRUPT'];
const curedByRefetch = (reason: string) => REFETCH_CODES.some((code) => reason.startsWith(`${code}:`));

/** The stages whose jobs carry an item, in pipeline order; each job's id is `<stage>-<sha1 of itemKey>`. */
export const ITEM_STAGES = ['fetch', 'extract', 'normalise', 'dedupe', 'enrich', 'store'] as const satisfies readonly QueueName[];

export interface PollAcceptance {
  /** Fetch jobs enqueued (new, re-published, or still pending: the job id makes a queued one a no-op). */
  enqueued: number;
  /** New to the ledger, or re-published under a new seen key. */
  fresh: number;
  /** Stored or skipped before: marked seen again (Redis had lost them). */
  reseen: number;
}

/**
 * Records a poll's unseen items in the ledger as pending, then enqueues their fetch jobs (one
 * addBulk): so an item is never in a queue without a row that outlives the queue. Items the ledger
 * already holds as stored or skipped are not fetched again but marked seen again, so a seen set
 * Redis lost repairs itself; failed ones are left alone (their reason is in the ledger).
 */
export async function acceptPolledItems(ctx: WorkerContext, feedUrl: string, jobs: ReadonlyArray<Payload<'fetch'>>): Promise<PollAcceptance> {
  // One row per article URL: two items of one poll linking the same page are one fetch, as before.
  const byKey = new Map<string, AcceptedItem>();
  for (const payload of jobs) {
    const k = itemKey(payload);
    // A guid as the ledger can store it (a hostile feed's NUL or lone surrogate: PostgreSQL refuses both).
    // itemKey needs no such care: a canonical URL is serialised by WHATWG URL, which percent-encodes them.
    if (!byKey.has(k)) byKey.set(k, { itemKey: k, seenKey: storableString(seenKey(payload)), feedUrl, payload });
  }
  const all = [...byKey.values()];
  const total: PollAcceptance = { enqueued: 0, fresh: 0, reseen: 0 };
  // In batches: a 10,000-item feed is 10,000 rows and jobs, and one addBulk of them all would build
  // every command in memory at once (the security case P2 caps a feeds worker's peak RSS).
  for (let i = 0; i < all.length; i += ACCEPT_BATCH) {
    const done = await acceptBatch(ctx, feedUrl, all.slice(i, i + ACCEPT_BATCH));
    total.enqueued += done.enqueued;
    total.fresh += done.fresh;
    total.reseen += done.reseen;
  }
  return total;
}

const ACCEPT_BATCH = 500;

async function acceptBatch(ctx: WorkerContext, feedUrl: string, items: AcceptedItem[]): Promise<PollAcceptance> {
  const outcomes = await (await ctx.storage()).acceptItems(items);
  const republished = items.filter((_, i) => outcomes[i] === 'republished');
  // A re-published item's earlier jobs, finished, would make the new add a no-op.
  await Promise.all(republished.map(async (item) => removeJobs(ctx.queues, finishedOf(await jobsOf(ctx.queues, item.itemKey)))));
  const toFetch = items.filter((_, i) => outcomes[i] === 'new' || outcomes[i] === 'republished' || outcomes[i] === 'pending');
  await enqueueFetches(ctx.queues, toFetch);
  const reseen = items.filter((_, i) => outcomes[i] === 'stored' || outcomes[i] === 'skipped');
  for (const item of reseen) await ctx.seen.markSeen(feedUrl, { seenKey: item.seenKey, urlKey: item.itemKey });
  return { enqueued: toFetch.length, fresh: outcomes.filter((o) => o === 'new' || o === 'republished').length, reseen: reseen.length };
}

/** Adds the fetch jobs of ledger items in one round trip, each under its item's job id (an existing job is left as it is). */
export async function enqueueFetches(queues: Queues, items: ReadonlyArray<Pick<AcceptedItem, 'itemKey' | 'payload'>>): Promise<void> {
  if (items.length === 0) return;
  await queues.fetch.addBulk(items.map((i) => ({ name: 'fetch', data: payloads.fetch.parse(i.payload), opts: { jobId: jobId('fetch', i.itemKey) } })));
}

/** Where an item's jobs stand: a job still to run (or retrying, or parked), a failed one, or only finished ones. */
export type ItemJobs =
  | { kind: 'in-flight'; stage: QueueName }
  | { kind: 'failed'; stage: QueueName; reason: string; finished: Array<[QueueName, string]> }
  | { kind: 'none'; finished: Array<[QueueName, string]> };

/**
 * The jobs of one item identity across the item stages, read in pipeline order: a handler adds
 * the next stage's job before its own completes, so a chain moving on while this reads is still
 * found in flight at some later stage.
 */
export async function jobsOf(queues: Queues, key: string): Promise<ItemJobs> {
  const finished: Array<[QueueName, string]> = [];
  for (const stage of ITEM_STAGES) {
    const id = jobId(stage, key);
    const state = await queues[stage].getJobState(id);
    if (state === 'unknown') continue;
    if (state === 'completed') {
      finished.push([stage, id]);
      continue;
    }
    if (state === 'failed') {
      const reason = (await queues[stage].getJob(id))?.failedReason || `${stage} job failed`;
      finished.push([stage, id]);
      if (curedByRefetch(reason)) return { kind: 'none', finished };
      return { kind: 'failed', stage, reason, finished };
    }
    return { kind: 'in-flight', stage };
  }
  return { kind: 'none', finished };
}

/** The finished jobs of an item; none while one is in flight (it must be left alone). */
export function finishedOf(jobs: ItemJobs): Array<[QueueName, string]> {
  return jobs.kind === 'in-flight' ? [] : jobs.finished;
}

/** Removes finished jobs, so adding the same ids again makes new jobs. */
export async function removeJobs(queues: Queues, jobs: ReadonlyArray<[QueueName, string]>): Promise<void> {
  for (const [stage, id] of jobs) await queues[stage].remove(id);
}

/**
 * The last try of a job carrying an item failed (define.ts): the item is settled as failed with
 * the job's "CODE: message" reason, unless a new fetch cures it (REFETCH_CODES). Best effort: a fault here is logged, and the reconciler finds
 * the failed job later and settles the item then.
 */
export async function settleFailedJob(ctx: WorkerContext, stage: QueueName, data: unknown, reason: string, log: Logger): Promise<void> {
  const item = itemOf(stage, data);
  if (item === null || curedByRefetch(reason)) return;
  try {
    await (await ctx.storage()).settleItem(itemKey(item), 'failed', reason);
  } catch (err) {
    log.warn({ err: describeError(err) }, 'cannot record the failed item in the ledger');
  }
}

/** The item a job's data carries (feed and url), except a reprocess's, whose item was stored long ago. */
function itemOf(stage: QueueName, data: unknown): { url: string; guid: string } | null {
  if (stage === 'feeds' || typeof data !== 'object' || data === null) return null;
  const d = data as { url?: unknown; feed?: { url?: unknown }; reprocess?: unknown };
  if (typeof d.url !== 'string' || typeof d.feed?.url !== 'string' || d.reprocess === true) return null;
  return { url: d.url, guid: '' };
}
