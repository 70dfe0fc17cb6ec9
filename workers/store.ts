import { itemKey, seenKey } from '../stages/feeds/select-new-items.js';
import { publishOutbox } from './publish-outbox.js';
import { defineWorker } from './define.js';

export const storeWorker = defineWorker('store', async (job, ctx) => {
  const { article, ...item } = job.data;
  // The ledger row of the item is marked stored in the article's transaction.
  const { change } = await (await ctx.storage()).upsertArticle(article, { itemKey: itemKey(item) });
  ctx.metrics.inc('newsloom_articles_stored_total', { change });
  // Seen only once committed: an item that never reaches storage is fetched again by a later poll.
  await ctx.seen.markSeen(item.feed.url, { seenKey: seenKey(item), urlKey: itemKey(item) });
  await publishOutbox(ctx);
  job.log.info({ articleId: article.id, change }, 'article stored');
  return { id: article.id, change };
});
