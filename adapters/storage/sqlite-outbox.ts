import type Database from 'better-sqlite3';
import type { EventBody, FeedEventBody, OutboxEvent, Storage } from './storage.js';

type OutboxMethods = Pick<Storage, 'recordFeedEvent' | 'eventsAfter' | 'lastEventSeq'>;

/**
 * The outbox methods beyond an article's own event (feed health, reading events in order), for
 * SQLite. Writes are serialised by SQLite itself, so seq order is commit order: a reader going
 * by seq never passes an event that commits later.
 */
export function sqliteOutbox(db: Database.Database): OutboxMethods {
  // A feed goes failing when it has no row or a healthy one; it recovers only from failing.
  const markFailing = db.prepare<[string, string]>(`INSERT INTO feed_health (feed_url, failing, changed_at) VALUES (?, 1, ?)
    ON CONFLICT (feed_url) DO UPDATE SET failing = 1, changed_at = excluded.changed_at WHERE feed_health.failing = 0`);
  const markRecovered = db.prepare<[string, string]>('UPDATE feed_health SET failing = 0, changed_at = ? WHERE feed_url = ? AND failing = 1');
  const addEvent = db.prepare<[string, string, string, string]>('INSERT INTO outbox (type, article_id, payload, created_at) VALUES (?, ?, ?, ?)');
  const selectAfter = db.prepare<[{ after: number; since: string | null; limit: number }], { seq: number; payload: string }>(
    'SELECT seq, payload FROM outbox WHERE seq > @after AND (@since IS NULL OR created_at >= @since) ORDER BY seq LIMIT @limit');
  const selectLast = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox');

  const record = db.transaction((event: FeedEventBody): OutboxEvent | null => {
    const changed = event.type === 'feed.failing' ? markFailing.run(event.feedUrl, event.at) : markRecovered.run(event.at, event.feedUrl);
    if (changed.changes === 0) return null;
    // Feed events concern no article: article_id is empty, the payload names the feed.
    const { lastInsertRowid } = addEvent.run(event.type, '', JSON.stringify(event), event.at);
    return { ...event, seq: Number(lastInsertRowid) };
  });

  return {
    async recordFeedEvent(event) {
      return record.immediate(event);
    },
    async eventsAfter(afterSeq, limit, opts = {}) {
      return selectAfter.all({ after: afterSeq, since: opts.since ?? null, limit })
        .map((r) => ({ ...(JSON.parse(r.payload) as EventBody), seq: r.seq }));
    },
    async lastEventSeq() {
      return selectLast.get()?.seq ?? 0;
    },
  };
}
