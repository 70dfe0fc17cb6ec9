import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { hashTagPrefix } from './connection.js';
import { QUEUE_NAMES, type QueueName } from './names.js';
import { payloads, type Payload } from './payloads.js';
import { sha1Hex } from '../lib/sha1.js';

export type Queues = { readonly [Q in QueueName]: Queue };

/** `<stage>-<sha1 of identity>`: deterministic, and free of the `:` BullMQ rejects in ids. */
export function jobId(stage: QueueName, identity: string): string {
  return `${stage}-${sha1Hex(identity)}`;
}

/** Default options of every job: retries with exponential backoff, completed trimmed, failed kept. */
export function jobOptions(config: Readonly<Config>): JobsOptions {
  return {
    attempts: config.queues.attempts,
    backoff: { type: 'exponential', delay: config.queues.backoff },
    removeOnComplete: { count: config.queues.keepCompleted },
    removeOnFail: { count: config.queues.keepFailed },
  };
}

export function createQueues(connection: Redis, config: Readonly<Config>): Queues {
  const prefix = hashTagPrefix(config.redis.prefix);
  const defaultJobOptions = jobOptions(config);
  const entries = QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions })]);
  return Object.fromEntries(entries) as Queues;
}

/**
 * Adds one job to a stage's queue, validated against that queue's payload schema. The same
 * identity gives the same job id, so re-adding a job that is still in Redis is a no-op.
 */
export async function enqueue<Q extends QueueName>(queues: Queues, stage: Q, payload: Payload<Q>, identity: string): Promise<void> {
  const data = payloads[stage].parse(payload);
  await queues[stage].add(stage, data, { jobId: jobId(stage, identity) });
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
