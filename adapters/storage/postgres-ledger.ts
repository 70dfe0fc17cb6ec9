import type pg from 'pg';
import { NewsloomError } from '../../lib/errors.js';
import { countStates, payloadJson, type Acceptance, type ItemLedger, type LedgerRow, type LedgerState } from './ledger.js';
import { inTransaction } from './pg-transaction.js';

interface Row {
  item_key: string;
  seen_key: string;
  feed_url: string;
  payload: unknown;
  state: LedgerState;
  reason: string | null;
  accepted_at: string;
  updated_at: string;
  requeues: number;
}

/**
 * The ledger of accepted items (ledger.ts) in PostgreSQL: a poll's items in three statements
 * (insert the new ones, make the re-published ones pending, read the rest). New keys are inserted
 * in key order, so two polls listing the same items lock them in the same order.
 */
export function postgresLedger(pool: pg.Pool): ItemLedger {
  const write = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw pgError(what, err);
    }
  };
  return {
    async acceptItems(items) {
      if (items.length === 0) return [];
      const cols = [items.map((i) => i.itemKey), items.map((i) => i.seenKey), items.map((i) => i.feedUrl), items.map((i) => payloadJson(i.payload))];
      const now = new Date().toISOString();
      return write(`record ${items.length} accepted items of ${items[0]!.feedUrl}`, () => inTransaction(pool, async (client): Promise<Acceptance[]> => {
        const inserted = await client.query<{ item_key: string }>(
          `INSERT INTO accepted_items (item_key, seen_key, feed_url, payload, state, accepted_at, updated_at)
           SELECT k, s, f, p::jsonb, 'pending', $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS i (k, s, f, p)
           ORDER BY k COLLATE "C"
           ON CONFLICT (item_key) DO NOTHING RETURNING item_key`, [...cols, now]);
        const republished = await client.query<{ item_key: string }>(
          `UPDATE accepted_items a SET seen_key = i.s, payload = i.p::jsonb, state = 'pending', reason = NULL, updated_at = $5
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS i (k, s, f, p)
           WHERE a.item_key = i.k AND a.feed_url = i.f AND a.seen_key <> i.s
           RETURNING a.item_key`, [...cols, now]);
        const states = await client.query<{ item_key: string; state: LedgerState }>(
          'SELECT item_key, state FROM accepted_items WHERE item_key = ANY($1::text[])', [cols[0]]);
        const isNew = new Set(inserted.rows.map((r) => r.item_key));
        const isRepublished = new Set(republished.rows.map((r) => r.item_key));
        const state = new Map(states.rows.map((r) => [r.item_key, r.state]));
        return items.map((i) => (isNew.has(i.itemKey) ? 'new' : isRepublished.has(i.itemKey) ? 'republished' : state.get(i.itemKey) ?? 'pending'));
      }));
    },
    async settleItem(itemKey, state, reason) {
      await write(`settle item ${itemKey} as ${state}`, () => pool.query(
        `UPDATE accepted_items SET state = $1, reason = $2, updated_at = $3 WHERE item_key = $4 AND state IN ('pending', 'failed')`,
        [state, reason, new Date().toISOString(), itemKey]));
    },
    async stalePending(olderThan, limit) {
      const { rows } = await pool.query<Row>(
        `SELECT * FROM accepted_items WHERE state = 'pending' AND updated_at < $1 ORDER BY updated_at, item_key LIMIT $2`, [olderThan, limit]);
      return rows.map(toLedgerRow);
    },
    async noteRequeued(itemKeys) {
      if (itemKeys.length === 0) return [];
      const { rows } = await write('note requeued items', () => pool.query<{ item_key: string }>(
        `UPDATE accepted_items SET requeues = requeues + 1, updated_at = $2 WHERE item_key = ANY($1::text[]) AND state = 'pending' RETURNING item_key`,
        [itemKeys, new Date().toISOString()]));
      const still = new Set(rows.map((r) => r.item_key));
      return itemKeys.filter((k) => still.has(k));
    },
    async notePending(itemKeys) {
      if (itemKeys.length === 0) return;
      await write('note pending items', () => pool.query(
        `UPDATE accepted_items SET updated_at = $2 WHERE item_key = ANY($1::text[]) AND state = 'pending'`, [itemKeys, new Date().toISOString()]));
    },
    async ledgerCounts() {
      return countStates((await pool.query<{ state: string; n: number }>('SELECT state, COUNT(*)::int AS n FROM accepted_items GROUP BY state')).rows);
    },
    async ledgerItem(itemKey) {
      const { rows } = await pool.query<Row>('SELECT * FROM accepted_items WHERE item_key = $1', [itemKey]);
      return rows[0] ? toLedgerRow(rows[0]) : null;
    },
    async removeSettledBefore(cutoff, { batchSize = 500 } = {}) {
      let removed = 0;
      for (;;) {
        const { rowCount } = await pool.query(
          `DELETE FROM accepted_items WHERE item_key IN (
             SELECT item_key FROM accepted_items WHERE state <> 'pending' AND updated_at < $1 ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
          [cutoff, batchSize]);
        removed += rowCount ?? 0;
        if ((rowCount ?? 0) < batchSize) return removed;
      }
    },
  };
}

/** Marks an item stored, inside the transaction that stores its article. */
export async function postgresMarkStored(client: pg.PoolClient, itemKey: string, now: string): Promise<void> {
  await client.query(`UPDATE accepted_items SET state = 'stored', reason = NULL, updated_at = $1 WHERE item_key = $2 AND state <> 'stored'`, [now, itemKey]);
}

// Serialization failures, deadlocks, lost connections, shutdowns and lack of resources may pass.
const RETRYABLE_SQLSTATE = /^(40001|40P01|08...|53...|57P0[123]|55P03)$/;
const RETRYABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Whether a PostgreSQL or network fault may pass if tried again. */
export function isRetryablePg(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return RETRYABLE_SQLSTATE.test(code) || RETRYABLE_NETWORK.has(code) || /Connection terminated/.test((err as Error).message ?? '');
}

/** A PostgreSQL fault as a NewsloomError: code PG_<SQLSTATE> (or the network code), retryable as isRetryablePg says. */
export function pgError(what: string, err: unknown): NewsloomError {
  const code = (err as { code?: string }).code ?? '';
  return new NewsloomError(`${what}: ${(err as Error).message}`, /^[0-9A-Z]{5}$/.test(code) ? `PG_${code}` : code || 'PG_ERROR', isRetryablePg(err), { cause: err });
}

function toLedgerRow(r: Row): LedgerRow {
  return {
    itemKey: r.item_key, seenKey: r.seen_key, feedUrl: r.feed_url, payload: r.payload, state: r.state,
    reason: r.reason, acceptedAt: r.accepted_at, updatedAt: r.updated_at, requeues: r.requeues,
  };
}
