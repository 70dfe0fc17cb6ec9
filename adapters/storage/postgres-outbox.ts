import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';
import type { EventBody, OutboxEvent, Storage } from './storage.js';

type OutboxMethods = Pick<Storage, 'recordFeedEvent' | 'eventsAfter' | 'lastEventSeq'>;

/**
 * The outbox methods beyond an article's own event (feed health, reading events in order), for
 * PostgreSQL. The feed_health row is the lock: ON CONFLICT … WHERE and UPDATE … WHERE change it
 * in one worker only, and that worker writes the event in the same transaction.
 */
export function postgresOutbox(pool: pg.Pool): OutboxMethods {
  return {
    recordFeedEvent(event) {
      return inTransaction(pool, async (client): Promise<OutboxEvent | null> => {
        const changed = event.type === 'feed.failing'
          ? await client.query(`INSERT INTO feed_health (feed_url, failing, changed_at) VALUES ($1, true, $2)
              ON CONFLICT (feed_url) DO UPDATE SET failing = true, changed_at = EXCLUDED.changed_at WHERE NOT feed_health.failing`,
            [event.feedUrl, event.at])
          : await client.query('UPDATE feed_health SET failing = false, changed_at = $2 WHERE feed_url = $1 AND failing', [event.feedUrl, event.at]);
        if ((changed.rowCount ?? 0) === 0) return null;
        // Feed events concern no article: article_id is empty, the payload names the feed.
        const { rows } = await client.query<{ seq: string }>(
          'INSERT INTO outbox (type, article_id, payload, created_at) VALUES ($1, $2, $3, $4) RETURNING seq',
          [event.type, '', JSON.stringify(event), event.at]);
        return { ...event, seq: Number(rows[0]!.seq) };
      });
    },
    async eventsAfter(afterSeq, limit, opts = {}) {
      const { rows } = await pool.query<{ seq: string; payload: EventBody }>(
        'SELECT seq, payload FROM outbox WHERE seq > $1 AND ($2::text IS NULL OR created_at >= $2) ORDER BY seq LIMIT $3',
        [afterSeq, opts.since ?? null, limit]);
      return rows.map((r) => ({ ...r.payload, seq: Number(r.seq) }));
    },
    async lastEventSeq() {
      const { rows } = await pool.query<{ seq: string | null }>('SELECT MAX(seq) AS seq FROM outbox');
      return Number(rows[0]?.seq ?? 0);
    },
  };
}
