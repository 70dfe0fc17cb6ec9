import type { Queue } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from './names.js';
import type { Queues } from './queues.js';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export async function queueCounts(queue: Queue): Promise<QueueCounts> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed');
  return {
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    failed: c.failed ?? 0,
    completed: c.completed ?? 0,
  };
}

export async function allQueueCounts(queues: Queues): Promise<Record<QueueName, QueueCounts>> {
  const entries = await Promise.all(QUEUE_NAMES.map(async (name) => [name, await queueCounts(queues[name])] as const));
  return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
}

/**
 * Jobs still to run in the pipeline: waiting, active, and delayed retries. The feed schedulers'
 * own delayed jobs (ids `repeat:…`) are the next polls, not unfinished work, so they don't count.
 */
export async function pendingJobs(queues: Queues): Promise<number> {
  let pending = 0;
  for (const name of QUEUE_NAMES) {
    const c = await queueCounts(queues[name]);
    pending += c.waiting + c.active;
    if (c.delayed > 0) {
      const delayed = await queues[name].getDelayed(0, -1);
      pending += delayed.filter((j) => !j.id?.startsWith('repeat:')).length;
    }
  }
  return pending;
}

/**
 * Resolves true once no job is pending in any queue on two readings in a row (a job between its
 * completion and its next stage's add is not missed), false if `deadline` (epoch ms) passes first.
 */
export async function waitForDrain(queues: Queues, deadline: number, pollMs = 200): Promise<boolean> {
  let idleChecks = 0;
  while (Date.now() < deadline) {
    idleChecks = (await pendingJobs(queues)) === 0 ? idleChecks + 1 : 0;
    if (idleChecks >= 2) return true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return false;
}
