import type Database from 'better-sqlite3';
import { NewsloomError } from '../../lib/errors.js';
import { removeInBatches } from './remove-in-batches.js';
import { countStates, payloadJson, type Acceptance, type ItemLedger, type LedgerRow, type LedgerState } from './ledger.js';

interface Row {
  item_key: string;
  seen_key: string;
  feed_url: string;
  payload: string;
  state: LedgerState;
  reason: string | null;
  accepted_at: string;
  updated_at: string;
  requeues: number;
}

/**
 * The ledger of accepted items (ledger.ts) in SQLite. Writes take the write lock first (BEGIN
 * IMMEDIATE), as upserts do, so feeds and store processes sharing the file queue on busy_timeout.
 */
export function sqliteLedger(db: Database.Database): ItemLedger {
  const select = db.prepare<[string], Pick<Row, 'state' | 'seen_key' | 'feed_url'>>('SELECT state, seen_key, feed_url FROM accepted_items WHERE item_key = ?');
  const insert = db.prepare<[string, string, string, string, string, string]>(`INSERT INTO accepted_items
      (item_key, seen_key, feed_url, payload, state, accepted_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)`);
  const republish = db.prepare<[string, string, string, string]>(
    `UPDATE accepted_items SET seen_key = ?, payload = ?, state = 'pending', reason = NULL, updated_at = ? WHERE item_key = ?`);
  const settle = db.prepare<[string, string, string, string]>(
    `UPDATE accepted_items SET state = ?, reason = ?, updated_at = ? WHERE item_key = ? AND state IN ('pending', 'failed')`);
  const selectStale = db.prepare<[string, number], Row>(
    `SELECT * FROM accepted_items WHERE state = 'pending' AND updated_at < ? ORDER BY updated_at, item_key LIMIT ?`);
  const selectOne = db.prepare<[string], Row>('SELECT * FROM accepted_items WHERE item_key = ?');
  const requeued = db.prepare<[string, string]>(
    `UPDATE accepted_items SET requeues = requeues + 1, updated_at = ? WHERE item_key = ? AND state = 'pending'`);
  const touch = db.prepare<[string, string]>(`UPDATE accepted_items SET updated_at = ? WHERE item_key = ? AND state = 'pending'`);
  const counts = db.prepare<[], { state: string; n: number }>('SELECT state, COUNT(*) AS n FROM accepted_items GROUP BY state');
  const removeBatch = db.prepare<[string, number]>(`DELETE FROM accepted_items WHERE rowid IN (
      SELECT rowid FROM accepted_items WHERE state <> 'pending' AND updated_at < ? ORDER BY updated_at LIMIT ?)`);

  const accept = db.transaction((items: Parameters<ItemLedger['acceptItems']>[0], now: string): Acceptance[] =>
    items.map((item) => {
      const row = select.get(item.itemKey);
      if (!row) {
        insert.run(item.itemKey, item.seenKey, item.feedUrl, payloadJson(item.payload), now, now);
        return 'new';
      }
      if (row.feed_url === item.feedUrl && row.seen_key !== item.seenKey) {
        republish.run(item.seenKey, payloadJson(item.payload), now, item.itemKey);
        return 'republished';
      }
      return row.state;
    }));
  const requeue = db.transaction((keys: readonly string[], now: string) => keys.filter((k) => requeued.run(now, k).changes > 0));
  const touchAll = db.transaction((keys: readonly string[], now: string) => keys.forEach((k) => touch.run(now, k)));

  const write = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (err) {
      throw sqliteError(what, err);
    }
  };

  return {
    async acceptItems(items) {
      if (items.length === 0) return [];
      return write(`record ${items.length} accepted items of ${items[0]!.feedUrl}`, () => accept.immediate(items, new Date().toISOString()));
    },
    async settleItem(itemKey, state, reason) {
      write(`settle item ${itemKey} as ${state}`, () => settle.run(state, reason, new Date().toISOString(), itemKey));
    },
    async stalePending(olderThan, limit) {
      return selectStale.all(olderThan, limit).map(toLedgerRow);
    },
    async noteRequeued(itemKeys) {
      return write('note requeued items', () => requeue.immediate(itemKeys, new Date().toISOString()));
    },
    async notePending(itemKeys) {
      write('note pending items', () => touchAll.immediate(itemKeys, new Date().toISOString()));
    },
    async ledgerCounts() {
      return countStates(counts.all());
    },
    async ledgerItem(itemKey) {
      const row = selectOne.get(itemKey);
      return row ? toLedgerRow(row) : null;
    },
    removeSettledBefore(cutoff, { batchSize = 500 } = {}) {
      return removeInBatches((n) => removeBatch.run(cutoff, n).changes, batchSize);
    },
  };
}

/** Marks an item stored, inside the transaction that stores its article. */
export function sqliteMarkStored(db: Database.Database): (itemKey: string, now: string) => void {
  const mark = db.prepare<[string, string]>(`UPDATE accepted_items SET state = 'stored', reason = NULL, updated_at = ? WHERE item_key = ? AND state <> 'stored'`);
  return (itemKey, now) => void mark.run(now, itemKey);
}

/**
 * A SQLite fault as a NewsloomError: busy, locked, full or I/O faults may pass (another writer,
 * space freed), with their extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE…); a
 * constraint error will not.
 */
export function sqliteError(what: string, err: unknown): NewsloomError {
  const code = (err as { code?: string }).code ?? 'SQLITE_ERROR';
  const retryable = /^SQLITE_(BUSY|LOCKED|FULL|IOERR)(_|$)/.test(code);
  return new NewsloomError(`${what}: ${(err as Error).message}`, code, retryable, { cause: err });
}

function toLedgerRow(r: Row): LedgerRow {
  return {
    itemKey: r.item_key, seenKey: r.seen_key, feedUrl: r.feed_url, payload: JSON.parse(r.payload) as unknown, state: r.state,
    reason: r.reason, acceptedAt: r.accepted_at, updatedAt: r.updated_at, requeues: r.requeues,
  };
}
