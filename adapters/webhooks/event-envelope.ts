import type { EventBody, OutboxEvent } from '../storage/storage.js';

/**
 * An event as the world sees it, on the stream and in webhook bodies: the stored event with its
 * id, the outbox seq as a string. The id is stable (a replay sends the same one), so receivers
 * dedupe on it, and it increases with every event.
 */
export type EventEnvelope = { id: string } & EventBody;

export function eventEnvelope(event: OutboxEvent): EventEnvelope {
  const { seq, ...body } = event;
  return { id: String(seq), ...body };
}
