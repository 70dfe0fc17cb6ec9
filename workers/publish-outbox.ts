import { redisDrainLock } from '../adapters/redis/drain-lock.js';
import { eventEnvelope } from '../adapters/webhooks/event-envelope.js';
import { key } from '../queues/connection.js';
import { triggerWebhooks } from '../queues/webhook-queue.js';
import type { WorkerContext } from './context.js';

// Long enough for a batch of XADDs; extended after each batch, so a long backlog keeps it.
const LOCK_TTL_MS = 30_000;

/**
 * Publishes the storage outbox to the events stream, oldest first, then asks each webhook to be
 * drained. Events are written in the same transaction as their article, so a crash between
 * commit and publish delays an event (the next store job or start publishes it) but never loses
 * it. One process publishes at a time across all of them (a Redis lock; a process finding it
 * held leaves its rows to the holder, who looks again before letting go), so each event is
 * appended once, in the order committed; a crash between XADD and marking the rows published makes
 * the next drain read the batch again, and the stream skips the ids it already holds
 * (event-stream.ts). Answers how many events this call published.
 */
export async function publishOutbox(ctx: WorkerContext, batch = 100): Promise<number> {
  const lock = redisDrainLock(ctx.redis, key(ctx.config.redis.prefix, 'events', 'publisher'), LOCK_TTL_MS);
  let published = 0;
  await lock.run(async (extend) => {
    published += await drain(ctx, batch, extend);
  });
  if (published > 0) await triggerWebhooks(ctx.redis, ctx.config);
  return published;
}

async function drain(ctx: WorkerContext, batch: number, extend: () => Promise<void>): Promise<number> {
  const storage = await ctx.storage();
  let published = 0;
  for (;;) {
    const events = await storage.pendingEvents(batch);
    if (events.length === 0) return published;
    // A batch in one round trip, then marked in one transaction: after a crash between the two,
    // the batch is read again and the stream appends none of it twice.
    await ctx.events.publishAll(events.map(eventEnvelope));
    const now = Date.now();
    for (const event of events) ctx.metrics.observe('newsloom_event_delivery_lag_seconds', {}, now - Date.parse(event.at));
    await storage.markPublished(events.map((e) => e.seq));
    published += events.length;
    await extend();
  }
}
