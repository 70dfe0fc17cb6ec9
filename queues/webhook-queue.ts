import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { hashTagPrefix } from './connection.js';

/**
 * Webhook delivery has its own queue, outside the pipeline's QUEUE_NAMES: its jobs carry no
 * article, only which webhook to drain, and they retry on their own schedule (events.delivery).
 */
export const WEBHOOK_QUEUE = 'webhooks';

/** One payload: the webhook whose cursor to drain. Add only optional fields (jobs in Redis must still parse). */
export const webhookPayload = z.object({ webhook: z.string() });
export type WebhookPayload = z.infer<typeof webhookPayload>;

/** The backoff type the webhook worker's backoffStrategy answers: doubling, capped at events.delivery.maxBackoff. */
export const WEBHOOK_BACKOFF = 'webhook';

const queues = new WeakMap<Redis, Queue>();

export function webhookQueue(connection: Redis, config: Readonly<Config>): Queue {
  let queue = queues.get(connection);
  if (queue === undefined) {
    queue = new Queue(WEBHOOK_QUEUE, { connection, prefix: hashTagPrefix(config.redis.prefix) });
    queues.set(connection, queue);
  }
  return queue;
}

export async function closeWebhookQueue(connection: Redis): Promise<void> {
  const queue = queues.get(connection);
  queues.delete(connection);
  await queue?.close();
}

/**
 * Asks for each configured webhook to be drained. Deduplicated per webhook with keepLastIfActive:
 * at most one job runs per webhook (so events go out in order), and a request arriving while it
 * runs leaves one job waiting behind it, so an event stored meanwhile is not left behind.
 */
export async function triggerWebhooks(connection: Redis, config: Readonly<Config>, names?: readonly string[]): Promise<void> {
  const hooks = config.events.webhooks.filter((h) => names === undefined || names.includes(h.name));
  if (hooks.length === 0) return;
  const queue = webhookQueue(connection, config);
  const { attempts } = config.events.delivery;
  await Promise.all(hooks.map((h) => queue.add(h.name, webhookPayload.parse({ webhook: h.name }), {
    attempts,
    backoff: { type: WEBHOOK_BACKOFF },
    deduplication: { id: `webhook-${h.name}`, keepLastIfActive: true },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1000 },
  })));
}
