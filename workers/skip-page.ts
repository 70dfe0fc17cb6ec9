import type { ItemRef } from '../queues/payloads.js';
import { itemKey, seenKey } from '../stages/feeds/select-new-items.js';
import type { WorkerContext } from './context.js';
import type { StageJob } from './define.js';

/**
 * A page that is not an article (a PDF, an image, a section front, an empty page) is an outcome, not a
 * fault: it is settled as skipped in the ledger, then remembered as seen, so the next poll does not
 * fetch it again, counted, and logged.
 */
export async function skipPage(
  ctx: WorkerContext,
  job: Pick<StageJob<'fetch'>, 'log'>,
  item: ItemRef,
  reason: string,
  detail: string,
): Promise<{ skipped: string; detail: string }> {
  await (await ctx.storage()).settleItem(itemKey(item), 'skipped', `${reason}: ${detail}`);
  await ctx.seen.markSeen(item.feed.url, { seenKey: seenKey(item), urlKey: itemKey(item) });
  ctx.metrics.inc('newsloom_pages_skipped_total', { reason });
  job.log.info({ reason, detail }, 'page skipped');
  return { skipped: reason, detail };
}
