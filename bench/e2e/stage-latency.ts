// Where an item's time from discovery to storage goes, stage by stage, read from the completed
// jobs BullMQ keeps (queues.keepCompleted per queue): for each job, `wait` = created → last taken
// (queueing, retries, parking for a host) and `run` = taken → finished. The per-article stages'
// waits and runs add up to most of discovery → stored; what is left is the feeds job (discovery
// happens inside it) and the hand-off between a job's enqueue of the next stage and its own finish.
import type { Job } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from '../../queues/names.js';
import type { Queues } from '../../queues/queues.js';
import { nearestRank } from '../quantile.js';

export interface StageLatency {
  stage: QueueName;
  jobs: number;
  /** Milliseconds, median and p95, over the jobs created at or after `sinceMs`. */
  wait: { p50: number; p95: number };
  run: { p50: number; p95: number };
}

// A stage with no job in the window shows 0, not NaN.
const quantile = (xs: number[], q: number): number => (xs.length === 0 ? 0 : nearestRank(xs, q));

/** Pure: the table from the jobs' timestamps. */
export function stageLatencies(jobs: ReadonlyMap<QueueName, ReadonlyArray<Pick<Job, 'timestamp' | 'processedOn' | 'finishedOn'>>>, sinceMs: number): StageLatency[] {
  return QUEUE_NAMES.map((stage) => {
    const done = (jobs.get(stage) ?? []).filter((j) => j.timestamp >= sinceMs && j.processedOn && j.finishedOn);
    const waits = done.map((j) => j.processedOn! - j.timestamp);
    const runs = done.map((j) => j.finishedOn! - j.processedOn!);
    return { stage, jobs: done.length, wait: { p50: quantile(waits, 0.5), p95: quantile(waits, 0.95) }, run: { p50: quantile(runs, 0.5), p95: quantile(runs, 0.95) } };
  });
}

/** Reads the completed jobs still kept in every queue (call it before the run's Redis goes away). */
export async function readStageLatencies(queues: Queues, sinceMs: number): Promise<StageLatency[]> {
  const jobs = new Map<QueueName, Job[]>();
  for (const stage of QUEUE_NAMES) jobs.set(stage, (await queues[stage].getCompleted(0, -1)).filter((j): j is Job => Boolean(j)));
  return stageLatencies(jobs, sinceMs);
}

export function printStageLatencies(rows: readonly StageLatency[]): void {
  const ms = (x: number) => String(Math.round(x)).padStart(7);
  console.log('stage        jobs   wait p50   wait p95    run p50    run p95   (ms; wait = created → taken, incl. parking and retries)');
  for (const r of rows) console.log(`${r.stage.padEnd(10)} ${String(r.jobs).padStart(6)} ${ms(r.wait.p50)}    ${ms(r.wait.p95)}    ${ms(r.run.p50)}    ${ms(r.run.p95)}`);
}
