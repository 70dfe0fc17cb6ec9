import type { QueueName } from '../queues/names.js';
import type { WorkerDefinition } from './define.js';
import { feedsWorker } from './feeds.js';
import { fetchWorker } from './fetch.js';
import { extractWorker } from './extract.js';
import { normaliseWorker } from './normalise.js';
import { dedupeWorker } from './dedupe.js';
import { enrichWorker } from './enrich.js';
import { storeWorker } from './store.js';

/** Every stage's worker, by queue name. */
export const WORKERS: { readonly [Q in QueueName]: WorkerDefinition<Q> } = {
  feeds: feedsWorker,
  fetch: fetchWorker,
  extract: extractWorker,
  normalise: normaliseWorker,
  dedupe: dedupeWorker,
  enrich: enrichWorker,
  store: storeWorker,
};
