/** The stages, in pipeline order; each has one queue of the same name. */
export const QUEUE_NAMES = ['feeds', 'fetch', 'extract', 'normalise', 'dedupe', 'enrich', 'store'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}
