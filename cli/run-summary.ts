import type { Writable } from 'node:stream';
import { QUEUE_NAMES } from '../queues/names.js';
import type { WorkerContext } from '../workers/context.js';

/** Prints what a `start --once` run did: feeds polled, articles stored, failed jobs with reasons. */
export async function printRunSummary(ctx: WorkerContext, sinceMs: number, out: Writable): Promise<boolean> {
  const feeds = (await ctx.feedState.list()).filter((f) => f.lastPollAt && Date.parse(f.lastPollAt) >= sinceMs);
  const m = ctx.metrics;
  const created = m.get('newsloom_articles_stored_total', { change: 'created' });
  const updated = m.get('newsloom_articles_stored_total', { change: 'updated' });
  const unchanged = m.get('newsloom_articles_stored_total', { change: 'unchanged' });
  const lines = [
    `feeds polled: ${feeds.length} (${feeds.filter((f) => f.lastStatus === 'error').length} failed)`,
    `articles stored: ${created + updated} (${created} new, ${updated} updated, ${unchanged} unchanged)`,
    `pages skipped: ${m.total('newsloom_pages_skipped_total')}`,
    `seconds: ${((Date.now() - sinceMs) / 1000).toFixed(1)}`,
  ];
  const failed: string[] = [];
  for (const name of QUEUE_NAMES) {
    for (const job of await ctx.queues[name].getFailed(0, -1)) {
      if ((job.finishedOn ?? 0) < sinceMs) continue;
      const data = job.data as { url?: string; feedUrl?: string };
      failed.push(`  ${name} ${data.url ?? data.feedUrl ?? job.id}: ${job.failedReason}`);
    }
  }
  lines.push(`failed jobs: ${failed.length}`, ...failed);
  for (const f of feeds.filter((x) => x.lastStatus === 'error')) lines.push(`  feed ${f.url}: ${f.lastError}`);
  out.write(`${lines.join('\n')}\n`);
  return true;
}
