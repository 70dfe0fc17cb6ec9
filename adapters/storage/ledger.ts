import { storableString } from '../../stages/normalise/clean-text.js';

/**
 * The ledger of accepted items (issue 9, catalogue §5.1): every item a feed poll accepts is written
 * here as `pending` before its fetch job is enqueued, and settled as `stored` in the transaction
 * that stores its article (or `skipped` / `failed` with the reason), so an item whose jobs vanished
 * with Redis is still known, and a reconciler can enqueue it again.
 */
export const LEDGER_STATES = ['pending', 'stored', 'skipped', 'failed'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

/** An item's payload as the ledger stores it: JSON of storable strings only (a hostile feed's "\\ud800" or NUL). */
export function payloadJson(payload: unknown): string {
  return JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'string' ? storableString(value) : value));
}

/** An item a poll found unseen, with the fetch job that would take it on. */
export interface AcceptedItem {
  /** The job identity: canonical article URL (stages/feeds/select-new-items.ts#itemKey). */
  itemKey: string;
  /** Its identity within its feed: guid, else canonical link (seenKey). */
  seenKey: string;
  feedUrl: string;
  /** The fetch job's data, kept so the job can be enqueued again exactly. */
  payload: unknown;
}

/**
 * What the ledger already knew of an accepted item: `new` (first seen), `republished` (its feed
 * lists it again under a new seen key: a new acceptance), or the state of the earlier acceptance.
 */
export type Acceptance = 'new' | 'republished' | LedgerState;

/** A ledger row, as the reconciler reads it. */
export interface LedgerRow {
  itemKey: string;
  seenKey: string;
  feedUrl: string;
  payload: unknown;
  state: LedgerState;
  reason: string | null;
  acceptedAt: string;
  updatedAt: string;
  requeues: number;
}

export interface ItemLedger {
  /**
   * Records the items as pending, one transaction per call, and answers for each (in order) what
   * the ledger knew: an item already pending, stored, skipped or failed keeps its row, except that
   * the same feed listing it under a new seen key makes it pending again (`republished`).
   */
  acceptItems(items: readonly AcceptedItem[]): Promise<Acceptance[]>;
  /**
   * Settles a pending (or failed) item as skipped or failed, with the reason; a stored or skipped
   * item stays as it is. Stored is written by upsertArticle, in the article's transaction.
   */
  settleItem(itemKey: string, state: 'skipped' | 'failed', reason: string): Promise<void>;
  /** Up to `limit` pending items not touched since `olderThan` (an ISO instant), oldest first. */
  stalePending(olderThan: string, limit: number): Promise<LedgerRow[]>;
  /** Counts a new enqueue of items still pending and restarts their clock; answers the keys that were still pending. */
  noteRequeued(itemKeys: readonly string[]): Promise<string[]>;
  /** Restarts the clock of items still pending whose jobs are in flight: looked at again `staleAfter` later. */
  notePending(itemKeys: readonly string[]): Promise<void>;
  /** How many items are in each state (the chaos check, the status of a run). */
  ledgerCounts(): Promise<Record<LedgerState, number>>;
  /** The row of one item, or null. */
  ledgerItem(itemKey: string): Promise<LedgerRow | null>;
  /** Removes settled rows not touched since `cutoff` (retention); answers how many. Pending rows are kept. */
  removeSettledBefore(cutoff: string, opts?: { batchSize?: number }): Promise<number>;
}

/** The counts of every state, zero where no row has it. */
export function countStates(rows: ReadonlyArray<{ state: string; n: number }>): Record<LedgerState, number> {
  const out = Object.fromEntries(LEDGER_STATES.map((s) => [s, 0])) as Record<LedgerState, number>;
  for (const r of rows) if ((LEDGER_STATES as readonly string[]).includes(r.state)) out[r.state as LedgerState] = Number(r.n);
  return out;
}

/** What the status page and GET /api/stats show of the ledger. */
export interface LedgerSummary extends Record<LedgerState, number> {
  /** When the pending item touched longest ago was accepted or last enqueued; null when none is pending. */
  oldestPendingAt: string | null;
}

export async function ledgerSummary(ledger: ItemLedger): Promise<LedgerSummary> {
  const [counts, oldest] = await Promise.all([ledger.ledgerCounts(), ledger.stalePending(new Date(Date.now() + 1000).toISOString(), 1)]);
  return { ...counts, oldestPendingAt: oldest[0]?.updatedAt ?? null };
}
