import type { WorkerContext } from './context.js';

const chains = new WeakMap<WorkerContext, Promise<number>>();

/**
 * Publishes the storage outbox to the events stream, oldest first. Events are written in the
 * same transaction as the article, so a crash between commit and publish delays an event
 * (the next store job or start publishes it) but never loses it. Runs one at a time per
 * process, so concurrent store jobs never read and publish the same pending rows twice.
 */
export function publishOutbox(ctx: WorkerContext, batch = 100): Promise<number> {
  const previous = chains.get(ctx) ?? Promise.resolve(0);
  const next = previous.catch(() => 0).then(() => drain(ctx, batch));
  chains.set(ctx, next);
  return next;
}

async function drain(ctx: WorkerContext, batch: number): Promise<number> {
  const storage = await ctx.storage();
  let published = 0;
  for (;;) {
    const events = await storage.pendingEvents(batch);
    if (events.length === 0) return published;
    for (const { seq, ...event } of events) {
      await ctx.events.publish(event);
      await storage.markPublished([seq]);
      published++;
    }
  }
}
